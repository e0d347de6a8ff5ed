"""Safety flags: every flag of a client (open first) and their acknowledgements."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from rapport.caseload import ClientFlag, acknowledge, client_flags
from rapport.store.safety import AcknowledgementView
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx

router = api_router("safety")


class AcknowledgementOut(BaseModel):
    flag: str
    action: str
    note: str
    by: str
    role: str
    at: dt.datetime


class FlagOut(BaseModel):
    """A safety flag. ``flag`` identifies it (``questionnaire:<response>:<item>``);
    ``state`` is ``open`` until someone acknowledges it, and it is never removed."""

    flag: str
    state: Literal["open", "acknowledged"]
    rule: str
    instrument: str
    short_name: str
    session: int | None
    message: str
    raised_at: dt.datetime
    acknowledgements: list[AcknowledgementOut]


class NewAcknowledgement(BaseModel):
    flag: str = Field(max_length=120, examples=["questionnaire:12:phq9_9"])
    action: str = Field(max_length=32, examples=["assessed"])
    note: str = Field(max_length=4000)


def ack_out(ack: AcknowledgementView) -> AcknowledgementOut:
    return AcknowledgementOut(flag=str(ack.ref), action=ack.action, note=ack.note, by=ack.by,
                              role=ack.role, at=ack.at)


def flag_out(flag: ClientFlag) -> FlagOut:
    return FlagOut(flag=str(flag.ref), state=flag.state, rule=flag.rule,
                   instrument=flag.instrument, short_name=flag.short_name,
                   session=flag.session, message=flag.message, raised_at=flag.raised_at,
                   acknowledgements=[ack_out(a) for a in flag.acknowledgements])


@router.get("/clients/{code}/safety-flags")
def safety_flags(code: str, tx: RecordTx) -> Ok[list[FlagOut]]:
    """Every safety flag of every questionnaire, open ones first, with their history."""
    flags, _ = client_flags(tx, code)
    return Ok(data=[flag_out(f) for f in flags])


@router.post("/clients/{code}/safety-flags/acknowledgements", status_code=201)
def new_acknowledgement(code: str, body: NewAcknowledgement,
                        tx: RecordTx) -> Ok[AcknowledgementOut]:
    """Acknowledge a flag (the treating therapist or their supervisor): what was done
    (``action``: discussed, assessed, safety_plan, referred, contact_attempted, other;
    for risk language found in a transcript also not_risk, a false alarm of the coder)
    and a note. The flag stays; its state becomes ``acknowledged``."""
    return Ok(data=ack_out(acknowledge(tx, code, body.flag, action=body.action,
                                       note=body.note)))
