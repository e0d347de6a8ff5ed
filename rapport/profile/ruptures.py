"""Rupture events within a session and whether the therapist repaired them.

The rules (documented with their thresholds in ``docs/metrics.md``) follow the two
rupture families of Safran & Muran and the Rupture Resolution Rating System (3RS):

- ``withdrawal_code`` / ``confrontation_code``: a client turn coded ``withdrawal`` or
  ``confrontation``; strength = the code's confidence.
- ``minimal_answers``: :data:`MIN_RUN` or more client answers in a row, each at most
  :data:`MINIMAL_WORDS` words, each answering a therapist question (withdrawal).
- ``sustain_after_advice``: sustain talk in the client's answer to advice given without
  asking permission (confrontation: the client rejects the intervention).
- ``words_drop``: client words per turn over the next 3 answers fall to
  :data:`DROP_RATIO` or less of the mean of the previous 5 (withdrawal).

Events of the same type that touch (within :data:`MERGE_GAP` turns) are merged. The
therapist's next :data:`REPAIR_WINDOW` turns decide the outcome: any repair move
(metacommunication, reflection, validation, backing off) = ``repaired``; otherwise any
advice or confrontation = ``missed``; otherwise ``unclear``.
"""

from __future__ import annotations

import statistics

from rapport.domain import Role, Turn
from rapport.profile import behaviours as b
from rapport.profile.models import ProfileEvidence, RuptureResponse, RuptureType, SessionRupture
from rapport.profile.view import SessionView

MIN_RUN = 3
MINIMAL_WORDS = 3
DROP_RATIO = 0.3
DROP_BASELINE_MIN_WORDS = 12.0
MERGE_GAP = 2
REPAIR_WINDOW = 3

_Raw = tuple[int, int, RuptureType, float, str, list[ProfileEvidence]]


def _answers_question(v: SessionView, t: Turn) -> bool:
    prev = v.turns[t.index - 1] if t.index > 0 else None
    if prev is None or prev.role != Role.THERAPIST:
        return False
    if v.has("therapist_behaviour"):
        return b.is_question(v, prev.index)
    return prev.text.rstrip().endswith("?")


def _code_events(v: SessionView) -> list[_Raw]:
    kinds: tuple[RuptureType, ...] = ("withdrawal", "confrontation")
    return [(t.index, t.index, name, v.confidence(t.index, name), f"{name}_code",
             [v.evidence(t.index, f"{name} coded")])
            for t in v.turns if t.role == Role.CLIENT
            for name in kinds if v.flag(t.index, name)]


def _minimal_runs(v: SessionView) -> list[_Raw]:
    out: list[_Raw] = []
    run: list[Turn] = []
    for t in [*v.turns, None]:
        if t is not None and t.role != Role.CLIENT:
            continue
        if t is not None and t.words <= MINIMAL_WORDS and _answers_question(v, t):
            run.append(t)
            continue
        if len(run) >= MIN_RUN:
            strength = min(1.0, 0.3 + 0.15 * len(run))
            out.append((run[0].index, run[-1].index, "withdrawal", strength, "minimal_answers",
                        [v.evidence(r.index, f"minimal answer ({r.words} words)")
                         for r in run]))
        run = []
    return out


def _sustain_after_advice(v: SessionView) -> list[_Raw]:
    out: list[_Raw] = []
    for t in v.of_role(Role.THERAPIST):
        moves = [m for m in b.pressing_on(v, t.index) if m != "confront"]
        if not moves:
            continue
        nxt = v.next_of_role(t.index, Role.CLIENT, 1)
        if nxt and v.is_(nxt[0].index, "client_talk", "sustain") \
                and nxt[0].index <= t.index + 2:
            c = nxt[0].index
            out.append((c, c, "confrontation", 0.6, "sustain_after_advice",
                        [v.evidence(t.index, ", ".join(moves)),
                         v.evidence(c, "sustain talk after advice")]))
    return out


def _words_drops(v: SessionView) -> list[_Raw]:
    client = v.of_role(Role.CLIENT)
    out: list[_Raw] = []
    k = 3
    while k + 3 <= len(client):
        base = statistics.fmean(t.words for t in client[max(0, k - 5):k])
        window = client[k:k + 3]
        now = statistics.fmean(t.words for t in window)
        if base >= DROP_BASELINE_MIN_WORDS and now <= DROP_RATIO * base:
            out.append((window[0].index, window[-1].index, "withdrawal",
                        min(1.0, 1.0 - now / base), "words_drop",
                        [v.evidence(t.index, f"{t.words} words (was ~{base:.0f})")
                         for t in window]))
            k += 3
            continue
        k += 1
    return out


def _merge(raw: list[_Raw]) -> list[tuple[int, int, RuptureType, float, list[str],
                                          list[ProfileEvidence]]]:
    merged: list[tuple[int, int, RuptureType, float, list[str], list[ProfileEvidence]]] = []
    for start, end, kind, strength, rule, ev in sorted(raw, key=lambda r: (r[0], r[2])):
        for j, (s0, e0, k0, st0, rules0, ev0) in enumerate(merged):
            if k0 == kind and start <= e0 + MERGE_GAP and end >= s0 - MERGE_GAP:
                seen = {e.turn_index for e in ev0}
                merged[j] = (min(s0, start), max(e0, end), kind, max(st0, strength),
                             sorted({*rules0, rule}),
                             sorted([*ev0, *(e for e in ev if e.turn_index not in seen)],
                                    key=lambda e: e.turn_index))
                break
        else:
            merged.append((start, end, kind, strength, [rule], ev))
    return merged


def _outcome(v: SessionView, end: int) -> tuple[list[RuptureResponse], int | None,
                                                list[str], str]:
    responses = []
    for t in v.next_of_role(end, Role.THERAPIST, REPAIR_WINDOW):
        repair, press = b.repair_moves(v, t.index), b.pressing_on(v, t.index)
        kind = "repair" if repair else "press_on" if press else "neutral"
        responses.append(RuptureResponse(turn_index=t.index, kind=kind,  # type: ignore[arg-type]
                                         strategies=repair or press))
    first = next((r for r in responses if r.kind == "repair"), None)
    if first is not None:
        how = list(first.strategies)
        if any(r.kind == "press_on" and r.turn_index < first.turn_index for r in responses):
            how.append("after pressing on first")
        return responses, first.turn_index, how, "repaired"
    status = "missed" if any(r.kind == "press_on" for r in responses) else "unclear"
    return responses, None, [], status


def detect_ruptures(v: SessionView) -> list[SessionRupture]:
    """Every rupture event of the session, in order, with its repair outcome."""
    raw = _code_events(v) + _minimal_runs(v) + _sustain_after_advice(v) + _words_drops(v)
    events = []
    for start, end, kind, strength, rules, ev in _merge(raw):
        responses, repair_turn, how, status = _outcome(v, end)
        events.append(SessionRupture(
            start_turn=start, end_turn=end, type=kind, strength=round(strength, 3),
            rules=rules, evidence=ev, status=status,  # type: ignore[arg-type]
            repair_turn=repair_turn, how=how, responses=responses))
    return events
