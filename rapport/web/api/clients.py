"""Clients, their sessions and consents."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rapport.store.clients import ClientDetail, ClientSummary, add_client, list_clients, show_client
from rapport.store.consents import ConsentView, add_consent, list_consents, parse_kind
from rapport.store.sessions import SessionRecord, SessionView, add_session, list_sessions
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx

router = api_router("clients")



class NewClient(BaseModel):
    code: str = Field(pattern=r"^[A-Za-z0-9._-]{1,64}$")
    name: str | None = Field(default=None, max_length=200)
    birth_date: str | None = Field(default=None, max_length=20)
    contact: str | None = Field(default=None, max_length=200)
    notes: str | None = Field(default=None, max_length=100_000)


class NewConsent(BaseModel):
    kind: str = Field(max_length=16)
    given_on: dt.date


class Consent(BaseModel):
    kind: str
    given_on: dt.date
    withdrawn_on: dt.date | None
    recorded_by: str
    current: bool


@router.get("/clients")
def clients(tx: RecordTx) -> Ok[list[ClientSummary]]:
    """The clients you may read (therapists: your own; supervisors: your supervisees')."""
    return Ok(data=list_clients(tx))


@router.post("/clients", status_code=201)
def new_client(body: NewClient, tx: RecordTx) -> Ok[ClientSummary]:
    """Add a client of yours (therapists only). Identifying fields are encrypted."""
    identity = {k: v for k, v in body.model_dump(include={"name", "birth_date", "contact"})
                .items() if v}
    return Ok(data=add_client(tx, body.code, identity=identity or None, notes=body.notes))


@router.get("/clients/{code}")
def client(code: str, tx: RecordTx) -> Ok[ClientDetail]:
    """One client; identifying fields only for their therapist or a granted supervisor."""
    return Ok(data=show_client(tx, code))


@router.get("/clients/{code}/sessions")
def sessions(code: str, tx: RecordTx) -> Ok[list[SessionView]]:
    return Ok(data=list_sessions(tx, code))


@router.post("/clients/{code}/sessions", status_code=201)
def new_session(code: str, body: SessionRecord, tx: RecordTx) -> Ok[int]:
    """Add a session (its number is the next free one unless given)."""
    return Ok(data=add_session(tx, code, body))


@router.get("/clients/{code}/consents")
def consents(code: str, tx: RecordTx) -> Ok[list[Consent]]:
    return Ok(data=[_consent(c) for c in list_consents(tx, code)])


@router.post("/clients/{code}/consents", status_code=201)
def new_consent(code: str, body: NewConsent, tx: RecordTx) -> Ok[None]:
    add_consent(tx, code, parse_kind(body.kind), given_on=body.given_on)
    return Ok(data=None)


def _consent(view: ConsentView) -> Consent:
    return Consent(kind=view.kind, given_on=view.given_on, withdrawn_on=view.withdrawn_on,
                   recorded_by=view.recorded_by, current=view.current)
