"""Progress of one client on one instrument: points, change since intake, alerts, a chart.

Plain inputs on purpose: a list of :class:`~rapport.measures.alerts.Administration` (session
number, optional date, score). ``rapport progress CLIENT`` will read them from the record
and call :func:`progress`; tests and notebooks call it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from rapport.measures.alerts import (
    Administration,
    Alert,
    AllianceRules,
    NotOnTrackRules,
    alliance_alerts,
    not_on_track_alerts,
    safety_alerts,
)
from rapport.measures.change import Change, classify_change, with_safety_caveat
from rapport.measures.expected import ExpectedChangeModel
from rapport.measures.schema import Instrument

_SEVERITY_ORDER = {"urgent": 0, "warning": 1, "info": 2}


class ProgressPoint(BaseModel):
    model_config = ConfigDict(frozen=True)

    session: int
    date: dt.date | None
    total: float | None
    band: str | None
    in_clinical_range: bool | None
    change: Change | None


class ProgressReport(BaseModel):
    """Everything ``rapport progress`` shows for one instrument."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    short_name: str
    validated: bool
    points: list[ProgressPoint]
    overall: Change | None
    alerts: list[Alert]


def progress(instrument: Instrument, administrations: Sequence[Administration], *,
             not_on_track: NotOnTrackRules | None = None,
             alliance: AllianceRules | None = None,
             expected: ExpectedChangeModel | None = None) -> ProgressReport:
    """Build the progress report; urgent safety alerts always come first."""
    ordered = sorted(administrations, key=lambda a: a.session)
    sessions = [a.session for a in ordered]
    if len(set(sessions)) != len(sessions):
        from rapport.errors import RapportInputError

        raise RapportInputError("two administrations share one session number",
                                where=instrument.short_name,
                                fix="keep one administration per session and instrument",
                                code="duplicate_session")
    scored = [a for a in ordered if a.score.total is not None]
    intake = scored[0].score.total if scored else None
    # A change to an administration that carries an urgent item flag keeps its total-based
    # category and gets a caveat naming the flag (never shown as "recovered" alone).
    points = [ProgressPoint(
        session=a.session, date=a.date, total=a.score.total, band=a.score.band,
        in_clinical_range=a.score.in_clinical_range,
        change=(None if intake is None or a.score.total is None or a is scored[0]
                else with_safety_caveat(instrument,
                                        classify_change(instrument, intake, a.score.total),
                                        a.score.safety_flags)))
        for a in ordered]
    # The overall change runs to the last administration that has a total; its caveat also
    # names the flags of any later administration without a total (item 9 left blank).
    overall = None
    last = scored[-1].score.total if len(scored) > 1 else None
    if intake is not None and last is not None:
        flags = [f for a in ordered if a.session >= scored[-1].session
                 for f in a.score.safety_flags]
        overall = with_safety_caveat(instrument, classify_change(instrument, intake, last),
                                     flags)
    alerts = safety_alerts(ordered)
    if instrument.kind == "alliance":
        alerts += alliance_alerts(instrument, ordered, alliance)
    elif instrument.kind == "outcome":
        alerts += not_on_track_alerts(instrument, ordered, not_on_track, expected=expected)
    alerts.sort(key=lambda alert: (_SEVERITY_ORDER[alert.severity], alert.session))
    return ProgressReport(instrument=instrument.id, short_name=instrument.short_name,
                          validated=instrument.validated, points=points, overall=overall,
                          alerts=alerts)


def chart(instrument: Instrument, report: ProgressReport, *, height: int = 10) -> str:
    """A terminal chart: one column per session, ``=`` the cut-off, ``:`` the band of
    no reliable change around the first score, ``*`` the scores."""
    totals = [(p.session, p.total) for p in report.points if p.total is not None]
    if not totals:
        return "(no scored administrations)"
    low, high = instrument.total_range
    span = (high - low) or 1.0

    def row_of(value: float) -> int:
        return round((value - low) / span * (height - 1))

    cut_row = None if instrument.cut_off is None else row_of(instrument.cut_off.value)
    rc = instrument.reliable_change
    band_rows: set[int] = set()
    if rc is not None:
        first = totals[0][1]
        band_rows = set(range(row_of(max(low, first - rc.min_raw_change)),
                              row_of(min(high, first + rc.min_raw_change)) + 1))
    lines = []
    for row in range(height - 1, -1, -1):
        label = low + span * row / (height - 1)
        cells = []
        for _, total in totals:
            if row_of(total) == row:
                cells.append("*")
            elif row == cut_row:
                cells.append("=")
            elif row in band_rows:
                cells.append(":")
            else:
                cells.append(" ")
        lines.append(f"{label:6.1f} |" + "  ".join(cells))
    lines.append("       +" + "---" * len(totals))
    lines.append("session " + " ".join(f"{s:<2d}" for s, _ in totals))
    legend = "* score"
    if cut_row is not None:
        legend += "   = cut-off"
    if band_rows:
        legend += "   : no reliable change from the first score"
    lines.append(legend)
    return "\n".join(lines)
