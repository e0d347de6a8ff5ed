"""Geometry of the synchrony-over-the-session chart (numbers only; the template draws it).

The chart has one time axis for everything: movement synchrony per window on top (with the
surrogate mean as the chance line), and below it the transcript timeline, one lane per
role, with rupture markers where a coder flagged one. Only numbers and turn indices leave
this module; any text is escaped by the template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import BaseModel

from rapport.domain import CodedSession, Role
from rapport.nonverbal.analysis import NonverbalResult

WIDTH, LEFT, RIGHT = 720.0, 92.0, 10.0
TOP, PLOT_H, LANE_H = 10.0, 120.0, 16.0


@dataclass
class Chart:
    width: float
    height: float
    duration_s: float
    points: list[tuple[float, float]] = field(default_factory=list)
    chance_y: float | None = None
    y_max: float = 1.0
    lanes: list[tuple[str, float]] = field(default_factory=list)
    #: (x, y, width, turn index, role value): the template colours a bar by its role
    bars: list[tuple[float, float, float, int, str]] = field(default_factory=list)
    ruptures: list[tuple[float, float, int]] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)
    #: (label, role value, top y, polyline points) of per-second motion energy, one per person
    motion: list[tuple[str, str, float, list[tuple[float, float]]]] = field(
        default_factory=list)
    plot_bottom: float = TOP + PLOT_H


def _is_rupture(name: str, value: object) -> bool:
    return "rupture" in name.lower() and value not in (False, None, "", "none", "no")


def rupture_turns(coded: CodedSession, results: Mapping[str, BaseModel]) -> set[int]:
    """Turns where a rupture starts: from the profile section's ``ruptures`` (read by
    attribute, so this box does not depend on that one) or from rupture codes."""
    turns = {tc.turn_index for tc in coded.codes for c in tc.codes
             if _is_rupture(c.name, c.value)}
    for rupture in getattr(results.get("profile"), "ruptures", None) or []:
        start = getattr(rupture, "start_turn", None)
        if isinstance(start, int):
            turns.add(start)
    return turns


def build_chart(result: NonverbalResult, coded: CodedSession,
                results: Mapping[str, BaseModel] | None = None) -> Chart | None:
    """Chart geometry, or None when there is neither movement synchrony nor a timeline."""
    session = coded.session
    windows = result.movement.windows if result.movement else []
    timed = [t for t in session.turns if t.start is not None and t.end is not None]
    if not windows and not timed:
        return None
    duration = max([w.end_s for w in windows] + [float(t.end or 0) for t in timed]
                   + [result.movement.duration_s if result.movement else 0.0, 1.0])
    span = WIDTH - LEFT - RIGHT

    def x_of(sec: float) -> float:
        return round(LEFT + span * sec / duration, 1)

    values = [w.synchrony for w in windows if w.synchrony is not None]
    test = result.movement.test if result.movement else None
    y_max = max([*values, test.surrogate_mean if test else 0.0, 0.05]) * 1.15

    def y_of(v: float) -> float:
        return round(TOP + PLOT_H * (1 - v / y_max), 1)

    chart = Chart(width=WIDTH, height=0.0, duration_s=duration, y_max=y_max)
    chart.points = [(x_of((w.start_s + w.end_s) / 2), y_of(w.synchrony)) for w in windows
                    if w.synchrony is not None]
    if test is not None:
        chart.chance_y = y_of(test.surrogate_mean)
    lane_top = TOP + PLOT_H + 24
    if result.movement is not None and result.movement.client_motion:
        m = result.movement
        peak = max([v for v in m.client_motion + m.therapist_motion if v] or [1.0])
        for k, (role, series) in enumerate(((Role.CLIENT, m.client_motion),
                                            (Role.THERAPIST, m.therapist_motion))):
            base = lane_top + k * (LANE_H + 4) + LANE_H
            chart.motion.append((f"{role.value} moves", role.value, base - LANE_H, [
                (x_of(sec + 0.5), round(base - LANE_H * (v or 0.0) / peak, 1))
                for sec, v in enumerate(series)]))
        lane_top += 2 * (LANE_H + 4) + 6
    roles = [r for r in (Role.THERAPIST, Role.CLIENT, Role.OTHER) if any(t.role == r
                                                                        for t in timed)]
    chart.lanes = [(r.value, lane_top + k * (LANE_H + 4)) for k, r in enumerate(roles)]
    lane_y = dict(zip(roles, (y for _, y in chart.lanes), strict=True))
    flagged = rupture_turns(coded, results or {})
    for t in timed:
        x0 = x_of(float(t.start))  # type: ignore[arg-type]
        chart.bars.append((x0, lane_y[t.role], max(0.8, x_of(float(t.end)) - x0),  # type: ignore[arg-type]
                           t.index, t.role.value))
        if t.index in flagged:
            chart.ruptures.append((x0, lane_top - 6, t.index))
    step = next(s for s in (10, 30, 60, 120, 300, 600, 1800, 3600, 1e9)
                if duration / s <= 10)
    chart.ticks = [(x_of(k * step), f"{int(k * step) // 60}:{int(k * step) % 60:02d}")
                   for k in range(int(duration // step) + 1)]
    chart.height = lane_top + len(roles) * (LANE_H + 4) + 22
    return chart
