"""Consents: recording, analysis, sharing with the client, research.

Each is a row given on a date and, later, withdrawn on a date; a consent is *current*
when some row of that kind is not withdrawn. History is kept, never overwritten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.models import Client, Consent, User
from rapport.store.tx import Tx


class ConsentKind(StrEnum):
    RECORDING = "recording"
    ANALYSIS = "analysis"
    SHARING = "sharing"
    RESEARCH = "research"


@dataclass(frozen=True)
class ConsentView:
    kind: str
    given_on: dt.date
    withdrawn_on: dt.date | None
    recorded_by: str

    @property
    def current(self) -> bool:
        """Not withdrawn, and given by now (see :func:`has_consent`)."""
        return self.withdrawn_on is None and self.given_on <= latest_today()


def parse_kind(text: str) -> ConsentKind:
    try:
        return ConsentKind(text)
    except ValueError:
        raise RapportInputError(f"unknown consent {text!r}", where="KIND",
                                fix="use one of: " + ", ".join(k.value for k in ConsentKind),
                                code="bad_consent") from None


def is_current() -> sa.ColumnElement[bool]:
    """A WHERE clause on :class:`Consent`: not withdrawn, and given by now (one stored
    with a date still to come, before such dates were refused, is not current yet). Every
    check of a current consent uses it."""
    return sa.and_(Consent.withdrawn_on.is_(None), Consent.given_on <= latest_today())


def has_consent(tx: Tx, client: Client, kind: ConsentKind) -> bool:
    return tx.db.scalar(sa.select(Consent.id).where(
        Consent.client_id == client.id, Consent.kind == kind.value,
        is_current()).limit(1)) is not None


def require_consent(tx: Tx, client: Client, kind: ConsentKind, *, doing: str) -> None:
    """Refuse ``doing`` without a current consent of ``kind``."""
    if not has_consent(tx, client, kind):
        tx.refuse("consent", subject=client.uid, detail=f"{doing}: no {kind.value}")
        raise RapportInputError(
            f"no current consent to {kind.value}", where=f"client {client.code}",
            fix=f"record the client's consent first: `rapport consents add {client.code} "
            f"{kind.value}`", code="no_consent")


def latest_today() -> dt.date:
    """The latest calendar date anywhere on Earth now (UTC+14): a date after it is in the
    future for everyone, wherever the clinic, the server or the browser is."""
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


def _refuse_future(day: dt.date, *, what: str, where: str) -> None:
    # A consent counts from the moment it is recorded; a date still to come would make it
    # current before it was given (or withdrawn before it was).
    if day > latest_today():
        raise RapportInputError(f"{what} date {day.isoformat()} is in the future",
                                where=where, fix="give the date it happened: today or "
                                "earlier (leave it out for today)", code="bad_date")


def add_consent(tx: Tx, code: str, kind: ConsentKind, *, given_on: dt.date) -> None:
    """Record a consent given on ``given_on`` (today or earlier)."""
    _refuse_future(given_on, what="consent", where="--on")
    client = find_client(tx, code, write=True)
    if has_consent(tx, client, kind):
        raise RapportInputError(f"client {code} already has a current {kind.value} consent",
                                where="KIND", fix="nothing to do", code="duplicate")
    tx.db.add(Consent(client_id=client.id, kind=kind.value, given_on=given_on,
                      recorded_by=tx.me().id))
    tx.audit("create", "consent", subject=client.uid, detail=f"{kind.value} given")


def withdraw_consent(tx: Tx, code: str, kind: ConsentKind, *, on: dt.date) -> int:
    """Withdraw a current consent; nothing new needing it is accepted afterwards.

    Withdrawing the consent to recording also deletes the client's kept recordings (the
    voice is the most identifying thing the record can hold; transcripts and analyses
    stay, as for other consents). Returns how many recordings were deleted."""
    _refuse_future(on, what="withdrawal", where="--on")
    client = find_client(tx, code, write=True)
    rows = list(tx.db.scalars(sa.select(Consent).where(
        Consent.client_id == client.id, Consent.kind == kind.value,
        Consent.withdrawn_on.is_(None))))
    if not rows:
        raise RapportInputError(f"client {code} has no current {kind.value} consent",
                                where="KIND", fix="see `rapport consents list " + code + "`",
                                code="no_consent")
    for row in rows:
        if on < row.given_on:
            raise RapportInputError("withdrawal date is before the consent was given",
                                    where="--on", fix=f"use {row.given_on} or later",
                                    code="bad_date")
        row.withdrawn_on = on
    tx.audit("withdraw", "consent", subject=client.uid, detail=f"{kind.value} withdrawn")
    if kind is not ConsentKind.RECORDING:
        return 0
    from rapport.store.recordings import delete_kept_recordings

    return delete_kept_recordings(tx, client)


def list_consents(tx: Tx, code: str) -> list[ConsentView]:
    client = find_client(tx, code)
    rows = tx.db.execute(sa.select(Consent, User.username)
                         .join(User, User.id == Consent.recorded_by)
                         .where(Consent.client_id == client.id)
                         .order_by(Consent.given_on, Consent.id)).all()
    tx.audit("read", "consent", subject=client.uid)
    return [ConsentView(kind=c.kind, given_on=c.given_on, withdrawn_on=c.withdrawn_on,
                        recorded_by=u) for c, u in rows]
