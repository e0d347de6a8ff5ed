"""What every coder declares and produces: the interface of the coding box.

A coder labels turns. It declares the code families it fills (:class:`CodeFamily`) and
returns one :class:`~rapport.domain.TurnCodes` per turn. Families are either single-label
(one of ``labels`` or not applicable) or multi-label codes (present or absent). The
columns of ``rapport code`` and the ``codes`` of ``rapport analyze`` are built from these
declarations, so a coder never writes free-form keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from rapport.domain import Role, Session, TurnCodes


@dataclass(frozen=True)
class CodeFamily:
    """A code family (single-label) or a multi-label code.

    ``roles``: whose turns it applies to. ``parent``: for a sub-family such as
    ``question_type``, the ``(family, label)`` it refines (questions only).
    """

    name: str
    kind: Literal["single", "multi"]
    labels: tuple[str, ...] = ()
    roles: tuple[Role, ...] = (Role.THERAPIST, Role.CLIENT)
    parent: tuple[str, str] | None = None
    description: str = ""

    @property
    def columns(self) -> tuple[str, str]:
        """The two columns of the ``rapport code`` table this family fills."""
        if self.kind == "single":
            return self.name, f"{self.name}_confidence"
        return f"code_{self.name}", f"code_{self.name}_confidence"


@runtime_checkable
class SessionCoder(Protocol):
    """A fitted coder that can label every turn of a session."""

    families: tuple[CodeFamily, ...]

    @property
    def model_id(self) -> str:
        """Name and version of the model, recorded beside every code it makes."""
        ...

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One TurnCodes per turn, in turn order; must not mutate ``session``."""
        ...


@dataclass(frozen=True)
class CodedSession:
    """A session with the codes of every coder merged per turn."""

    session: Session
    codes: tuple[TurnCodes, ...]
    families: tuple[CodeFamily, ...] = field(default=())
    models: tuple[str, ...] = field(default=())
