"""Turn-taking: who talked how much, how long, and how fast they answered.

Shares are computed over all speakers and sum to 1. Talk time is the sum of a speaker's
turn durations (overlapping speech counts for both speakers, so the shares use the sum
of speaker times as denominator, not the session length). Response latency is the
floor-transfer offset ``next.start - previous.end`` at each change of speaker between a
therapist and a client turn (negative = overlap), reported per direction; back-channels
do not take the floor, so they are skipped.
"""

from __future__ import annotations

import itertools
import statistics
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from rapport.domain import Role, Session, Turn
from rapport.report.section import AnalysisContext, ReportSection

if TYPE_CHECKING:
    from rich.console import Console


class SpeakerTurnTaking(BaseModel):
    speaker: str
    role: Role
    turns: int = Field(description="Turns that take the floor (back-channels excluded).")
    backchannels: int
    words: int
    word_share: float = Field(ge=0, le=1)
    seconds: float | None = None
    time_share: float | None = Field(default=None, ge=0, le=1)
    mean_turn_words: float
    longest_turn_words: int
    longest_turn_index: int | None = None
    mean_turn_seconds: float | None = None
    longest_turn_seconds: float | None = None


class LatencyStats(BaseModel):
    direction: str = Field(description="'therapist->client' is the client's latency.")
    n: int
    median_s: float
    mean_s: float
    iqr_s: float
    share_over_1s: float
    share_over_3s: float
    overlaps: int = Field(description="Transfers where the next speaker started early.")


class TurnTakingResult(BaseModel):
    total_turns: int
    total_words: int
    has_times: bool
    speakers: list[SpeakerTurnTaking]
    role_word_share: dict[str, float] = Field(
        description="Share of words by role (therapist, client, other).")
    role_time_share: dict[str, float] | None = None
    latency: list[LatencyStats] = Field(default_factory=list)


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def _speaker_stats(name: str, role: Role, turns: list[Turn], total_words: int,
                   total_seconds: float | None) -> SpeakerTurnTaking:
    floor_turns = [t for t in turns if not t.backchannel]
    words = sum(t.words for t in turns)
    longest = max(floor_turns or turns, key=lambda t: t.words, default=None)
    durations = [t.duration for t in floor_turns if t.duration is not None]
    seconds = sum(t.duration or 0.0 for t in turns) if total_seconds is not None else None
    return SpeakerTurnTaking(
        speaker=name, role=role, turns=len(floor_turns),
        backchannels=len(turns) - len(floor_turns), words=words,
        word_share=_share(words, total_words),
        seconds=seconds,
        time_share=None if seconds is None or total_seconds is None
        else _share(seconds, total_seconds),
        mean_turn_words=_share(sum(t.words for t in floor_turns), len(floor_turns)),
        longest_turn_words=longest.words if longest else 0,
        longest_turn_index=longest.index if longest else None,
        mean_turn_seconds=statistics.fmean(durations) if durations else None,
        longest_turn_seconds=max(durations) if durations else None,
    )


def _latencies(session: Session) -> list[LatencyStats]:
    floor = [t for t in session.turns if not t.backchannel
             and t.role in (Role.THERAPIST, Role.CLIENT)]
    by_direction: dict[str, list[float]] = {}
    for prev, nxt in itertools.pairwise(floor):
        if prev.role == nxt.role or prev.end is None or nxt.start is None:
            continue
        by_direction.setdefault(f"{prev.role.value}->{nxt.role.value}", []).append(
            nxt.start - prev.end)
    out = []
    for direction, values in sorted(by_direction.items()):
        q = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else [
            values[0]] * 3
        out.append(LatencyStats(
            direction=direction, n=len(values), median_s=statistics.median(values),
            mean_s=statistics.fmean(values), iqr_s=q[2] - q[0],
            share_over_1s=_share(sum(v > 1 for v in values), len(values)),
            share_over_3s=_share(sum(v > 3 for v in values), len(values)),
            overlaps=sum(v < 0 for v in values)))
    return out


def turn_taking(session: Session) -> TurnTakingResult:
    """Compute the turn-taking statistics of one session.

    >>> s = Session.build("x", [("T", "therapist", "How was the week?"),
    ...                         ("C", "client", "Long and tiring, honestly.")])
    >>> turn_taking(s).role_word_share
    {'therapist': 0.5, 'client': 0.5}
    """
    total_words = sum(t.words for t in session.turns)
    has_times = session.has_times
    total_seconds = sum(t.duration or 0.0 for t in session.turns) if has_times else None
    speakers = [
        _speaker_stats(s.name, s.role, [t for t in session.turns if t.speaker == s.name],
                       total_words, total_seconds)
        for s in session.speakers
    ]
    role_words = {r.value: sum(s.words for s in speakers if s.role == r) for r in Role}
    role_word_share = {r: _share(w, total_words) for r, w in role_words.items() if w or
                       any(s.role.value == r for s in speakers)}
    role_time_share = None
    if total_seconds is not None:
        role_time_share = {
            r.value: _share(sum(s.seconds or 0.0 for s in speakers if s.role == r),
                            total_seconds)
            for r in Role if any(s.role == r for s in speakers)}
    return TurnTakingResult(
        total_turns=len(session.turns), total_words=total_words, has_times=has_times,
        speakers=speakers, role_word_share=role_word_share, role_time_share=role_time_share,
        latency=_latencies(session) if has_times else [])


class TurnTakingSection(ReportSection[TurnTakingResult]):
    name = "turn_taking"
    title = "Turn-taking and talk time"
    result_model = TurnTakingResult

    def compute(self, ctx: AnalysisContext) -> TurnTakingResult:
        return turn_taking(ctx.session)

    def metrics(self, result: TurnTakingResult) -> dict[str, float | None]:
        out: dict[str, float | None] = {
            f"turn_taking.{role}_word_share": share
            for role, share in result.role_word_share.items()}
        for role, share in (result.role_time_share or {}).items():
            out[f"turn_taking.{role}_time_share"] = share
        for lat in result.latency:
            key = lat.direction.replace("->", "_to_")
            out[f"turn_taking.latency_{key}_median_s"] = lat.median_s
        return out

    def render_terminal(self, result: TurnTakingResult, console: Console) -> None:
        from rich.table import Table
        table = Table(title=self.title, title_justify="left")
        for col in ("speaker", "role", "turns", "words", "word share", "time share",
                    "mean words/turn", "longest turn", "back-channels"):
            table.add_column(col, justify="left" if col in ("speaker", "role") else "right")
        for s in result.speakers:
            table.add_row(s.speaker, s.role.value, str(s.turns), str(s.words),
                          f"{s.word_share:.0%}",
                          "—" if s.time_share is None else f"{s.time_share:.0%}",
                          f"{s.mean_turn_words:.1f}", f"{s.longest_turn_words} words",
                          str(s.backchannels))
        console.print(table)
        for lat in result.latency:
            console.print(f"  response latency {lat.direction}: median {lat.median_s:.2f} s, "
                          f"{lat.share_over_3s:.0%} over 3 s, {lat.overlaps} overlaps "
                          f"(n={lat.n})")

    def render_html(self, result: TurnTakingResult, ctx: AnalysisContext) -> str:
        from rapport.report.html import render_fragment

        return render_fragment("turn_taking.html.j2", result=result, title=self.title)
