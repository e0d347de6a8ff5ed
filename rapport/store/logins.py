"""Web sign-ins, API tokens and login throttling, kept in the record.

Tokens are random (``secrets.token_urlsafe``); only their SHA-256 is stored, so reading
the database does not give anyone a usable cookie or API token. The web app decides when
to call these; the rules (expiry, lockout) are here so every server process shares them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm

from rapport.errors import RapportInputError
from rapport.store.models import ApiToken, LoginThrottle, User, WebSession, utcnow
from rapport.store.permissions import Actor, UserRole
from rapport.store.tx import Tx

#: How stale ``last_seen_at`` may get before a request writes it again: idle expiry is
#: counted in minutes, and a write (and its fsync) on every request would cost more.
TOUCH_EVERY = dt.timedelta(seconds=60)
_PENDING = "rapport_bookkeeping"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """A live browser sign-in."""

    id: int
    actor: Actor
    csrf_token: str
    created_at: dt.datetime


# -- browser sessions ---------------------------------------------------------------------
def start_web_session(tx: Tx, actor: Actor) -> tuple[str, SignIn]:
    """A new sign-in for ``actor``; returns the cookie token (shown once) and the sign-in."""
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=token_digest(token), user_id=actor.id,
                     csrf_token=secrets.token_urlsafe(32))
    tx.db.add(row)
    tx.db.flush()
    tx.audit("start", "web-session", detail=f"user={actor.username}")
    return token, SignIn(id=row.id, actor=actor, csrf_token=row.csrf_token,
                         created_at=row.created_at)


def resume_web_session(db: orm.Session, token: str, *, idle: dt.timedelta,
                       absolute: dt.timedelta, now: dt.datetime | None = None
                       ) -> SignIn | None:
    """The sign-in behind a cookie token, touched; None when unknown, ended or expired
    (idle or absolute), or when the user has been deactivated."""
    now = now or utcnow()
    found = db.execute(sa.select(WebSession, User).join(User, User.id == WebSession.user_id)
                       .where(WebSession.token_hash == token_digest(token))).first()
    if found is None:
        return None
    row, user = found
    # last_seen_at is written at most every TOUCH_EVERY, so the last request may have come
    # up to that much later than it says: never sign out early (up to a minute late).
    if (row.ended_at is not None or not user.active
            or now - row.last_seen_at > idle + TOUCH_EVERY
            or now - row.created_at > absolute):
        if row.ended_at is None:
            # Several server processes may end it at once: the first end stays.
            _at_commit(db, sa.update(WebSession).where(WebSession.id == row.id,
                                                       WebSession.ended_at.is_(None))
                       .values(ended_at=now))
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        # Only forward: a slower process's older "now" never moves the last use back.
        _at_commit(db, sa.update(WebSession).where(WebSession.id == row.id,
                                                   WebSession.last_seen_at < now)
                   .values(last_seen_at=now))
    return SignIn(id=row.id, actor=_actor(user), csrf_token=row.csrf_token,
                  created_at=row.created_at)


def _at_commit(db: orm.Session, statement: sa.Update) -> None:
    """Run a bookkeeping write when ``db`` commits, not now: ``Store.reading`` lets a
    commit give up at once while another process writes (the next request writes it
    then), and a write run earlier would instead wait, or fail the request."""
    pending = db.info.setdefault(_PENDING, [])
    if not event.contains(db, "before_commit", _run_pending):
        event.listen(db, "before_commit", _run_pending)
    pending.append(statement.execution_options(synchronize_session=False))


def _run_pending(db: orm.Session) -> None:
    for statement in db.info.pop(_PENDING, []):
        db.execute(statement)


def end_web_session(db: orm.Session, sign_in_id: int) -> None:
    db.execute(sa.update(WebSession).where(WebSession.id == sign_in_id,
                                           WebSession.ended_at.is_(None))
               .values(ended_at=utcnow()))


# -- login throttling ---------------------------------------------------------------------
def hold_counters(db: orm.Session, keys: list[str], *, now: dt.datetime | None = None
                  ) -> None:
    """Lock the counters of ``keys`` until the transaction ends, creating missing ones, so
    that one password attempt per key is checked and counted at a time across every
    server process: on PostgreSQL a row lock (``SELECT ... FOR UPDATE``, in key order so
    two attempts never deadlock); SQLite's ``BEGIN IMMEDIATE`` already holds the whole
    record. Without it two processes could both read "4 failures", both write 5, and let
    more attempts through than the limit."""
    now = now or utcnow()
    insert: Any
    if db.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.execute(insert(LoginThrottle).values(
        [{"key": key, "failures": 0, "window_start": now} for key in sorted(set(keys))])
        .on_conflict_do_nothing(index_elements=["key"]))
    db.execute(sa.select(LoginThrottle.key).where(LoginThrottle.key.in_(keys))
               .order_by(LoginThrottle.key).with_for_update())


def locked_until(db: orm.Session, keys: list[str], *, now: dt.datetime | None = None
                 ) -> dt.datetime | None:
    """The latest lockout end among ``keys`` still in the future, if any (call
    :func:`hold_counters` first where an attempt follows)."""
    now = now or utcnow()
    ends = [row.locked_until for row in db.scalars(
        sa.select(LoginThrottle).where(LoginThrottle.key.in_(keys))
        .execution_options(populate_existing=True))
        if row.locked_until is not None and row.locked_until > now]
    return max(ends) if ends else None


def record_failure(db: orm.Session, keys: list[str], *, max_failures: int,
                   window: dt.timedelta, now: dt.datetime | None = None) -> None:
    """Count one failed login against every key; lock a key at ``max_failures`` within
    ``window`` (the lockout lasts one window). Under :func:`hold_counters` the counts are
    exact across processes."""
    now = now or utcnow()
    for key in keys:
        row = db.get(LoginThrottle, key, populate_existing=True)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_start=now)
            db.add(row)
        if now - row.window_start > window:
            row.failures, row.window_start = 0, now
        row.failures += 1
        if row.failures >= max_failures:
            row.locked_until = now + window
            row.failures, row.window_start = 0, now


def clear_failures(db: orm.Session, key: str) -> None:
    db.execute(sa.delete(LoginThrottle).where(LoginThrottle.key == key))


# -- API tokens ---------------------------------------------------------------------------
@dataclass(frozen=True)
class TokenView:
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


def create_api_token(tx: Tx, name: str) -> tuple[str, TokenView]:
    """A new API token for the acting user; the token itself is returned only here."""
    me = tx.me()
    name = name.strip()
    if not 1 <= len(name) <= 64:
        raise RapportInputError("a token needs a name of 1-64 characters", where="name",
                                fix="name it after the script that will use it",
                                code="bad_name")
    token = "rpt_" + secrets.token_urlsafe(32)
    row = ApiToken(token_hash=token_digest(token), user_id=me.id, name=name)
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "api-token", detail=f"token={row.id}")
    return token, _token_view(row)


def list_api_tokens(tx: Tx) -> list[TokenView]:
    rows = tx.db.scalars(sa.select(ApiToken).where(ApiToken.user_id == tx.me().id)
                         .order_by(ApiToken.id))
    return [_token_view(r) for r in rows]


def revoke_api_token(tx: Tx, token_id: int) -> None:
    row = tx.db.scalar(sa.select(ApiToken).where(ApiToken.id == token_id,
                                                 ApiToken.user_id == tx.me().id,
                                                 ApiToken.revoked_at.is_(None)))
    if row is None:
        raise RapportInputError(f"no API token {token_id} of yours that is still valid",
                                where="token", fix="list your tokens first",
                                code="not_found")
    row.revoked_at = utcnow()
    tx.audit("revoke", "api-token", detail=f"token={token_id}")


def actor_for_api_token(db: orm.Session, token: str) -> Actor | None:
    """The active user owning a valid token (and the token marked used), else None."""
    found = db.execute(sa.select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                       .where(ApiToken.token_hash == token_digest(token),
                              ApiToken.revoked_at.is_(None), User.active)).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        # Only forward, as for sign-ins (several processes may touch it at once).
        _at_commit(db, sa.update(ApiToken).where(
            ApiToken.id == row.id,
            sa.or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now))
            .values(last_used_at=now))
    return _actor(user)


def _actor(user: User) -> Actor:
    return Actor(id=user.id, username=user.username, role=UserRole(user.role))


def _token_view(row: ApiToken) -> TokenView:
    return TokenView(id=row.id, name=row.name, created_at=row.created_at,
                     last_used_at=row.last_used_at, revoked=row.revoked_at is not None)
