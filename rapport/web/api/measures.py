"""Questionnaires: instruments, responses, progress and alerts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rapport.caseload import caseload, client_progress, record_response
from rapport.measures.attendance import Attendance
from rapport.measures.catalog import get_instrument, list_instruments
from rapport.measures.progress import ProgressReport
from rapport.measures.scoring import Score, score
from rapport.store.responses import ResponseView, list_responses
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx, SignedIn

router = api_router("measures")


class InstrumentInfo(BaseModel):
    id: str
    short_name: str
    name: str
    kind: str
    items: int
    validated: bool
    licence: str


class NewResponse(BaseModel):
    instrument: str = Field(max_length=64)
    session: int = Field(ge=1, le=100_000)
    answers: dict[str, float | None] = Field(max_length=200)


class AlertOut(BaseModel):
    client: str
    instrument: str
    short_name: str
    rule: str
    severity: str
    session: int
    message: str
    numbers: dict[str, float]


class Progress(BaseModel):
    code: str
    reports: list[ProgressReport]
    alerts: list[AlertOut]
    attendance: Attendance
    warnings: list[str]


@router.get("/instruments", dependencies=[SignedIn])
def instruments() -> Ok[list[InstrumentInfo]]:
    """The bundled questionnaires (no client data)."""
    return Ok(data=[InstrumentInfo(id=i.id, short_name=i.short_name, name=i.name,
                                   kind=i.kind, items=len(i.item_ids), validated=i.validated,
                                   licence=i.licence.kind) for i in list_instruments()])


@router.get("/clients/{code}/responses")
def responses(code: str, tx: RecordTx) -> Ok[list[ResponseView]]:
    return Ok(data=list_responses(tx, code))


@router.post("/clients/{code}/responses", status_code=201)
def new_response(code: str, body: NewResponse, tx: RecordTx) -> Ok[Score]:
    """Score and store one questionnaire for an existing session of the client."""
    instrument = get_instrument(body.instrument)
    result = score(instrument, dict(body.answers), where="answers")
    record_response(tx, code, instrument, result, session=body.session)
    return Ok(data=result)


@router.get("/clients/{code}/progress")
def progress(code: str, tx: RecordTx) -> Ok[Progress]:
    """Scores by session with bands and change, alerts (safety first), attendance."""
    state = client_progress(tx, code)
    return Ok(data=Progress(code=code, reports=state.reports,
                            alerts=[_alert(code, a) for a in state.alerts],
                            attendance=state.attendance, warnings=state.warnings))


@router.get("/alerts")
def alerts(tx: RecordTx) -> Ok[list[AlertOut]]:
    """Open alerts across every client you may read, most urgent first."""
    return Ok(data=[_alert(row.code, a) for row in caseload(tx) for a in row.alerts])


def _alert(code: str, alert: Any) -> AlertOut:
    return AlertOut(client=code, instrument=alert.instrument, short_name=alert.short_name,
                    **alert.alert.model_dump(include={"rule", "severity", "session",
                                                      "message", "numbers"}))
