"""Who may see and change what: one module for the CLI now and the web app later.

- therapist: their own clients, read and write;
- supervisor: their supervisees' clients, read-only, without identifying fields unless the
  supervision link grants them;
- researcher: aggregate numbers only, from clients who consented to research;
- admin: users and settings; no client content;
- trainee: the practice room only (their own attempts); no client content at all;
- practice attempts: their author, the author's supervisors and admins (see
  :func:`practice_visible_users`); only trainees and therapists practise;
- coding projects (the workbench): their members only, whatever their role.

A lookup outside someone's rights fails exactly like a lookup of something that does not
exist, so ids and client codes cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy import orm

from rapport.errors import RapportInputError
from rapport.store.models import Client, CodingMember, CodingProject, Supervision, User


class UserRole(StrEnum):
    THERAPIST = "therapist"
    SUPERVISOR = "supervisor"
    RESEARCHER = "researcher"
    ADMIN = "admin"
    TRAINEE = "trainee"


#: The roles that answer practice drills.
PRACTISING_ROLES = (UserRole.TRAINEE, UserRole.THERAPIST)


@dataclass(frozen=True)
class Actor:
    """The person a transaction acts for."""

    id: int
    username: str
    role: UserRole


def resolve_actor(db: orm.Session, username: str) -> Actor:
    user = db.scalar(sa.select(User).where(User.username == username, User.active))
    if user is None:
        raise RapportInputError(f"no active user named {username!r}", where="RAPPORT_USER",
                                fix="check the name with an admin (`rapport users list`)",
                                code="unknown_user")
    return Actor(id=user.id, username=user.username, role=UserRole(user.role))


def not_found(what: str, where: str) -> RapportInputError:
    """The one answer for "does not exist" and "not yours to see"."""
    return RapportInputError(f"no {what} {where!r} that you can see", where=what,
                             fix="check the spelling; ask the owning therapist or an admin "
                             "if you should have access", code="not_found")


def require_role(actor: Actor, *roles: UserRole, doing: str) -> None:
    if actor.role not in roles:
        allowed = " or ".join(r.value for r in roles)
        raise RapportInputError(f"{doing} needs the {allowed} role; "
                                f"{actor.username} is {actor.role.value}",
                                where="permissions", fix=f"act as a user who is {allowed}",
                                code="forbidden")


def _supervisees(actor: Actor) -> sa.Select[int]:
    return sa.select(Supervision.supervisee_id).where(Supervision.supervisor_id == actor.id)


def readable_clients(actor: Actor) -> sa.ColumnElement[bool]:
    """A WHERE clause on :class:`Client`: the clients whose content ``actor`` may read."""
    if actor.role is UserRole.THERAPIST:
        return Client.therapist_id == actor.id
    if actor.role is UserRole.SUPERVISOR:
        return Client.therapist_id.in_(_supervisees(actor))
    return sa.false()


def writable_clients(actor: Actor) -> sa.ColumnElement[bool]:
    """A WHERE clause on :class:`Client`: the clients ``actor`` may change."""
    if actor.role is UserRole.THERAPIST:
        return Client.therapist_id == actor.id
    return sa.false()


def can_see_identity(db: orm.Session, actor: Actor, client: Client) -> bool:
    """Identifying fields: the owning therapist, or a supervisor explicitly granted them."""
    if actor.role is UserRole.THERAPIST:
        return client.therapist_id == actor.id
    if actor.role is UserRole.SUPERVISOR:
        granted = db.scalar(sa.select(Supervision.identity_granted).where(
            Supervision.supervisor_id == actor.id,
            Supervision.supervisee_id == client.therapist_id))
        return bool(granted)
    return False


def coding_projects_of(actor: Actor, role: str | None = None) -> sa.ColumnElement[bool]:
    """A WHERE clause on :class:`CodingProject`: the projects ``actor`` is on (as ``role``,
    ``coder`` or ``adjudicator``, when given). Nobody else sees a project."""
    members = sa.select(CodingMember.project_id).where(CodingMember.user_id == actor.id)
    if role is not None:
        members = members.where(CodingMember.role == role)
    return CodingProject.id.in_(members)


def practice_visible_users(actor: Actor) -> sa.ColumnElement[bool]:
    """A WHERE clause on :class:`User`: whose practice attempts ``actor`` may read.

    Everyone their own; a supervisor also their supervisees'; an admin everyone's.
    """
    if actor.role is UserRole.ADMIN:
        return sa.true()
    if actor.role is UserRole.SUPERVISOR:
        return sa.or_(User.id == actor.id, User.id.in_(_supervisees(actor)))
    return User.id == actor.id
