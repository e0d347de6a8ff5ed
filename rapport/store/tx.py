"""The unit of work handed to every store function: database session, actor, key, audit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import orm

from rapport.errors import RapportInputError
from rapport.store.crypto import Cipher
from rapport.store.models import AuditEntry
from rapport.store.permissions import Actor

#: Interfaces through which the record is used, as the audit log names them.
INTERFACES = ("cli", "web", "api", "system")


@dataclass
class Tx:
    """One transaction as one person. Store functions take it as their first argument."""

    db: orm.Session
    actor: Actor | None
    interface: str
    cipher_loader: Callable[[], Cipher]
    #: Lookups already made in this transaction (e.g. clients by code and access), so a
    #: page that reads several things of one client checks its rights once.
    cache: dict[Any, Any] = field(default_factory=dict)
    #: Refusals to audit even when the transaction rolls back (:meth:`refuse`).
    refusals: list[dict[str, Any]] = field(default_factory=list)

    def me(self) -> Actor:
        """The acting user; commands that touch the record need one."""
        if self.actor is None:
            raise RapportInputError("no user is acting", where="RAPPORT_USER",
                                    fix="set RAPPORT_USER=<username> or pass --as <username>",
                                    code="no_user")
        return self.actor

    def encrypt(self, text: str, context: str) -> bytes:
        return self.cipher_loader().encrypt(text, context)

    def decrypt(self, blob: bytes, context: str) -> str:
        return self.cipher_loader().decrypt(blob, context)

    def audit(self, action: str, entity: str, *, subject: str | None = None,
              detail: str = "") -> None:
        """Append one audit row. ``detail`` must never hold client text (ids and counts)."""
        self.db.add(AuditEntry(**self._row(action, entity, subject, detail)))

    def refuse(self, entity: str, *, subject: str | None = None, detail: str = "") -> None:
        """Audit a refused attempt (``refused``). A refusal is usually followed by an
        error that rolls the transaction back; the store then writes these rows in a
        transaction of their own, so who tried what is never lost with it."""
        row = self._row("refused", entity, subject, detail)
        self.refusals.append(row)
        self.db.add(AuditEntry(**row))

    def _row(self, action: str, entity: str, subject: str | None,
             detail: str) -> dict[str, Any]:
        who = self.actor.username if self.actor else "(system)"
        return {"actor": who, "interface": self.interface, "action": action,
                "entity": entity, "subject": subject, "detail": detail[:200]}
