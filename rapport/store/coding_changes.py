"""Changing a coding project after it was made: more coders or adjudicators, more sessions,
a coder's finished session reopened, the project deleted.

Only the project's maker or an admin may (anyone else: "not found", like a project that
does not exist). Each change is a row of the project's history (``coding_events``, ids and
usernames only) and an audit row. Agreement needs no recomputing step: it is computed
from the rows each time it is read, so a reopened session's turns count again as "not
coded" until the coder finishes it once more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.coding import (
    ADJUDICATOR,
    CODER,
    NewUnit,
    find_project,
    members,
    store_units,
    usernames,
)
from rapport.store.models import (
    Client,
    CodingEvent,
    CodingFinished,
    CodingMember,
    CodingProject,
    CodingUnit,
    TherapySession,
    User,
)
from rapport.store.permissions import Actor, UserRole, not_found, readable_clients
from rapport.store.tx import Tx


@dataclass(frozen=True)
class Event:
    kind: str  # coders_added, sessions_added, reopened
    detail: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class ManagedProject:
    """What the workbench needs to prepare sessions for an existing project."""

    id: int
    deidentified: bool
    researcher_made: bool
    members: tuple[str, ...]  # coders and adjudicators
    codebook: dict[str, Any]
    next_position: int  # of a unit added now


def _managed(tx: Tx, project_id: int) -> CodingProject:
    me = tx.me()
    query = sa.select(CodingProject).where(CodingProject.id == project_id)
    if me.role is not UserRole.ADMIN:
        query = query.where(CodingProject.created_by == me.id)
    project = tx.db.scalar(query)
    if project is None:
        raise not_found("coding project", str(project_id))
    return project


def managed_project(tx: Tx, project_id: int) -> ManagedProject:
    """The project, when the actor may change it (its maker, or an admin)."""
    project = _managed(tx, project_id)
    maker_role = tx.db.scalar(sa.select(User.role).where(User.id == project.created_by))
    return ManagedProject(id=project.id, deidentified=project.deidentified,
                          researcher_made=maker_role == UserRole.RESEARCHER.value,
                          members=tuple(dict.fromkeys(
                              [*members(tx, project.id, CODER),
                               *members(tx, project.id, ADJUDICATOR)])),
                          codebook=project.codebook, next_position=_last_position(
                              tx, project.id) + 1)


def _last_position(tx: Tx, project_id: int) -> int:
    return int(tx.db.scalar(sa.select(sa.func.max(CodingUnit.position)).where(
        CodingUnit.project_id == project_id)) or 0)


def _record(tx: Tx, project_id: int, kind: str, detail: str) -> None:
    tx.db.add(CodingEvent(project_id=project_id, kind=kind, detail=detail[:300],
                          by=tx.me().id))
    tx.audit("update", "coding_project", detail=f"project={project_id} {kind}")


def _unreadable_sessions(tx: Tx, project_id: int, user: User) -> int:
    """Units of stored sessions whose client ``user`` may not read."""
    actor = Actor(id=user.id, username=user.username, role=UserRole(user.role))
    return int(tx.db.scalar(sa.select(sa.func.count()).select_from(CodingUnit).join(
        TherapySession, TherapySession.id == CodingUnit.session_id).where(
        CodingUnit.project_id == project_id,
        TherapySession.client_id.not_in(sa.select(Client.id).where(
            readable_clients(actor))))) or 0)


def add_members(tx: Tx, project_id: int, coders: list[str], adjudicators: list[str]
                ) -> None:
    """Add coders and adjudicators. A project whose turns were copied as they are (not
    de-identified) takes only people who may read every session's client record."""
    project = _managed(tx, project_id)
    if not coders and not adjudicators:
        raise RapportInputError("no one to add", where="coders",
                                fix="name one or more users", code="bad_project")
    added: list[str] = []
    for role, names in ((CODER, coders), (ADJUDICATOR, adjudicators)):
        ids = usernames(tx, names, f"{role}s")
        have = set(members(tx, project.id, role))
        for name, uid in ids.items():
            if name in have:
                continue
            if not project.deidentified:  # adjudicators read the turns too
                user = tx.db.get_one(User, uid)
                if _unreadable_sessions(tx, project.id, user):
                    raise RapportInputError(
                        f"{name} may not read the client records of this project's "
                        "sessions, and its turns were copied as they are",
                        where="coders", fix="make a new project with this coder (its "
                        "turns are then de-identified), or choose a coder who may read "
                        "the records", code="not_deidentified")
            tx.db.add(CodingMember(project_id=project.id, user_id=uid, role=role))
            added.append(f"{role} {name}")
    if added:
        _record(tx, project.id, "members_added", ", ".join(added))


def add_units(tx: Tx, project_id: int, units: list[NewUnit]) -> list[int]:
    """Add sessions (prepared by the workbench for this project) after the last one."""
    project = _managed(tx, project_id)
    if not units:
        raise RapportInputError("no sessions to add", where="sessions",
                                fix="name stored sessions or upload transcripts",
                                code="bad_project")
    ids = store_units(tx, project.id, units, first_position=_last_position(tx, project.id) + 1)
    _record(tx, project.id, "sessions_added", "units " + ", ".join(map(str, ids)))
    return ids


def reopen_unit(tx: Tx, project_id: int, unit_id: int, coder: str) -> None:
    """Let ``coder`` change their codes of a session they finished (they have seen the
    others' codes: the history says so)."""
    project = _managed(tx, project_id)
    user_id = usernames(tx, [coder], "coder")[coder]
    mark = tx.db.scalar(sa.select(CodingFinished).join(
        CodingUnit, CodingUnit.id == CodingFinished.unit_id).where(
        CodingUnit.project_id == project.id, CodingFinished.unit_id == unit_id,
        CodingFinished.coder_id == user_id))
    if mark is None:
        raise RapportInputError(f"{coder} has not finished unit {unit_id} of project "
                                f"{project_id}", where="unit",
                                fix="reopen a session the coder finished (the project "
                                "page lists them)", code="not_finished")
    tx.db.delete(mark)
    _record(tx, project.id, "reopened", f"unit {unit_id} for {coder} (finished "
            f"{mark.at:%Y-%m-%d %H:%M} UTC)")


def delete_project(tx: Tx, project_id: int) -> None:
    """Delete a project with everything in it: units (uploaded transcripts included),
    codes, notes, decisions and history."""
    project = _managed(tx, project_id)
    units = tx.db.scalar(sa.select(sa.func.count()).select_from(CodingUnit).where(
        CodingUnit.project_id == project.id))
    tx.db.delete(project)
    tx.db.flush()
    tx.audit("delete", "coding_project", detail=f"project={project_id} units={units}")


def project_history(tx: Tx, project_id: int) -> list[Event]:
    """The project's changes, oldest first (members only)."""
    find_project(tx, project_id)
    rows = tx.db.execute(sa.select(CodingEvent, User.username).join(
        User, User.id == CodingEvent.by).where(CodingEvent.project_id == project_id)
        .order_by(CodingEvent.id))
    out = [Event(kind=e.kind, detail=e.detail, by=who, at=e.at) for e, who in rows]
    tx.audit("read", "coding_events", detail=f"project={project_id} events={len(out)}")
    return out
