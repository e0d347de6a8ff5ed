"""Are the report's moments the ones a supervisor would pick? Scored on the real-talk gold.

Every project-coded AnnoMI transcript (``data/realtalk/``) is profiled from codes made by
models that never saw it, and its moments are compared with the gold:

- **codes**: the utterance coder's out-of-fold codes (5 folds by video over AnnoMI,
  :func:`rapport.coding.utterance.evaluation.out_of_fold_predictions`); the relationship
  coder's nested out-of-fold codes on the development transcripts (each outer fold's model,
  thresholds and feedback bars chosen without it,
  :func:`rapport.coding.relationship.evaluation.nested_cv`), and the shipped relationship
  model on the frozen evaluation split; the shipped risk coder (never trained on AnnoMI).
- **goals** (issue 23): a transcript with at least 3 gold non-adherent turns (``persuade``,
  ``confront``) always gets an improvement moment; at least 70% of improvement moments land
  on a gold improvement pick or a gold non-adherent turn; a strength never lands on a gold
  non-adherent turn.

The moment rules were written looking at the development figures; the frozen split is the
check they were not tuned on. The codes come from ``benchmarks/realtalk_oof.py`` (cached).

Run: ``.venv/bin/python benchmarks/moments_eval.py``
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from realtalk_oof import CACHE, coded_session, load_or_make

from rapport.coding.relationship.feedback import MODEL_ID
from rapport.coding.relationship.realtalk import GoldSession, evaluation_sessions, load_gold
from rapport.profile.models import RevisitMoment
from rapport.profile.moments import ALWAYS_SHOWN, moments_to_revisit
from rapport.profile.ruptures import detect_ruptures
from rapport.profile.view import SessionView

NON_ADHERENT = frozenset(("persuade", "confront"))
#: A strength is right when the gold has the turn as a keep pick, codes it MI-adherent or
#: a repair, or rates it a strong interpretation (EPITOME ``ip`` 2: names the feeling).
ADHERENT = frozenset(("affirm", "seek_collaboration", "emphasize_autonomy",
                      "persuade_with_permission", "repair"))
DEVELOPMENT, FROZEN = "development (out-of-fold)", "frozen split (shipped model)"


@dataclass
class Tally:
    transcripts: int = 0
    needing: int = 0  # transcripts with >= 3 gold non-adherent turns
    needing_served: int = 0
    improve: int = 0
    improve_hits: int = 0
    safety: int = 0  # improvement moments that are safety flags (risk), always shown
    safety_hits: int = 0
    keep: int = 0
    keep_on_non_adherent: int = 0
    keep_hits: int = 0  # strengths on a gold keep pick
    #: kind -> [moments, right ones]
    kinds: dict[str, list[int]] = field(default_factory=dict)

    def add(self, s: GoldSession, moments: Sequence[RevisitMoment]) -> None:
        non_adherent = {t.turn for t in s.turns if t.codes & NON_ADHERENT}
        improve_picks = {t.turn for t in s.turns if t.pick and t.pick["direction"] == "improve"}
        keep_picks = {t.turn for t in s.turns if t.pick and t.pick["direction"] == "keep"}
        strong = keep_picks | {t.turn for t in s.turns if t.codes & ADHERENT
                               or (t.empathy is not None and t.empathy[1] >= 2)}
        for m in moments:
            right = (m.turn_index in improve_picks | non_adherent if m.direction == "improve"
                     else m.turn_index in strong and m.turn_index not in non_adherent)
            tally = self.kinds.setdefault(m.kind, [0, 0])
            tally[0] += 1
            tally[1] += right
        improve = [m for m in moments if m.direction == "improve"]
        keep = [m for m in moments if m.direction == "keep"]
        self.transcripts += 1
        if len(non_adherent) >= 3:
            self.needing += 1
            self.needing_served += bool(improve)
        self.improve += len(improve)
        self.improve_hits += sum(m.turn_index in improve_picks | non_adherent for m in improve)
        safety = [m for m in improve if m.kind in ALWAYS_SHOWN]
        self.safety += len(safety)
        self.safety_hits += sum(m.turn_index in improve_picks | non_adherent for m in safety)
        self.keep += len(keep)
        self.keep_on_non_adherent += sum(m.turn_index in non_adherent for m in keep)
        self.keep_hits += sum(m.turn_index in keep_picks for m in keep)


def _share(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.2f}" if b else "n/a"


def print_kinds(tallies: dict[str, Tally]) -> None:
    names = list(tallies)
    kinds = sorted({k for t in tallies.values() for k in t.kinds})
    print(f"\n| moment kind: right / shown | {' | '.join(names)} |")
    print("|---|" + "---:|" * len(names))
    for k in kinds:
        print(f"| {k} | " + " | ".join(_share(*reversed(tallies[n].kinds.get(k, [0, 0])))
                                       for n in names) + " |")


def print_table(tallies: dict[str, Tally]) -> None:
    rows = [
        ("transcripts with >= 3 gold non-adherent turns given an improvement moment (goal: all)",
         lambda t: _share(t.needing_served, t.needing)),
        ("improvement moments on a gold pick or non-adherent turn (goal >= 0.70)",
         lambda t: _share(t.improve_hits, t.improve)),
        ("... the same without risk moments (safety flags, always shown)",
         lambda t: _share(t.improve_hits - t.safety_hits, t.improve - t.safety)),
        ("strengths on a gold non-adherent turn (goal 0)",
         lambda t: str(t.keep_on_non_adherent)),
        ("strengths on a gold keep pick (no goal)", lambda t: _share(t.keep_hits, t.keep)),
    ]
    names = list(tallies)
    print(f"| measure | {' | '.join(names)} |")
    print("|---|" + "---:|" * len(names))
    print(f"| transcripts | {' | '.join(str(tallies[n].transcripts) for n in names)} |")
    for label, fn in rows:
        print(f"| {label} | {' | '.join(fn(tallies[n]) for n in names)} |")


def write_precision(tally: Tally) -> None:
    """Each kind's right / shown on the development transcripts (out-of-fold codes), for
    the report to show and to leave out kinds below the bar. Every kind measured at all is
    stored: one measured on few moments still leaves the report when it was mostly wrong
    (the report shows a precision only from 10 moments up), and a kind this run made
    none of keeps its earlier entry, marked so. The frozen split stays the check: nothing
    it measures is stored."""
    import json

    from rapport.profile.moments import PRECISION_FILE

    pooled = tally.kinds
    transcripts = tally.transcripts
    kinds = {k: {"precision": round(right / n, 3), "n": n,
                 "basis": f"{right} of {n} such moments on {transcripts} real sessions the "
                          "coders never saw"}
             for k, (n, right) in sorted(pooled.items()) if n}
    # a kind today's codes no longer produce keeps its last measurement: not being made on
    # the benchmark is no evidence it became right, and where it still can be made (codes
    # from elsewhere, no relationship codes) a kind once mostly wrong must stay left out
    earlier = (json.loads(PRECISION_FILE.read_text("utf-8"))["kinds"]
               if PRECISION_FILE.is_file() else {})
    for k, entry in earlier.items():
        if k not in kinds:
            carried = " (an earlier run's; today's codes made none)"
            kinds[k] = {**entry, "basis": entry["basis"].removesuffix(carried) + carried}
    kinds = dict(sorted(kinds.items()))
    PRECISION_FILE.write_text(json.dumps({
        "command": "python benchmarks/moments_eval.py --write",
        "right": "improve: a gold improvement pick or a gold persuade/confront turn; keep: a "
                 "gold keep pick, MI-adherent or repair turn, or a strong interpretation "
                 "(EPITOME ip 2), never a persuade/confront turn",
        "kinds": kinds}, indent=1) + "\n", encoding="utf-8")
    print(f"\nwrote {PRECISION_FILE}")


def main(argv: Sequence[str] | None = None) -> int:
    from rapport.risk.coder import load_coder as load_risk

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--show", action="store_true", help="print each transcript's moments")
    parser.add_argument("--development-only", action="store_true",
                        help="leave the frozen split out (while changing the moment rules)")
    parser.add_argument("--write", action="store_true", help=(
        "store each kind's measured precision (both parts pooled) in "
        "rapport/profile/moment_precision.json"))
    args = parser.parse_args(argv)
    start = time.perf_counter()
    gold = load_gold()
    utter, rel = load_or_make(args.cache, gold)
    risk = load_risk("fast")
    held = evaluation_sessions()
    tallies = {DEVELOPMENT: Tally()} if args.development_only else {
        DEVELOPMENT: Tally(), FROZEN: Tally()}
    ungated = {part: Tally() for part in tallies}
    for key in sorted(gold, key=lambda k: int(k.split("-")[1])):
        part = FROZEN if key in held else DEVELOPMENT
        if part not in tallies:
            continue
        s = gold[key]
        view = SessionView(coded_session(s, utter, rel[key], risk))
        ruptures = detect_ruptures(view)
        moments = moments_to_revisit(view, ruptures)
        tallies[part].add(s, moments)
        ungated[part].add(s, moments_to_revisit(view, ruptures, gate=False))
        if args.show:
            na = sorted(t.turn for t in s.turns if t.codes & NON_ADHERENT)
            picks = sorted((t.turn, t.pick["direction"]) for t in s.turns if t.pick)
            print(f"{key} ({s.quality}) non-adherent {na} picks {picks}")
            for m in moments:
                print(f"   {m.direction:<7} {m.kind:<22} turn {m.turn_index}")
    print("Moments as the report shows them:\n")
    print_table(tallies)
    print("\nEvery kind, before kinds below the bar are left out (what --write stores, from "
          "the development part only):")
    print_kinds(ungated)
    if args.write:
        write_precision(ungated[DEVELOPMENT])
    print(f"\n{len(gold)} transcripts; relationship codes from {MODEL_ID} (frozen) and its "
          f"nested out-of-fold refits (development); {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
