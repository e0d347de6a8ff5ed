"""Reading the audit log. Writing happens through :meth:`Tx.audit` only, and the
database refuses UPDATE and DELETE on the table (triggers made by the first migration).

Admins see every entry; others see their own actions and, for therapists, every entry
about their own clients (so they can tell who read their clients' records).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.store.clients import find_client
from rapport.store.models import AuditEntry, Client
from rapport.store.permissions import UserRole, not_found
from rapport.store.tx import Tx


@dataclass(frozen=True)
class AuditView:
    at: dt.datetime
    actor: str
    interface: str
    action: str
    entity: str
    subject: str | None
    detail: str


def query_audit(tx: Tx, *, client_code: str | None = None, subject: str | None = None,
                actor: str | None = None, since: dt.datetime | None = None,
                limit: int = 200) -> list[AuditView]:
    """Newest first, filtered; ``subject`` is a client's uid (it outlives an erasure)."""
    me = tx.me()
    query = sa.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, limit))
    if me.role is UserRole.ADMIN:
        if client_code is not None:
            uid = tx.db.scalar(sa.select(Client.uid).where(Client.code == client_code))
            if uid is None:
                raise not_found("client", client_code)
            query = query.where(AuditEntry.subject == uid)
    else:
        own = AuditEntry.actor == me.username
        if me.role is UserRole.THERAPIST:
            mine = sa.select(Client.uid).where(Client.therapist_id == me.id)
            own = sa.or_(own, AuditEntry.subject.in_(mine))
        query = query.where(own)
        if client_code is not None:
            query = query.where(AuditEntry.subject == find_client(tx, client_code).uid)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    rows = list(tx.db.scalars(query))
    tx.audit("read", "audit", detail=f"entries={len(rows)}")
    return [AuditView(at=r.at, actor=r.actor, interface=r.interface, action=r.action,
                      entity=r.entity, subject=r.subject, detail=r.detail) for r in rows]
