"""Client feedback forms: a single-use link (or kiosk) for one client's session.

The therapist who owns the client creates a form naming the questionnaires; the client
opens it with a random token (``secrets.token_urlsafe(32)``, only its SHA-256 is kept) and
needs no account. The URL and the form carry no client data. A submission is stored as
the creating therapist, exactly like a questionnaire they entered themselves, and the form
dies: a second submission, or one after expiry, stores nothing. Audit rows name the form's
id, never the token or an answer.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from rapport.errors import RapportInputError
from rapport.measures.catalog import get_instrument, list_instruments
from rapport.measures.schema import Instrument
from rapport.store.clients import find_client
from rapport.store.logins import token_digest
from rapport.store.models import Client, FeedbackForm, User, utcnow
from rapport.store.permissions import Actor, UserRole, require_role
from rapport.store.responses import list_responses
from rapport.store.sessions import find_session
from rapport.store.tx import Tx

#: Questionnaires a form can hold at most (a one-minute form, not a battery).
MAX_INSTRUMENTS = 3


def form_instruments() -> list[Instrument]:
    """Instruments a client can fill in on a form: bundled wording and labelled options
    (licensed ones need the clinic's own text pack, visual-analogue lines a paper form)."""
    return [i for i in list_instruments()
            if not i.needs_text_pack and i.scale is None and all(o.label for o in i.options)]


@dataclass(frozen=True)
class CreatedForm:
    """A new form; ``token`` exists only here (the record keeps its digest)."""

    id: int
    token: str
    expires_at: dt.datetime
    instruments: tuple[str, ...]


@dataclass(frozen=True)
class OpenForm:
    """What the client's page needs: the questionnaires, nothing about the client."""

    id: int
    instruments: tuple[Instrument, ...]
    expires_at: dt.datetime
    kiosk: bool


def _gone(what: str) -> RapportInputError:
    return RapportInputError(what, where="feedback form", fix="ask your therapist for a new "
                             "link", code="gone")


def _unknown() -> RapportInputError:
    return RapportInputError("no such feedback form", where="feedback form",
                             fix="check the link, or ask your therapist for a new one",
                             code="not_found")


def _check_instruments(ids: Sequence[str]) -> list[Instrument]:
    allowed = {i.id for i in form_instruments()}
    chosen = list(dict.fromkeys(ids))
    if not chosen or len(chosen) > MAX_INSTRUMENTS:
        raise RapportInputError(f"choose 1 to {MAX_INSTRUMENTS} questionnaires",
                                where="instruments", fix="tick at least one questionnaire",
                                code="bad_input")
    for instrument_id in chosen:
        if instrument_id not in allowed:
            raise RapportInputError(f"{instrument_id!r} cannot be used on a client form",
                                    where="instruments", fix="choose one of "
                                    + ", ".join(sorted(allowed)), code="bad_input")
    return [get_instrument(i) for i in chosen]


def create_form(tx: Tx, code: str, session_number: int, instrument_ids: Sequence[str], *,
                minutes: int, kiosk: bool = False) -> CreatedForm:
    """A form for session ``session_number`` of ``code`` (the acting therapist's client).

    Refused before writing when the session lacks, or a chosen questionnaire is already
    recorded for that session (the submission could never be stored)."""
    me = tx.me()
    require_role(me, UserRole.THERAPIST, doing="creating feedback forms")
    client = find_client(tx, code, write=True)
    find_session(tx, client, session_number)
    instruments = _check_instruments(instrument_ids)
    done = {r.instrument_id for r in list_responses(tx, code)
            if r.session_number == session_number}
    for instrument in instruments:
        if instrument.id in done:
            raise RapportInputError(
                f"session {session_number} already has a {instrument.short_name}",
                where="instruments", fix="choose another questionnaire or session",
                code="duplicate")
    token = secrets.token_urlsafe(32)
    row = FeedbackForm(token_hash=token_digest(token), client_id=client.id,
                       session_number=session_number,
                       instruments=[i.id for i in instruments], kiosk=kiosk,
                       created_by=me.id,
                       expires_at=utcnow() + dt.timedelta(minutes=minutes))
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "feedback-form", subject=client.uid,
             detail=f"feedback-form={row.id} session={session_number} "
             f"kiosk={'yes' if kiosk else 'no'}")
    return CreatedForm(id=row.id, token=token, expires_at=row.expires_at,
                       instruments=tuple(row.instruments))


def _live_row(db: orm.Session, token: str, now: dt.datetime) -> FeedbackForm:
    row = db.scalar(sa.select(FeedbackForm).where(
        FeedbackForm.token_hash == token_digest(token)))
    if row is None:
        raise _unknown()
    if row.used_at is not None:
        raise _gone("this form has already been sent")
    if row.expires_at <= now:
        raise _gone("this form has expired")
    return row


def open_form(db: orm.Session, token: str, *, now: dt.datetime | None = None) -> OpenForm:
    """The live form behind ``token``; "not found" or "gone" (used or expired) otherwise.
    Needs no signed-in user: the token is the permission."""
    row = _live_row(db, token, now or utcnow())
    return OpenForm(id=row.id, instruments=tuple(get_instrument(i) for i in row.instruments),
                    expires_at=row.expires_at, kiosk=row.kiosk)


def _creator(db: orm.Session, row: FeedbackForm) -> Actor:
    user = db.get(User, row.created_by)
    if user is None or not user.active or user.role != UserRole.THERAPIST.value:
        # The therapist left; their client's answers cannot be filed under anyone else.
        raise _gone("this form is no longer valid")
    return Actor(id=user.id, username=user.username, role=UserRole(user.role))


@dataclass(frozen=True)
class LiveForm:
    """A form that can still be sent: who will file it and what it asks."""

    id: int
    instruments: tuple[str, ...]
    creator: Actor
    session_number: int


def live_form(tx: Tx, token: str, now: dt.datetime) -> LiveForm:
    """The form behind ``token`` if it can still be sent; "not found" or "gone" otherwise.
    ``tx`` is anonymous: the token, not a sign-in, grants the one write that follows."""
    row = _live_row(tx.db, token, now)
    return LiveForm(id=row.id, instruments=tuple(row.instruments),
                    creator=_creator(tx.db, row), session_number=row.session_number)


def note_unfiled(tx: Tx, form: LiveForm, instruments: Sequence[str]) -> None:
    """Remember on the form which answers were kept without a session number."""
    tx.db.execute(sa.update(FeedbackForm).where(FeedbackForm.id == form.id)
                  .values(unfiled=list(instruments))
                  .execution_options(synchronize_session=False))


def claim_form(tx: Tx, form: LiveForm, now: dt.datetime) -> tuple[str, str]:
    """Mark the form used; returns the client's code and uid. Of two simultaneous
    submissions exactly one claims it (the other waits for the row lock, then sees
    ``used_at`` set and is told the form has been sent)."""
    claimed = tx.db.execute(sa.update(FeedbackForm).where(
        FeedbackForm.id == form.id, FeedbackForm.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if getattr(claimed, "rowcount", 0) != 1:
        raise _gone("this form has already been sent")
    client = tx.db.execute(sa.select(Client.code, Client.uid).join(
        FeedbackForm, FeedbackForm.client_id == Client.id).where(
        FeedbackForm.id == form.id)).one()
    return str(client.code), str(client.uid)


@dataclass(frozen=True)
class FeedbackFormView:
    id: int
    instruments: tuple[str, ...]
    kiosk: bool
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None
    unfiled: tuple[str, ...] = ()

    def state(self, now: dt.datetime) -> str:
        if self.used_at is not None:
            if self.unfiled:
                return (f"answered; {', '.join(self.unfiled)} kept without a session "
                        "number (this session already had one)")
            return "answered"
        return "expired" if self.expires_at <= now else "waiting"


def forms_of_session(tx: Tx, code: str, session_number: int) -> list[FeedbackFormView]:
    """The forms of one session (no tokens: they are not kept), newest first."""
    client = find_client(tx, code, write=True)
    rows = tx.db.scalars(sa.select(FeedbackForm).where(
        FeedbackForm.client_id == client.id, FeedbackForm.session_number == session_number)
        .order_by(FeedbackForm.id.desc())).all()
    tx.audit("list", "feedback-form", subject=client.uid,
             detail=f"session={session_number} forms={len(rows)}")
    return [FeedbackFormView(id=r.id, instruments=tuple(r.instruments), kiosk=r.kiosk,
                             created_at=r.created_at, expires_at=r.expires_at,
                             used_at=r.used_at, unfiled=tuple(r.unfiled or ()))
            for r in rows]
