"""Relationship feedback thresholds, held out: the old rule against the new one.

    .venv/bin/python benchmarks/relationship_feedback_rule.py --preset fast --jobs 2      # ~3 min
    .venv/bin/python benchmarks/relationship_feedback_rule.py --preset accurate --jobs 2  # ~25 min
    (add --cache to keep the outer folds' scores and rerun only the rules; results in
    docs/models.md, "Feedback thresholds, held out"; add --write to store the new rule's
    held-out result per code as the preset's feedback gate,
    rapport/coding/relationship/models/feedback-heldout-<model>.json)

Nested 5-fold cross-validation grouped by video on the **development** transcripts of the
real-talk gold (the frozen split is never read). In each outer fold the whole training
procedure (``train``: ``c``, calibration, inner 5-fold CV by video) runs on the other four
folds, and each rule picks each code's feedback threshold from that training's out-of-fold
scores: the **old** rule (:func:`~rapport.coding.relationship.threshold.first_passing`:
the first threshold whose observed precision reaches 0.70 on >= 10 predicted turns) and
the **new** one (:func:`~rapport.coding.relationship.threshold.feedback_threshold`: the
90% lower confidence bound reaches 0.70, with any one inner fold left out too). Both see
the same models; only the rule differs. The held-out fold is then coded at each chosen
threshold and the turns are pooled over the five held-out folds: how often feedback from
that code would have been right on transcripts its threshold was not chosen on.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from rapport.coding.agreement import expected_calibration_error
from rapport.coding.relationship.codes import ALL_CODES, role_of
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.heldout import HeldOut, write_gate
from rapport.coding.relationship.model import CODE_INDEX, RelationshipModel, prf
from rapport.coding.relationship.persist import MODEL_NAMES
from rapport.coding.relationship.threshold import (
    FEEDBACK_PRECISION,
    OutOfFold,
    feedback_threshold,
    first_passing,
    wilson_lower_bound,
)
from rapport.coding.relationship.training import (
    C_GRIDS,
    format_table,
    gold_dialogues,
    train,
    written_dialogues,
)

RULES = ("old", "new")
FOLDS = 5
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Tally:
    """One rule's feedback on one code, pooled over the held-out folds."""

    cuts: list[float | None] = field(default_factory=list)  # one per outer fold
    predicted: int = 0
    right: int = 0
    positives: int = 0  # gold positives in the folds where the code gave feedback

    def add(self, cut: float | None, y: np.ndarray, p: np.ndarray) -> None:
        self.cuts.append(cut)
        if cut is None:
            return
        hit = p >= cut
        self.predicted += int(hit.sum())
        self.right += int((y & hit).sum())
        self.positives += int(y.sum())


def labelled(dialogues: Sequence[Dialogue], probs: Sequence[np.ndarray], code: str
             ) -> tuple[np.ndarray, np.ndarray]:
    """Gold label and P(code) of every labelled turn of the code's role."""
    k, role = CODE_INDEX[code], role_of(code).value
    y, p = [], []
    for d, prob in zip(dialogues, probs, strict=True):
        assert d.codes is not None
        for i, r in enumerate(d.roles):
            if r == role and d.codes[i] is not None:
                y.append(code in (d.codes[i] or ()))
                p.append(float(prob[i, k]))
    return np.array(y, dtype=bool), np.array(p, dtype=float)


@dataclass(frozen=True)
class FoldScores:
    """One outer fold, per code: what the training's rules choose from (its out-of-fold
    scores) and the held-out turns they are judged on. The models are the slow part; the
    rules run on these in a moment, so they are cached (``--cache``)."""

    chosen_on: dict[str, OutOfFold]
    held_out: dict[str, tuple[np.ndarray, np.ndarray]]  # code -> (gold, P)


def one_outer_fold(f: int, preset: str) -> FoldScores:
    """Train on the other folds; keep their out-of-fold evidence and fold ``f``'s scores."""
    dev, _ = gold_dialogues()
    fold_of = RelationshipModel(cv_folds=FOLDS).folds_of([d.group for d in dev])
    train_part = [d for d in dev if fold_of[d.group] != f]
    test_part = [d for d in dev if fold_of[d.group] == f]
    model, _ = train(train_part, written_dialogues(), c_grid=C_GRIDS[preset], preset=preset)
    probs = model.predict_many(test_part)
    for code, ev in model.feedback_evidence_.items():  # the rule the model itself ran
        assert feedback_threshold(ev.y, ev.p, ev.folds) == model.feedback_[code]
    return FoldScores(dict(model.feedback_evidence_),
                      {code: labelled(test_part, probs, code) for code in ALL_CODES})


def fold_scores(preset: str, jobs: int, cache: Path | None) -> list[FoldScores]:
    """Every outer fold (``jobs`` at a time), in fold order; read from ``cache`` when it
    exists (delete it after changing the model or the data), written there otherwise."""
    if cache is not None and cache.is_file():
        with cache.open("rb") as fh:
            cached: list[FoldScores] = pickle.load(fh)  # our own file, written below
        return cached
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        parts = list(pool.map(one_outer_fold, range(FOLDS), [preset] * FOLDS))
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as fh:
            pickle.dump(parts, fh)
    return parts


def rules_held_out(parts: Sequence[FoldScores]) -> dict[str, dict[str, Tally]]:
    """Each rule's threshold per outer fold and code, scored on the held-out fold, pooled."""
    pooled = {rule: {code: Tally() for code in ALL_CODES} for rule in RULES}
    for part in parts:
        for code in ALL_CODES:
            ev = part.chosen_on[code]
            cuts = {"old": first_passing(ev.y, ev.p),
                    "new": feedback_threshold(ev.y, ev.p, ev.folds)}
            y, p = part.held_out[code]
            for rule in RULES:
                pooled[rule][code].add(cuts[rule], y, p)
    return pooled


def _cell(t: Tally) -> str:
    cuts = " ".join("—" if c is None else f"{c:.2f}" for c in t.cuts)
    if not t.predicted:
        return f"{cuts} | not used |"
    share = t.right / t.predicted
    ok = "" if share >= FEEDBACK_PRECISION else " ✗"
    return (f"{cuts} | **{share:.2f}**{ok} ({t.right}/{t.predicted}; lower bound "
            f"{wilson_lower_bound(t.right, t.predicted):.2f}, recall "
            f"{t.right / max(t.positives, 1):.2f}) |")


def format_rules(pooled: dict[str, dict[str, Tally]]) -> str:
    """Markdown: per code, each rule's threshold in every outer fold and held-out precision."""
    lines = [("| code | old rule: threshold per outer fold | old: held-out precision | "
              "new rule: threshold per outer fold | new: held-out precision |"),
             "|---|---|---|---|---|"]
    for code in ALL_CODES:
        old, new = pooled["old"][code], pooled["new"][code]
        if not old.predicted and not new.predicted:
            continue
        lines.append(f"| {code} | {_cell(old)} {_cell(new)}")
    for rule in RULES:
        right = sum(t.right for t in pooled[rule].values())
        predicted = sum(t.predicted for t in pooled[rule].values())
        used = sorted(c for c, t in pooled[rule].items() if t.predicted)
        share = f"{right / predicted:.2f} ({right}/{predicted})" if predicted else "—"
        lines.append(f"\n{rule} rule: feedback from {len(used)} codes "
                     f"({', '.join(used) or 'none'}), right {share} held out")
    return "\n".join(lines)


def score_shift(parts: Sequence[FoldScores], codes: Sequence[str], cut: float = 0.5) -> str:
    """Markdown: at one threshold, how many turns are coded, and how many rightly, in the
    out-of-fold scores a rule sees and in the held-out fold. A threshold chosen on the first
    carries to the second only if the two agree."""
    lines = [(f"| code (p ≥ {cut:.2f}) | inner out-of-fold: coded, precision | "
              "held out: coded, precision |"), "|---|---|---|"]
    for code in codes:
        cells = []
        for pairs in ([(part.chosen_on[code].y, part.chosen_on[code].p) for part in parts],
                      [part.held_out[code] for part in parts]):
            n = sum(len(y) for y, _ in pairs)
            hit = sum(int((p >= cut).sum()) for _, p in pairs)
            right = sum(int((y & (p >= cut)).sum()) for y, p in pairs)
            cells.append(f"{hit / max(n, 1):.2%} of {n} turns, "
                         f"{right / hit if hit else 0.0:.2f}")
        lines.append(f"| {code} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


def held_out_codes(parts: Sequence[FoldScores]) -> str:
    """Markdown: each code coded as the coder codes it (P >= 0.5) on the held-out folds,
    pooled: the nested estimate of the whole training procedure's per-code figures."""
    metrics = {}
    for code in ALL_CODES:
        y = np.concatenate([part.held_out[code][0] for part in parts])
        p = np.concatenate([part.held_out[code][1] for part in parts])
        m: dict[str, float | None] = dict(prf(y, p >= 0.5))
        m["ece"] = expected_calibration_error(p.tolist(), y.tolist()) if len(y) else 0.0
        m["feedback_threshold"] = None  # per outer fold: the rules' table above
        metrics[code] = m
    return format_table(metrics)


def git_commit() -> str:
    """The commit the measurement ran at, ``+dirty`` when the tree had changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    # the gate files themselves do not count: writing one must not dirty the next
    changes = git("status", "--porcelain", "--", ".",
                  ":!rapport/coding/relationship/models/feedback-heldout-*.json")
    return git("rev-parse", "HEAD") + ("+dirty" if changes else "")


def write_feedback_gate(preset: str, pooled: dict[str, dict[str, Tally]]) -> Path:
    """Store the new rule's held-out result per code as ``preset``'s feedback gate, for
    the shipped model as it is now (:mod:`rapport.coding.relationship.heldout`)."""
    held_out = {code: HeldOut(t.right, t.predicted) for code, t in pooled["new"].items()}
    return write_gate(MODEL_NAMES[preset], held_out, provenance={
        "command": " ".join([".venv/bin/python", "benchmarks/relationship_feedback_rule.py",
                             *sys.argv[1:]]),
        "date": datetime.datetime.now(datetime.UTC).date().isoformat(),
        "git_commit": git_commit(),
        "measured": (f"the new rule, nested {FOLDS}-fold CV by video on the development "
                     "transcripts, pooled over the held-out folds")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--jobs", type=int, default=1,
                        help="outer folds trained at once (the table is the same)")
    parser.add_argument("--cache", action="store_true", help=(
        "keep the outer folds' scores in .cache/relationship_feedback_rule-PRESET.pkl and "
        "reuse them (to rerun the rules alone; delete it after retraining)"))
    parser.add_argument("--write", action="store_true", help=(
        "store the new rule's held-out result per code as this preset's feedback gate "
        "(rapport/coding/relationship/models/feedback-heldout-<model>.json)"))
    args = parser.parse_args()
    start = time.perf_counter()
    cache = ROOT / ".cache" / f"relationship_feedback_rule-{args.preset}.pkl"
    parts = fold_scores(args.preset, args.jobs, cache if args.cache else None)
    pooled = rules_held_out(parts)
    print(f"Feedback rule, preset `{args.preset}`: nested {FOLDS}-fold CV by video on the "
          f"development transcripts ({time.perf_counter() - start:,.0f} s wall, "
          f"{args.jobs} jobs); codes that gave no feedback under either rule left out.\n")
    print(format_rules(pooled))
    used = [c for c in ALL_CODES if any(pooled[rule][c].predicted for rule in RULES)]
    print("\nThe scores the rules choose from against the held-out ones (pooled over the "
          "outer folds; the inner out-of-fold turns are each outer training part's):\n")
    print(score_shift(parts, used))
    print("\nEach code as the coder codes it (P >= 0.5) on the held-out folds, pooled "
          "(nested CV; the feedback column is the rules' table above):\n")
    print(held_out_codes(parts))
    if args.write:
        print(f"\nwrote {write_feedback_gate(args.preset, pooled).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
