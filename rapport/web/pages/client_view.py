"""The client's own view (PCOMS practice): a calm page the therapist opens *with* the client
in the session, showing that client's own scores over time in plain words.

Clients' ratings help most when they are looked at together. This page shows only the
outcome and alliance questionnaires this client answered: no other client, no codes, no
alerts or safety flags (those are the therapist's to handle, on the client page), no
clinical jargon. It prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from rapport.caseload import client_progress
from rapport.measures.catalog import get_instrument
from rapport.measures.progress import ProgressReport
from rapport.measures.schema import Instrument
from rapport.report.colours import MEASURE_COLOURS
from rapport.store.clients import show_client
from rapport.store.permissions import UserRole
from rapport.web.charts import Chart, line_chart
from rapport.web.identity import RecordTx, require_roles
from rapport.web.pages.clients import ClientCode
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)
#: The treating therapist opens it in session; a supervisor may look at what was shown.
IN_SESSION = require_roles(UserRole.THERAPIST, UserRole.SUPERVISOR)
#: What each kind of questionnaire is about, as the client hears it.
ABOUT = {"outcome": "How you have been doing", "alliance": "How our sessions have felt to you"}


@dataclass(frozen=True)
class OwnScores:
    """One questionnaire as the client sees it."""

    heading: str
    about: str
    svg: Markup
    rows: list[tuple[str, str]]  # (when, score)
    summary: str
    line: str | None  # what the dashed line means, in plain words


def _when(point_session: int, date: object) -> str:
    return f"{date:%d %b %Y}" if date is not None else f"session {point_session}"


def _line_words(instrument: Instrument) -> str | None:
    cut = instrument.cut_off
    if cut is None:
        return None
    value = f"{cut.value:g}"
    if instrument.kind == "alliance":
        return (f"The dashed line is at {value}. A score under it tells me something about "
                "our sessions is not right for you yet, and I want to hear about it.")
    where = "under" if instrument.direction == "higher_is_better" else "over"
    return (f"The dashed line is at {value}. Many people who start therapy score {where} "
            "it; moving to the other side is one sign that things are changing.")


def _summary(instrument: Instrument, report: ProgressReport) -> str:
    scored = [p for p in report.points if p.total is not None]
    if not scored:
        return "No complete answers yet."
    latest = scored[-1]
    if len(scored) == 1:
        return f"Your score so far is {latest.total:g}."
    first = scored[0]
    better = "higher" if instrument.direction == "higher_is_better" else "lower"
    text = (f"Your first score was {first.total:g} and your latest is {latest.total:g} "
            f"({better} is better here).")
    change = report.overall
    if change is not None and change.safety_caveat is not None:
        # The latest answers carry an urgent item (PHQ-9 item 9): no reading of the total
        # for the client; the therapist talks it through (flags are never shown here).
        text += " I would like us to talk through your latest answers together."
    elif change is not None and change.reliable:
        text += (" That change is bigger than the everyday ups and downs of this "
                 "questionnaire.")
    return text


def own_scores(report: ProgressReport) -> OwnScores:
    """A report in the client's words: their totals, a chart, one sentence."""
    from rapport.web.pages.feedback import client_title

    instrument = get_instrument(report.instrument)
    points = [(p.session, p.total) for p in report.points if p.total is not None]
    chart = Chart(chart_id=f"own-{instrument.id}", title=client_title(instrument),
                  points=points, y_range=instrument.total_range,
                  cut_off=instrument.cut_off.value if instrument.cut_off else None,
                  colour=MEASURE_COLOURS[instrument.kind],
                  cut_off_name="the line to look at together", cut_off_short="line")
    rows = [(_when(p.session, p.date), "not complete" if p.total is None else f"{p.total:g}")
            for p in report.points]
    return OwnScores(heading=client_title(instrument), about=ABOUT[instrument.kind],
                     svg=line_chart(chart), rows=rows, summary=_summary(instrument, report),
                     line=_line_words(instrument))


@router.get("/clients/{code}/with-client", dependencies=[IN_SESSION])
def with_client(request: Request, tx: RecordTx, code: ClientCode) -> Response:
    show_client(tx, code)  # first: "not found" before anything else is read
    state = client_progress(tx, code)
    shown = sorted((r for r in state.reports
                    if get_instrument(r.instrument).kind in ABOUT),
                   key=lambda r: (get_instrument(r.instrument).kind != "outcome",
                                  r.instrument))
    return render(request, "client_view.html", {"scores": [own_scores(r) for r in shown],
                                                "back": f"/clients/{code}"})
