"""Server-rendered SVG charts: no JavaScript, readable without colour, printable.

Every chart carries a ``<title>`` and ``<desc>`` (named by ``aria-labelledby``) that say
what it shows in words; the page puts the same numbers in a data table next to it. The
score line is solid with round points, the cut-off is dashed (named as the instrument's
kind has it: clinical cut-off, screening cut-off, alert threshold), the band of no
reliable change is hatched, and rupture / repair markers are triangles pointing down / up
with a letter, so nothing depends on telling colours apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from rapport.report.colours import MEASURE_COLOURS

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 36
INK, MUTED = "#1b1b1b", "#4a4a4a"


@dataclass(frozen=True)
class Marker:
    """A rupture (triangle down, "R") or repair (triangle up, "✓") at a session."""

    session: int
    kind: Literal["rupture", "repair"]


@dataclass(frozen=True)
class Chart:
    """One line chart of scores across sessions."""

    chart_id: str
    title: str
    points: Sequence[tuple[int, float]]
    y_range: tuple[float, float]
    cut_off: float | None = None
    band: tuple[float, float] | None = None
    markers: Sequence[Marker] = ()
    #: the client rates both questionnaires, so the lines take measure colours (never a
    #: speaker role's colour: rapport.report.colours)
    colour: str = MEASURE_COLOURS["outcome"]
    #: what the dashed line is called: the instrument's own kind of cut-off
    #: (``rapport.measures.scoring.cut_off_title``: a screener's is a screening cut-off, an
    #: alliance measure's an alert threshold); the client's own view says "the line"
    cut_off_name: str = "cut-off"
    cut_off_short: str = "cut-off"


def _fmt(value: float) -> str:
    return f"{value:g}"


def describe(chart: Chart) -> str:
    """The chart in one paragraph of words (the SVG's ``<desc>``)."""
    if not chart.points:
        return "No scored administrations yet."
    parts = ["Scores by session: " + ", ".join(f"session {s}: {_fmt(v)}"
                                               for s, v in chart.points) + "."]
    if chart.cut_off is not None:
        parts.append(f"Dashed line: {chart.cut_off_name} at {_fmt(chart.cut_off)}.")
    if chart.band is not None:
        parts.append(f"Hatched band: no reliable change from the first score "
                     f"({_fmt(chart.band[0])} to {_fmt(chart.band[1])}).")
    parts.extend(f"{'Rupture' if m.kind == 'rupture' else 'Repair'} at session {m.session}."
                 for m in chart.markers)
    return " ".join(parts)


def line_chart(chart: Chart) -> Markup:
    """An accessible SVG line chart (responsive width, fixed aspect ratio)."""
    low, high = chart.y_range
    span = (high - low) or 1.0
    sessions = [s for s, _ in chart.points] or [1]
    first, last = min(sessions), max(sessions)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(session: float) -> float:
        return LEFT + (plot_w / 2 if last == first
                       else (session - first) / (last - first) * plot_w)

    def y(value: float) -> float:
        return TOP + (1 - (min(max(value, low), high) - low) / span) * plot_h

    cid = escape(chart.chart_id)
    out: list[str] = [
        (f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
         f'aria-labelledby="{cid}-t {cid}-d" xmlns="http://www.w3.org/2000/svg">'),
        f'<title id="{cid}-t">{escape(chart.title)}</title>',
        f'<desc id="{cid}-d">{escape(describe(chart))}</desc>',
        (f'<defs><pattern id="{cid}-hatch" width="8" height="8" '
         f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" '
         f'x2="0" y2="8" stroke="{MUTED}" stroke-width="1.5" stroke-opacity="0.45"/>'
         f'</pattern></defs>'),
        (f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
         f'stroke="{MUTED}" stroke-width="1"/>')]
    if chart.band is not None:
        top, bottom = y(chart.band[1]), y(chart.band[0])
        out.append(f'<rect class="rc-band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" '
                   f'height="{max(bottom - top, 1):.1f}" fill="url(#{cid}-hatch)"/>')
    out.extend(f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
               f'font-size="12" fill="{INK}">{_fmt(round(tick, 1))}</text>'
               for tick in (low, low + span / 2, high))
    if chart.cut_off is not None:
        cy = y(chart.cut_off)
        out.append(f'<line class="cut-off" x1="{LEFT}" y1="{cy:.1f}" x2="{LEFT + plot_w}" '
                   f'y2="{cy:.1f}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{LEFT + plot_w - 4}" y="{cy - 4:.1f}" text-anchor="end" '
                   f'font-size="12" fill="{INK}">{escape(chart.cut_off_short)} '
                   f'{_fmt(chart.cut_off)}</text>')
    out.extend(f'<text x="{x(s):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
               f'font-size="12" fill="{INK}">{s}</text>' for s in sorted(set(sessions)))
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 4}" text-anchor="middle" '
               f'font-size="12" fill="{MUTED}">session</text>')
    if chart.points:
        coords = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in chart.points)
        colour = escape(chart.colour)
        out.append(f'<polyline class="score" points="{coords}" fill="none" '
                   f'stroke="{colour}" stroke-width="2.5"/>')
        out.extend(f'<circle cx="{x(s):.1f}" cy="{y(v):.1f}" r="4.5" fill="{colour}" '
                   f'stroke="{INK}" stroke-width="1"/>' for s, v in chart.points)
    values = dict(chart.points)
    for m in chart.markers:
        mx = x(m.session)
        my = y(values[m.session]) if m.session in values else TOP + plot_h / 2
        if m.kind == "rupture":
            shape, label, ly = (f"{mx - 7:.1f},{my + 10:.1f} {mx + 7:.1f},{my + 10:.1f} "
                                f"{mx:.1f},{my + 22:.1f}"), "R", my + 36
        else:
            shape, label, ly = (f"{mx - 7:.1f},{my - 10:.1f} {mx + 7:.1f},{my - 10:.1f} "
                                f"{mx:.1f},{my - 22:.1f}"), "✓", my - 26
        out.append(f'<polygon class="marker {m.kind}" points="{shape}" fill="#fff" '
                   f'stroke="{INK}" stroke-width="1.5"/>')
        out.append(f'<text x="{mx:.1f}" y="{ly:.1f}" text-anchor="middle" font-size="12" '
                   f'font-weight="700" fill="{INK}">{label}</text>')
    out.append("</svg>")
    # Every interpolated text above went through escape(); numbers are formatted floats.
    return Markup("\n".join(out))  # noqa: S704


def sparkline(values: Sequence[float | None], *, label: str, width: int = 120,
              height: int = 28) -> Markup:
    """A small trend line; its ``aria-label`` lists the values, gaps stay gaps."""
    known = [v for v in values if v is not None]
    words = ", ".join("none" if v is None else f"{v:.2g}" for v in values)
    aria = escape(f"{label}: {words}" if values else f"{label}: no values")
    if not known:
        return Markup(f'<svg class="spark" width="{width}" height="{height}" '  # noqa: S704
                      f'role="img" aria-label="{aria}"></svg>')
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 8) / max(len(values) - 1, 1)
    parts: list[str] = []
    for i, v in enumerate(values):
        if v is None:
            continue
        px = 4 + i * step
        py = height - 4 - (v - low) / span * (height - 8) if high != low else height / 2
        parts.append(f"{px:.1f},{py:.1f}")
    dots = "".join(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="2" '
                   f'fill="{INK}"/>' for p in parts)
    return Markup(  # noqa: S704 - only formatted numbers and escaped text
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} '
        f'{height}" role="img" aria-label="{aria}"><polyline points="{" ".join(parts)}" '
        f'fill="none" stroke="{INK}" stroke-width="1.5"/>{dots}</svg>')
