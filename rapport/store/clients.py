"""Clients: a pseudonymous code, encrypted identifying fields, an owning therapist.

Every read and write of a client's data is audited by the client's random ``uid``, never
by name or code, so that after an erasure the audit log holds no trace of who it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.models import Client, Consent, TherapySession, User, utcnow
from rapport.store.permissions import (
    UserRole,
    can_see_identity,
    not_found,
    readable_clients,
    require_role,
    writable_clients,
)
from rapport.store.tx import Tx

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
#: Identifying fields a client record may hold (all encrypted).
IDENTITY_FIELDS = ("name", "birth_date", "contact")


@dataclass(frozen=True)
class ClientSummary:
    code: str
    therapist: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    sessions: int


@dataclass(frozen=True)
class ClientDetail(ClientSummary):
    """One client as the viewer may see them: identity is None when not theirs to see
    (``identity_shown`` False) or when none is stored (never given, or purged by the
    retention policy)."""

    identity: dict[str, str] | None = None
    identity_shown: bool = False
    notes: str | None = None
    current_consents: tuple[str, ...] = field(default=())


def find_client(tx: Tx, code: str, *, write: bool = False) -> Client:
    """The client with ``code`` if the actor may read (or write) it; else "not found"."""
    key = ("client", code, write)
    if key in tx.cache:
        cached: Client = tx.cache[key]
        return cached
    me = tx.me()
    scope = writable_clients(me) if write else readable_clients(me)
    client = tx.db.scalar(sa.select(Client).where(Client.code == code, scope))
    if client is None:
        # One who may not see the client is told it does not exist; the audit log keeps
        # that they tried (a code nobody has is no attempt on anyone's record).
        uid = tx.db.scalar(sa.select(Client.uid).where(Client.code == code))
        if uid is not None:
            tx.refuse("client", subject=uid, detail="write" if write else "read")
        raise not_found("client", code)
    tx.cache[key] = client
    return client


def add_client(tx: Tx, code: str, *, identity: dict[str, str] | None = None,
               notes: str | None = None) -> ClientSummary:
    """Add a client of the acting therapist."""
    me = tx.me()
    require_role(me, UserRole.THERAPIST, doing="adding clients")
    if not _CODE.match(code):
        raise RapportInputError(f"invalid client code {code!r}", where="CODE",
                                fix="1-64 letters, digits, . _ -; a pseudonym, not a name",
                                code="bad_code")
    owner = tx.db.scalar(sa.select(Client.therapist_id).where(Client.code == code))
    if owner == me.id:
        raise RapportInputError(f"you already have a client {code!r}", where="CODE",
                                fix="choose another code", code="duplicate")
    if owner is not None:
        # Codes are unique clinic-wide, but another therapist's client answers like
        # anything else that is not yours: not found, so codes cannot be probed.
        raise RapportInputError(f"client code {code!r} cannot be used", where="CODE",
                                fix="choose another code", code="not_found")
    client = Client(uid=secrets.token_hex(16), code=code, therapist_id=me.id,
                    identity_enc=_seal_identity(tx, identity),
                    notes_enc=tx.encrypt(notes, "clients.notes") if notes else None)
    tx.db.add(client)
    tx.db.flush()
    tx.audit("create", "client", subject=client.uid)
    return ClientSummary(code=code, therapist=me.username, created_at=client.created_at,
                         closed_at=None, sessions=0)


def _seal_identity(tx: Tx, identity: dict[str, str] | None) -> bytes | None:
    if not identity:
        return None
    unknown = set(identity) - set(IDENTITY_FIELDS)
    if unknown:
        raise RapportInputError(f"unknown identifying field(s): {', '.join(sorted(unknown))}",
                                where="identity", fix="use " + ", ".join(IDENTITY_FIELDS),
                                code="bad_field")
    return tx.encrypt(json.dumps(identity, ensure_ascii=False), "clients.identity")


def list_clients(tx: Tx) -> list[ClientSummary]:
    """The clients the actor may read, by code (codes only: no identifying fields)."""
    me = tx.me()
    n_sessions = (sa.select(sa.func.count()).where(TherapySession.client_id == Client.id)
                  .correlate(Client).scalar_subquery())
    rows = tx.db.execute(sa.select(Client, User.username, n_sessions)
                         .join(User, User.id == Client.therapist_id)
                         .where(readable_clients(me)).order_by(Client.code)).all()
    for client, _, _ in rows:
        tx.audit("list", "client", subject=client.uid)
    return [ClientSummary(code=c.code, therapist=t, created_at=c.created_at,
                          closed_at=c.closed_at, sessions=int(n)) for c, t, n in rows]


def show_client(tx: Tx, code: str) -> ClientDetail:
    client = find_client(tx, code)
    therapist = tx.db.scalar(sa.select(User.username).where(User.id == client.therapist_id))
    sessions = tx.db.scalar(sa.select(sa.func.count()).where(
        TherapySession.client_id == client.id)) or 0
    identity: dict[str, str] | None = None
    notes: str | None = None
    shown = can_see_identity(tx.db, tx.me(), client)
    if shown:
        if client.identity_enc is not None:
            identity = json.loads(tx.decrypt(client.identity_enc, "clients.identity"))
        if client.notes_enc is not None:
            notes = tx.decrypt(client.notes_enc, "clients.notes")
    tx.audit("read", "client", subject=client.uid,
             detail="with identity" if identity is not None else "")
    return ClientDetail(code=client.code, therapist=str(therapist),
                        created_at=client.created_at, closed_at=client.closed_at,
                        sessions=int(sessions), identity=identity, identity_shown=shown,
                        notes=notes,
                        current_consents=current_consent_kinds(tx, client))


def current_consent_kinds(tx: Tx, client: Client) -> tuple[str, ...]:
    from rapport.store.consents import is_current  # consents reads clients

    kinds = tx.db.scalars(sa.select(Consent.kind).where(
        Consent.client_id == client.id, is_current()).distinct())
    return tuple(sorted(kinds))


@dataclass(frozen=True)
class Closure:
    """A client's state after :func:`close_client`: when closed (None: open), and whether
    this call changed it."""

    closed_at: dt.datetime | None
    changed: bool


def close_client(tx: Tx, code: str, *, reopen: bool = False) -> Closure:
    """Mark therapy as ended (retention counts from here), or reopen it.

    Closing a closed client keeps its date, and reopening an open one leaves it open:
    neither changes anything (``changed`` is False), so a script may repeat the command
    and the retention period never starts again.

    Example: ``close_client(tx, "C-017").closed_at`` is when therapy ended.
    """
    client = find_client(tx, code, write=True)
    if (client.closed_at is None) == reopen:
        return Closure(closed_at=client.closed_at, changed=False)
    client.closed_at = None if reopen else utcnow()
    tx.audit("reopen" if reopen else "close", "client", subject=client.uid)
    return Closure(closed_at=client.closed_at, changed=True)


def reassign_clients(tx: Tx, from_therapist: str, to_therapist: str,
                     codes: list[str] | None = None) -> list[str]:
    """Give ``from_therapist``'s clients (all, or those of ``codes``) to ``to_therapist``
    (admins only: a therapist who leaves, or is away for long); returns their codes. The
    admin reads nothing of them; who may read them follows the new therapist (and their
    supervisors) from then on. Each move is audited; all or nothing."""
    require_role(tx.me(), UserRole.ADMIN, doing="reassigning clients")
    users = {u.username: u for u in tx.db.scalars(sa.select(User).where(
        User.username.in_((from_therapist, to_therapist))))}
    for name, where in ((from_therapist, "--from"), (to_therapist, "--to")):
        user = users.get(name)
        if user is None or user.role != UserRole.THERAPIST.value:
            raise RapportInputError(f"{name!r} is not a therapist", where=where,
                                    fix="name a therapist: rapport users list",
                                    code="bad_input")
    source, target = users[from_therapist], users[to_therapist]
    if source.id == target.id:
        raise RapportInputError("--from and --to name the same therapist", where="--to",
                                fix="name the therapist who takes the clients over",
                                code="bad_input")
    if not target.active:
        raise RapportInputError(f"{to_therapist} is deactivated", where="--to",
                                fix="give the clients to an active therapist",
                                code="bad_input")
    query = sa.select(Client).where(Client.therapist_id == source.id).order_by(Client.code)
    if codes:
        query = query.where(Client.code.in_(codes))
    clients = list(tx.db.scalars(query))
    missing = sorted(set(codes or ()) - {c.code for c in clients})
    if missing:
        raise RapportInputError(f"{from_therapist} has no client {missing[0]!r}",
                                where="CODE", fix=f"list {from_therapist}'s clients by "
                                "their codes, or give none to move them all",
                                code="not_found")
    for client in clients:
        client.therapist_id = target.id
        tx.audit("update", "client", subject=client.uid,
                 detail=f"reassigned from {from_therapist} to {to_therapist}")
    tx.cache.clear()
    return [c.code for c in clients]


def erase_client(tx: Tx, code: str) -> int:
    """Delete everything about a client; the audit log keeps only that it happened.

    Returns how many sessions were removed with it.
    """
    client = find_client(tx, code, write=True)
    uid = client.uid
    n_sessions = tx.db.scalar(sa.select(sa.func.count()).where(
        TherapySession.client_id == client.id)) or 0
    # Foreign keys cascade to consents, sessions, analyses, metrics, responses, comments.
    tx.db.execute(sa.delete(Client).where(Client.id == client.id))
    tx.db.expunge_all()
    tx.cache.clear()
    tx.audit("erase", "client", subject=uid, detail=f"sessions={n_sessions}")
    return int(n_sessions)
