"""One client's page: progress charts, relationship profile across sessions, attendance,
consents and sessions. Every read goes through the store (scoped and audited); a client
the viewer may not read answers 404 like one that does not exist."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from markupsafe import Markup

from rapport.caseload import client_progress
from rapport.errors import RapportInputError
from rapport.measures.attendance import Attendance
from rapport.measures.catalog import get_instrument
from rapport.measures.change import Change, change_words
from rapport.measures.progress import ProgressReport
from rapport.measures.scoring import band_or_side, cut_off_title
from rapport.report.colours import MEASURE_COLOURS
from rapport.store.clients import show_client
from rapport.store.consents import list_consents
from rapport.store.sessions import SessionView
from rapport.store.tx import Tx
from rapport.web.charts import Chart, Marker, line_chart, sparkline
from rapport.web.identity import RecordTx
from rapport.web.pages import profile_metrics as pm
from rapport.web.pages.home import alert_line
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)

ClientCode = Annotated[str, Path(max_length=64)]
_MARKER_TEXT = {"rupture": "rupture (R)", "repair": "repair (✓)"}


@dataclass(frozen=True)
class ChartRow:
    session: int
    date: dt.date | None
    total: str
    band: str | None
    change: str | None
    markers: str


@dataclass(frozen=True)
class ChartView:
    chart_id: str
    title: str
    kind: str
    svg: Markup
    rows: list[ChartRow]
    cut_off: str | None
    reliable_change: str | None
    validated: bool
    cut_off_title: str = "cut-off"


@dataclass(frozen=True)
class MetricRow:
    name: str
    label: str
    values: list[str]
    spark: Markup
    mean: str
    reference: str | None
    latest_band: str | None
    #: The sessions whose analysis did not measure it, and why (``not measured in ...``).
    not_measured: str | None = None


def markers_of(report: ProgressReport) -> list[Marker]:
    """Rupture and repair sessions from the alliance alerts' rupture-repair rules."""
    found: list[Marker] = []
    for alert in report.alerts:
        if alert.rule == "alliance.rupture_repaired":
            found.append(Marker(int(alert.numbers["rupture_session"]), "rupture"))
            found.append(Marker(alert.session, "repair"))
        elif alert.rule.startswith("alliance.rupture_"):
            found.append(Marker(alert.session, "rupture"))
    return sorted(set(found), key=lambda m: (m.session, m.kind))


def change_cell(change: Change | None) -> str | None:
    """The change since the first score with its category, as ``rapport progress`` prints
    it (``-6 (improved)``); with a safety caveat, the total-based words and the flag."""
    if change is None:
        return None
    words = change_words(change)
    return f"{change.difference:+g}" + (f" ({words})" if words else "")


def chart_view(report: ProgressReport) -> ChartView:
    instrument = get_instrument(report.instrument)
    points = [(p.session, p.total) for p in report.points if p.total is not None]
    rc = instrument.reliable_change
    band = None
    if rc is not None and points:
        low, high = instrument.total_range
        first = points[0][1]
        band = (max(low, first - rc.min_raw_change), min(high, first + rc.min_raw_change))
    markers = markers_of(report)
    title = f"{instrument.short_name} ({instrument.kind}) across sessions"
    # The dashed line is named as the instrument's kind has it: a screener's screening
    # cut-off and an alliance measure's alert threshold are not a clinical cut-off.
    cut_name = cut_off_title(instrument)
    chart = Chart(chart_id=f"chart-{instrument.id}", title=title, points=points,
                  y_range=instrument.total_range,
                  cut_off=instrument.cut_off.value if instrument.cut_off else None,
                  band=band, markers=markers,
                  colour=MEASURE_COLOURS[instrument.kind],
                  cut_off_name=cut_name, cut_off_short=cut_name)
    at = {s: ", ".join(_MARKER_TEXT[m.kind] for m in markers if m.session == s)
          for s in {m.session for m in markers}}
    rows = [ChartRow(session=p.session, date=p.date,
                     total="—" if p.total is None else f"{p.total:g}",
                     band=band_or_side(instrument, p.band, p.in_clinical_range),
                     change=change_cell(p.change), markers=at.get(p.session, ""))
            for p in report.points]
    return ChartView(
        chart_id=chart.chart_id, title=title, kind=instrument.kind, svg=line_chart(chart),
        rows=rows, cut_off_title=cut_name,
        cut_off=(f"{instrument.cut_off.value:g} ({instrument.cut_off.meaning})"
                 if instrument.cut_off else None),
        reliable_change=(f"{rc.min_raw_change:g} points" if rc else None),
        validated=instrument.validated)


def stored_words(session: SessionView) -> str:
    """What the record holds for a session, in words (an upload stores the analysis, which
    quotes the turns, but not a separate transcript)."""
    n = session.analyses
    analysed = "" if not n else "analysis" if n == 1 else f"{n} analyses (versions)"
    if session.has_transcript:
        return f"transcript and {analysed}" if analysed else "transcript (not analysed)"
    return analysed or "nothing yet"


def attendance_rows(sessions: list[SessionView], summary: Attendance,
                    today: dt.date) -> list[tuple[str, str]]:
    """The attendance block in plain words: sessions dated after today are upcoming, not
    counted as held; rows that would read 0 beside the rest are left out."""
    upcoming = [s for s in sessions if s.date is not None and s.date > today]
    held = [s for s in sessions if s not in upcoming]
    count = {word: sum(s.attendance == word for s in held)
             for word in ("attended", "cancelled", "no-show")}
    rows = [("Sessions so far", str(len(held)))]
    if held:
        rows.append(("Attended", f"{count['attended']} ({count['attended'] / len(held):.0%})"))
    rows += [(label, str(count[word])) for label, word in
             (("Cancelled", "cancelled"), ("Did not come (no-show)", "no-show"))
             if count[word]]
    if upcoming:
        rows.append(("Upcoming (dated after today)", str(len(upcoming))))
    undated = sum(s.date is None for s in held)
    if summary.mean_gap_days is not None:
        rows.append(("Mean gap between attended sessions", f"{summary.mean_gap_days:.1f} days"))
    if summary.longest_gap_days is not None:
        rows.append(("Longest gap", f"{summary.longest_gap_days} days"))
    if undated:
        rows.append(("Without a date", f"{undated} (not in the gap figures)"))
    return rows


def metric_rows(by_session: dict[int, dict[str, float | None]],
                bases: dict[int, pm.Basis]) -> list[MetricRow]:
    """One row per profile metric; a figure a session's analysis did not measure reads
    "not measured" (not in the trend or the mean), and the latest figure is banded on the
    units it rests on (``bases``: each session's :func:`~pm.basis_of`)."""
    sessions = sorted(by_session)
    names = sorted({n for m in by_session.values() for n in m if pm.is_profile(n)})
    basis = {s: bases.get(s, pm.UNKNOWN) for s in sessions}
    rows = []
    for name in names:
        series = [basis[s].measured(name, by_session[s].get(name)) for s in sessions]
        known = [v for v in series if v is not None]
        last = next(((s, v) for s, v in zip(reversed(sessions), reversed(series), strict=True)
                     if v is not None), None)
        rows.append(MetricRow(
            name=name, label=pm.label(name),
            values=[basis[s].text(name, by_session[s].get(name)) for s in sessions],
            spark=sparkline(series, label=pm.label(name) + " by session"),
            mean=pm.fmt(name, sum(known) / len(known) if known else None),
            reference=pm.reference_text(name),
            latest_band=None if last is None else pm.reference_band(
                name, last[1], n=basis[last[0]].n.get(name)),
            not_measured=pm.not_measured_note(name, list(basis.items()))))
    return rows


@router.get("/clients/{code}")
def client_page(request: Request, tx: RecordTx, code: ClientCode) -> Response:
    return client_page_response(request, tx, code)


def client_page_response(request: Request, tx: Tx, code: str, *,
                         ack_error: RapportInputError | None = None,
                         status: int = 200) -> Response:
    """The client page; ``ack_error`` shows why an acknowledgement was not saved."""
    from rapport.caseload import ACTIONS
    from rapport.store.permissions import UserRole

    detail = show_client(tx, code)  # first: "not found" before anything else is read
    state = client_progress(tx, code)
    consents = list_consents(tx, code)
    charts = [chart_view(r) for r in sorted(
        state.reports, key=lambda r: (get_instrument(r.instrument).kind != "outcome",
                                      r.instrument))]
    # The latest analysis of each session (a re-analysis replaces the earlier one).
    latest = {a.session_number: a for a in state.analyses}
    by_session = {number: a.metrics for number, a in latest.items()}
    bases = {number: pm.stored_basis(tx, a) for number, a in latest.items()}
    role = tx.me().role
    return render(request, "client.html", {
        "client": detail, "charts": charts, "code": code,
        "alerts": [alert_line(a) for a in state.alerts if a.flag is None],
        "flags": state.flags, "actions": ACTIONS, "ack_error": ack_error,
        "can_acknowledge": role in (UserRole.THERAPIST, UserRole.SUPERVISOR),
        "attendance": state.attendance, "consents": consents, "sessions": state.sessions,
        "attendance_rows": attendance_rows(
            state.sessions, state.attendance, dt.datetime.now(dt.UTC).astimezone().date()),
        "stored": {s.number: stored_words(s) for s in state.sessions},
        "metric_sessions": sorted(by_session), "metrics": metric_rows(by_session, bases),
        "warnings": state.warnings}, status=status)
