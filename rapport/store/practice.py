"""Practice attempts in the record: a trainee's reply to a drill and what the judge said.

The store stores only: the judging happens above it (``rapport.practice``) and arrives
here as plain values. Only trainees and therapists add attempts, each to their own
history. Their author, the author's supervisors and admins read them; for anyone else a
user's practice does not exist. The reply and the feedback are encrypted (a trainee may
type what a real client once said); every read is audited, by count, never by text.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.models import PracticeAttempt, User
from rapport.store.permissions import (
    PRACTISING_ROLES,
    UserRole,
    not_found,
    practice_visible_users,
    require_role,
)
from rapport.store.tx import Tx

_REPLY = "practice_attempts.reply"
_FEEDBACK = "practice_attempts.feedback"
VERDICTS = ("met", "partly", "not_met")
FEEDBACK_FIELDS = ("did", "needed", "exemplar", "next_step")


@dataclass(frozen=True)
class NewAttempt:
    """An attempt as judged, ready to store (built by the faces from a judgement)."""

    drill_id: str
    skill: str
    reply: str
    verdict: str
    codes: tuple[tuple[str, float], ...]
    confidence: float
    unsure: bool
    feedback: dict[str, str]
    judge_version: str
    codebook_version: str


@dataclass(frozen=True)
class AttemptView:
    """A stored attempt; ``reply`` and ``feedback`` are empty when read without text."""

    id: int
    username: str
    drill_id: str
    skill: str
    verdict: str
    codes: tuple[tuple[str, float], ...]
    confidence: float
    unsure: bool
    judge_version: str
    codebook_version: str
    created_at: dt.datetime
    reply: str = ""
    feedback: dict[str, str] | None = None


@dataclass(frozen=True)
class Practitioner:
    """Someone whose practice the reader may see."""

    username: str
    display_name: str
    role: str


def _check(new: NewAttempt) -> None:
    if new.verdict not in VERDICTS:
        raise RapportInputError(f"unknown verdict {new.verdict[:20]!r}", where="verdict",
                                fix="use met, partly or not_met", code="bad_input")
    if set(new.feedback) != set(FEEDBACK_FIELDS):
        raise RapportInputError("the feedback needs did, needed, exemplar and next_step",
                                where="feedback", fix="store a whole judgement",
                                code="bad_input")
    if not 0.0 <= new.confidence <= 1.0:
        raise RapportInputError(f"confidence {new.confidence!r} is outside 0-1",
                                where="confidence", fix="store the judge's probability",
                                code="bad_input")


def add_attempt(tx: Tx, new: NewAttempt) -> AttemptView:
    """Store one attempt of the acting user (a trainee or a therapist)."""
    me = tx.me()
    require_role(me, *PRACTISING_ROLES, doing="practising")
    _check(new)
    row = PracticeAttempt(
        user_id=me.id, drill_id=new.drill_id[:64], skill=new.skill[:32],
        reply_enc=tx.encrypt(new.reply, _REPLY),
        feedback_enc=tx.encrypt(json.dumps(new.feedback, ensure_ascii=False), _FEEDBACK),
        verdict=new.verdict, codes=[[c, round(float(p), 4)] for c, p in new.codes],
        confidence=float(new.confidence), unsure=bool(new.unsure),
        judge_version=new.judge_version[:64], codebook_version=new.codebook_version[:16])
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "practice_attempt",
             detail=f"attempt={row.id} drill={row.drill_id} verdict={row.verdict}")
    return _view(tx, row, me.username, with_text=True)


def practitioners(tx: Tx) -> list[Practitioner]:
    """The trainees and therapists whose practice the acting user may see (their own
    included when they practise), by username."""
    me = tx.me()
    rows = tx.db.scalars(sa.select(User).where(
        practice_visible_users(me), User.role.in_([r.value for r in PRACTISING_ROLES]))
        .order_by(User.username))
    found = [Practitioner(u.username, u.display_name, u.role) for u in rows]
    tx.audit("list", "practice_people", detail=f"people={len(found)}")
    return found


def _user_id(tx: Tx, username: str | None) -> tuple[int, str]:
    me = tx.me()
    if username is None or username == me.username:
        return me.id, me.username
    found = tx.db.scalar(sa.select(User.id).where(User.username == username,
                                                  practice_visible_users(me)))
    if found is None:
        raise not_found("practice history of", username)
    return int(found), username


def list_attempts(tx: Tx, username: str | None = None, *, with_text: bool = False,
                  limit: int | None = None) -> list[AttemptView]:
    """The attempts of ``username`` (default: the acting user), oldest first; the newest
    ``limit`` when given. ``with_text`` decrypts the replies and the feedback."""
    user_id, name = _user_id(tx, username)
    query = sa.select(PracticeAttempt).where(PracticeAttempt.user_id == user_id)
    if limit is not None:
        query = query.order_by(PracticeAttempt.id.desc()).limit(max(1, limit))
    rows = sorted(tx.db.scalars(query), key=lambda r: r.id)
    tx.audit("read", "practice_attempt", detail=f"user={name} attempts={len(rows)} "
             f"text={'yes' if with_text else 'no'}")
    return [_view(tx, r, name, with_text=with_text) for r in rows]


def read_attempt(tx: Tx, attempt_id: int) -> AttemptView:
    """One attempt with its text, if the acting user may see its author's practice."""
    me = tx.me()
    found = tx.db.execute(sa.select(PracticeAttempt, User.username)
                          .join(User, User.id == PracticeAttempt.user_id)
                          .where(PracticeAttempt.id == attempt_id,
                                 practice_visible_users(me))).first()
    if found is None:
        raise not_found("practice attempt", str(attempt_id))
    row, name = found
    tx.audit("read", "practice_attempt", detail=f"attempt={row.id} user={name}")
    return _view(tx, row, name, with_text=True)


def erase_practice(tx: Tx, username: str) -> int:
    """Delete every practice attempt of ``username`` (admins only; for a user who asks
    for their practice to be forgotten, or leaves). Returns how many there were."""
    require_role(tx.me(), UserRole.ADMIN, doing="erasing practice history")
    user_id = tx.db.scalar(sa.select(User.id).where(User.username == username))
    if user_id is None:
        raise RapportInputError(f"no user named {username[:64]!r}", where="--user",
                                fix="see `rapport users list`", code="not_found")
    done = tx.db.execute(sa.delete(PracticeAttempt).where(PracticeAttempt.user_id == user_id))
    n = int(getattr(done, "rowcount", 0) or 0)
    tx.audit("erase", "practice_attempt", detail=f"user={username} attempts={n}")
    return n


def _view(tx: Tx, row: PracticeAttempt, username: str, *, with_text: bool) -> AttemptView:
    feedback = (json.loads(tx.decrypt(row.feedback_enc, _FEEDBACK)) if with_text else None)
    return AttemptView(
        id=row.id, username=username, drill_id=row.drill_id, skill=row.skill,
        verdict=row.verdict, codes=tuple((str(c), float(p)) for c, p in row.codes),
        confidence=row.confidence, unsure=row.unsure, judge_version=row.judge_version,
        codebook_version=row.codebook_version, created_at=row.created_at,
        reply=tx.decrypt(row.reply_enc, _REPLY) if with_text else "", feedback=feedback)
