"""Conversational timing from a timestamped transcript: pauses, gaps, overlaps, interruptions.

Terms follow Heldner & Edlund (2010): a *pause* is silence within one speaker's turn, a
*gap* is silence between speakers, an *overlap* a negative gap. The floor-transfer offset
(FTO) is ``next.start - previous.end`` at each change of speaker, reported per direction
(``therapist->client`` is the client's response latency). Back-channels ("mm-hmm") do not
take the floor. Consecutive transcript turns of one speaker form one floor turn; the
silences between them are that speaker's pauses. An *interruption* is an overlap of at
least ``min_overlap_s`` where the newcomer keeps talking after the previous speaker stops;
otherwise the overlap is non-competitive. This extends the response latencies of
:mod:`rapport.profile.turn_taking` (same statistics, same direction labels).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

from pydantic import BaseModel, Field

from rapport.domain import Role, Session
from rapport.profile.turn_taking import LatencyStats


@dataclass
class _Floor:
    speaker: str
    role: Role
    start: float
    end: float
    pauses: list[float]


class InterruptionCount(BaseModel):
    role: str
    interruptions: int
    per_10_min: float
    non_competitive_overlaps: int


class TimingResult(BaseModel):
    duration_s: float
    floor_turns: int
    fto: list[LatencyStats] = Field(description="Floor-transfer offsets per direction.")
    gaps: int
    overlaps: int
    interruptions: list[InterruptionCount]
    pauses: int = Field(description="Silences >= min_pause_s inside one speaker's turn.")
    pause_mean_s: float | None
    silence_share: float = Field(description="Share of the session with nobody talking.")
    overlap_share: float = Field(description="Share of the session with both talking.")
    min_pause_s: float
    min_overlap_s: float


def _floor_turns(session: Session, min_pause_s: float) -> list[_Floor]:
    turns = [t for t in session.turns if not t.backchannel and t.start is not None
             and t.end is not None and t.role in (Role.THERAPIST, Role.CLIENT)]
    out: list[_Floor] = []
    for t in turns:
        start, end = float(t.start), float(t.end)  # type: ignore[arg-type]
        if out and out[-1].speaker == t.speaker:
            silence = start - out[-1].end
            if silence >= min_pause_s:
                out[-1].pauses.append(silence)
            out[-1].end = max(out[-1].end, end)
        else:
            out.append(_Floor(t.speaker, t.role, start, end, []))
    return out


def _stats(direction: str, values: list[float]) -> LatencyStats:
    q = (statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1
         else [values[0]] * 3)
    n = len(values)
    return LatencyStats(direction=direction, n=n, median_s=statistics.median(values),
                        mean_s=statistics.fmean(values), iqr_s=q[2] - q[0],
                        share_over_1s=sum(v > 1 for v in values) / n,
                        share_over_3s=sum(v > 3 for v in values) / n,
                        overlaps=sum(v < 0 for v in values))


def _union_length(spans: list[tuple[float, float]]) -> float:
    total, cur_a, cur_b = 0.0, None, None
    for a, b in sorted(spans):
        if cur_b is None or a > cur_b:
            if cur_b is not None and cur_a is not None:
                total += cur_b - cur_a
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    if cur_a is not None and cur_b is not None:
        total += cur_b - cur_a
    return total


def timing(session: Session, *, min_pause_s: float = 0.2,
           min_overlap_s: float = 0.2) -> TimingResult | None:
    """Timing statistics, or None when the transcript has no times."""
    floor = _floor_turns(session, min_pause_s)
    if len(floor) < 2:
        return None
    by_direction: dict[str, list[float]] = {}
    interrupt: dict[str, list[int]] = {}
    for prev, nxt in itertools.pairwise(floor):
        fto = nxt.start - prev.end
        by_direction.setdefault(f"{prev.role.value}->{nxt.role.value}", []).append(fto)
        if fto <= -min_overlap_s:
            counts = interrupt.setdefault(nxt.role.value, [0, 0])
            counts[0 if nxt.end > prev.end else 1] += 1
    timed = [t for t in session.turns if t.start is not None and t.end is not None]
    start = min(float(t.start) for t in timed)  # type: ignore[arg-type]
    end = max(float(t.end) for t in timed)  # type: ignore[arg-type]
    duration = max(end - start, 1e-9)
    speech = {r: _union_length([(float(t.start), float(t.end)) for t in timed  # type: ignore[arg-type]
                                if t.role == r]) for r in (Role.THERAPIST, Role.CLIENT)}
    anyone = _union_length([(float(t.start), float(t.end)) for t in timed])  # type: ignore[arg-type]
    pair = _union_length([(float(t.start), float(t.end)) for t in timed  # type: ignore[arg-type]
                          if t.role in speech])
    both = max(0.0, sum(speech.values()) - pair)  # |T and C| = |T| + |C| - |T or C|
    pauses = [p for f in floor for p in f.pauses]
    values = [v for vs in by_direction.values() for v in vs]
    return TimingResult(
        duration_s=duration, floor_turns=len(floor),
        fto=[_stats(d, v) for d, v in sorted(by_direction.items())],
        gaps=sum(v > 0 for v in values), overlaps=sum(v < 0 for v in values),
        interruptions=[InterruptionCount(role=r, interruptions=c[0],
                                         per_10_min=c[0] / duration * 600,
                                         non_competitive_overlaps=c[1])
                       for r, c in sorted(interrupt.items())],
        pauses=len(pauses), pause_mean_s=statistics.fmean(pauses) if pauses else None,
        silence_share=max(0.0, 1 - anyone / duration), overlap_share=both / duration,
        min_pause_s=min_pause_s, min_overlap_s=min_overlap_s)
