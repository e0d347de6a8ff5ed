"""The supervision links, for the admin page (admins only; no client content)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from rapport.store.models import Supervision, User
from rapport.store.permissions import UserRole, require_role
from rapport.store.tx import Tx


@dataclass(frozen=True)
class SupervisionLink:
    supervisor: str
    supervisee: str
    identity_granted: bool


def list_supervision_links(tx: Tx) -> list[SupervisionLink]:
    """Every supervision link, by supervisor then supervisee."""
    require_role(tx.me(), UserRole.ADMIN, doing="listing supervision links")
    supervisor, supervisee = orm.aliased(User), orm.aliased(User)
    rows = tx.db.execute(
        sa.select(supervisor.username, supervisee.username, Supervision.identity_granted)
        .join(supervisor, supervisor.id == Supervision.supervisor_id)
        .join(supervisee, supervisee.id == Supervision.supervisee_id)
        .order_by(supervisor.username, supervisee.username)).all()
    tx.audit("list", "supervision", detail=f"links={len(rows)}")
    return [SupervisionLink(a, b, bool(g)) for a, b, g in rows]
