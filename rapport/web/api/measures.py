"""Questionnaires: instruments, responses, progress and alerts."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, Strict

from rapport.caseload import (
    ClientAlert,
    caseload,
    client_progress,
    mark_response_entered_in_error,
    record_response,
)
from rapport.measures.attendance import Attendance
from rapport.measures.catalog import get_instrument, list_instruments
from rapport.measures.progress import ProgressReport
from rapport.measures.scoring import Score, score
from rapport.store.responses import (
    MAX_REASON,
    ResponseView,
    list_entered_in_error,
    list_responses,
)
from rapport.web.api.common import Ok, api_router
from rapport.web.api.safety import FlagOut, flag_out
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


#: An answer is a JSON number or null (unanswered). Strict: ``true``/``false`` and numeric
#: strings are refused (422) rather than read as 1, 0 or a number.
Answer = Annotated[float, Strict()] | None


class NewResponse(BaseModel):
    instrument: str = Field(max_length=64)
    session: int = Field(ge=1, le=100_000)
    answers: dict[str, Answer] = Field(max_length=200)


class AlertOut(BaseModel):
    """An alert. Safety alerts name their ``flag`` and its ``state`` (open or
    acknowledged; acknowledged flags are still listed, after the other alerts)."""

    client: str
    instrument: str
    short_name: str
    rule: str
    severity: str
    session: int
    message: str
    numbers: dict[str, float]
    flag: str | None = None
    state: str | None = None


class Progress(BaseModel):
    code: str
    #: every safety flag of every questionnaire, open first
    safety_flags: list[FlagOut]
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


class EnteredInError(BaseModel):
    reason: str = Field(min_length=1, max_length=MAX_REASON)


@router.get("/clients/{code}/responses")
def responses(code: str, tx: RecordTx, include_entered_in_error: bool = False
              ) -> Ok[list[ResponseView]]:
    """The client's responses that count, oldest first; ``include_entered_in_error``
    adds, after them, those marked entered in error (each with its ``entered_in_error``:
    who, when, why)."""
    found = list_responses(tx, code)
    if include_entered_in_error:
        found += list_entered_in_error(tx, code)
    return Ok(data=found)


@router.post("/clients/{code}/responses/{response_id}/entered-in-error")
def entered_in_error(code: str, response_id: int, body: EnteredInError,
                     tx: RecordTx) -> Ok[ResponseView]:
    """Mark a response stored by mistake entered in error (the treating therapist only):
    it counts in no score from then on, is never deleted, and its session may record the
    right one. 409 ``open_flag`` while a safety flag of it is open (acknowledge it
    first); 409 ``conflict`` when it is marked already."""
    return Ok(data=mark_response_entered_in_error(tx, code, response_id,
                                                  reason=body.reason))


@router.post("/clients/{code}/responses", status_code=201)
def new_response(code: str, body: NewResponse, tx: RecordTx) -> Ok[Score]:
    """Score and store one questionnaire for an existing session of the client."""
    instrument = get_instrument(body.instrument)
    result = score(instrument, dict(body.answers), where="answers")
    record_response(tx, code, instrument, result, session=body.session)
    return Ok(data=result)


@router.get("/clients/{code}/progress")
def progress(code: str, tx: RecordTx, instrument: str | None = None) -> Ok[Progress]:
    """Safety flags of every questionnaire (open first), then scores by session with bands
    and change, alerts (open safety flags first), attendance. ``instrument`` limits the
    reports to one questionnaire, never the safety flags."""
    state = client_progress(tx, code, only=instrument[:64] if instrument else None)
    return Ok(data=Progress(code=code, safety_flags=[flag_out(f) for f in state.flags],
                            reports=state.reports,
                            alerts=[_alert(code, a) for a in state.alerts],
                            attendance=state.attendance, warnings=state.warnings))


@router.get("/alerts")
def alerts(tx: RecordTx) -> Ok[list[AlertOut]]:
    """Alerts across every client you may read, most urgent first: open safety flags
    first, acknowledged ones (still listed) after the other alerts."""
    return Ok(data=[_alert(row.code, a) for row in caseload(tx) for a in row.alerts])


def _alert(code: str, alert: ClientAlert) -> AlertOut:
    flag = alert.flag
    return AlertOut(client=code, instrument=alert.instrument, short_name=alert.short_name,
                    flag=str(flag.ref) if flag else None, state=flag.state if flag else None,
                    **alert.alert.model_dump(include={"rule", "severity", "session",
                                                      "message", "numbers"}))
