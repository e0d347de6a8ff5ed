"""Geometry of the session timeline (an inline SVG in the HTML report).

The x axis is the session's running word count (or clock time when every turn has
times), so a long turn is a wide bar. Therapist turns sit in the top lane, client turns
in the bottom lane, each lane ruled and labelled in its role's colour. Behaviour is
encoded twice, by colour *and* by bar height, so the chart reads without colour; the
behaviour colours are never a role's colour (:mod:`rapport.report.colours`), so blue
and orange mean therapist and client here as on every other chart. Every bar has a text
title and links to its turn in the transcript. Ruptures are drawn as labelled spans ("W" withdrawal,
"C" confrontation) with the outcome written out ("repaired", "unrepaired").
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.domain import Role, Session
from rapport.profile.models import ProfileResult
from rapport.profile.view import SessionView
from rapport.report.colours import GREEN, GREY, PINK, SKY, VERMILLION

WIDTH = 800.0
LEFT = 70.0
LANE_H = 36.0
THERAPIST_Y = 30.0
CLIENT_Y = 96.0

#: label -> (colour, height fraction, legend text)
THERAPIST_STYLE = {
    "reflection": (GREEN, 1.0, "reflection (full height)"),
    "question": (SKY, 0.7, "question (70%)"),
    "input": (VERMILLION, 0.45, "information / advice (45%)"),
    "other": (GREY, 0.25, "other or not coded (25%)"),
}
CLIENT_STYLE = {
    "change": (GREEN, 1.0, "change talk (full height)"),
    "neutral": (GREY, 0.6, "neutral (60%)"),
    "sustain": (PINK, 0.3, "sustain talk (30%)"),
}


@dataclass(frozen=True)
class Bar:
    index: int
    x: float
    w: float
    y: float
    h: float
    colour: str
    title: str


#: Label rows inside the rupture band (text baselines) and the width one character takes.
LABEL_ROWS = (82.0, 93.0)
CHAR_W = 7.0


@dataclass(frozen=True)
class Span:
    x: float
    w: float
    label: str
    outcome: str
    title: str
    label_x: float = 0.0
    label_y: float = LABEL_ROWS[0]

    @property
    def label_w(self) -> float:
        """Width of the label text with its outcome mark (one character plus a space)."""
        return CHAR_W * (len(self.label) + 2)


def place_labels(spans: list[Span]) -> list[Span]:
    """Give every span's label a place where it overprints no other label.

    Labels go in the first row free at the span's start, else where a row frees up
    soonest (shifted right of the span's start); in a crowded session labels move right but
    never overlap, and every span keeps its full title for hover and screen readers.
    """
    ends = [0.0 for _ in LABEL_ROWS]
    out = []
    for s in sorted(spans, key=lambda s: s.x):
        want = s.x + 2
        row = next((r for r, end in enumerate(ends) if end <= want),
                   min(range(len(ends)), key=lambda r: ends[r]))
        x = max(want, ends[row])
        ends[row] = x + s.label_w
        out.append(Span(x=s.x, w=s.w, label=s.label, outcome=s.outcome, title=s.title,
                        label_x=x, label_y=LABEL_ROWS[row]))
    return out


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    spans: list[Span]
    therapist_legend: list[tuple[str, str]]
    client_legend: list[tuple[str, str]]
    axis: str


def _positions(session: Session) -> tuple[list[tuple[float, float]], str]:
    if session.has_times:
        starts = [t.start or 0.0 for t in session.turns]
        ends = [max(t.end or 0.0, (t.start or 0.0) + 0.5) for t in session.turns]
        origin = min(starts)
        return [(s - origin, e - s) for s, e in zip(starts, ends, strict=True)], "seconds"
    pos, out = 0.0, []
    for t in session.turns:
        w = float(max(t.words, 1))
        out.append((pos, w))
        pos += w
    return out, "words"


def build_timeline(session: Session, profile: ProfileResult, view: SessionView) -> Timeline:
    """Bars for every turn and spans for every rupture, scaled to the SVG width."""
    raw, axis = _positions(session)
    total = max((x + w for x, w in raw), default=1.0) or 1.0
    scale = (WIDTH - LEFT - 10) / total
    bars = []
    for t, (x, w) in zip(session.turns, raw, strict=True):
        if t.role == Role.THERAPIST:
            label = str(view.label(t.index, "therapist_behaviour") or "other")
            colour, frac, _ = THERAPIST_STYLE.get(label, THERAPIST_STYLE["other"])
            base = THERAPIST_Y
        else:
            label = str(view.label(t.index, "client_talk") or "neutral")
            colour, frac, _ = CLIENT_STYLE.get(label, CLIENT_STYLE["neutral"])
            base = CLIENT_Y
        h = LANE_H * frac
        bars.append(Bar(index=t.index, x=LEFT + x * scale, w=max(w * scale, 1.0),
                        y=base + LANE_H - h, h=h, colour=colour,
                        title=f"turn {t.index} · {t.speaker} ({t.role.value}) · {label}"))
    spans = []
    for k, r in enumerate(profile.ruptures, start=1):
        x0 = LEFT + raw[r.start_turn][0] * scale
        x1 = LEFT + sum(raw[r.end_turn]) * scale
        tag = "W" if r.type == "withdrawal" else "C"
        spans.append(Span(x=x0, w=max(x1 - x0, 4.0), label=f"{tag}{k}", outcome=r.status,
                          title=f"rupture {k}: {r.type}, turns {r.start_turn}–{r.end_turn}, "
                          f"{r.status}"))
    return Timeline(bars=bars, spans=place_labels(spans),
                    therapist_legend=[(c, t) for c, _, t in THERAPIST_STYLE.values()],
                    client_legend=[(c, t) for c, _, t in CLIENT_STYLE.values()], axis=axis)
