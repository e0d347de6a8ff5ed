"""Coding projects: who is on them, their units, each coder's codes, the gold decisions.

Rights, as query filters (anything else is "not found", like a project that does not
exist): a project is seen by its members only (its maker is an adjudicator;
``permissions.coding_projects_of``). A coder reads
the units' turns and their own codes; the others' codes only for a unit they finished
(blind coding). Adjudicators see every coder's codes and add decisions, except on a unit
they code themselves and have not finished. Units of a de-identified project disappear
while their client has neither a current ``research`` nor ``sharing`` consent. Every read
of turns, codes or notes is audited (ids and counts only).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from rapport.errors import RapportInputError
from rapport.store.consents import is_current
from rapport.store.models import (
    Client,
    CodingDecision,
    CodingFinished,
    CodingLabel,
    CodingMember,
    CodingProject,
    CodingUnit,
    Consent,
    TherapySession,
    User,
    utcnow,
)
from rapport.store.permissions import UserRole, coding_projects_of, not_found
from rapport.store.tx import Tx

CODER, ADJUDICATOR = "coder", "adjudicator"
MODES = ("blind", "assisted")


@dataclass(frozen=True)
class NewUnit:
    session_id: int | None  # None: an uploaded transcript, the project's own
    label: str
    turns: list[dict[str, Any]]  # index, role, speaker, text, start, end, model (codes)
    timed: bool


@dataclass(frozen=True)
class UnitView:
    id: int
    label: str
    n_turns: int
    timed: bool
    uploaded: bool  # an uploaded transcript (the project's own), not a stored session
    coded: dict[str, int]  # coder -> turns with a saved code or note
    finished: frozenset[str]


@dataclass(frozen=True)
class ProjectView:
    id: int
    name: str
    codebook: dict[str, Any]
    mode: str
    deidentified: bool
    maker: str
    created_at: dt.datetime
    coders: tuple[str, ...]
    adjudicators: tuple[str, ...]
    my_roles: frozenset[str]
    units: tuple[UnitView, ...] = field(default=())


@dataclass(frozen=True)
class TurnCode:
    labels: tuple[str, ...]
    note: str
    mode: str


@dataclass(frozen=True)
class Decision:
    turn_index: int
    labels: tuple[str, ...]
    reason: str
    by: str
    at: dt.datetime


def usernames(tx: Tx, names: list[str], where: str) -> dict[str, int]:
    wanted = list(dict.fromkeys(names))
    rows: dict[str, int] = dict(tx.db.execute(sa.select(User.username, User.id).where(
        User.username.in_(wanted), User.active)).all())
    trainees = set(tx.db.scalars(sa.select(User.username).where(
        User.username.in_(wanted), User.role == UserRole.TRAINEE.value)))
    if trainees:  # a coding project holds client turns; trainees see no client data
        raise RapportInputError(f"{sorted(trainees)[0]!r} is a trainee", where=where,
                                fix="trainees practise with drills, not client sessions; "
                                "choose a therapist or supervisor", code="bad_role")
    missing = [n for n in wanted if n not in rows]
    if missing:
        raise RapportInputError(f"no active user named {missing[0][:64]!r}", where=where,
                                fix="check the name (`rapport users list`)",
                                code="unknown_user")
    return rows


def add_project(tx: Tx, *, name: str, codebook: dict[str, Any], mode: str,
                deidentified: bool, coders: list[str], adjudicators: list[str],
                units: list[NewUnit]) -> int:
    """Store a new project (the maker becomes an adjudicator); returns its id."""
    me = tx.me()
    if mode not in MODES:
        raise RapportInputError(f"unknown mode {mode[:20]!r}", where="mode",
                                fix="use blind or assisted", code="bad_mode")
    if not name.strip():
        raise RapportInputError("a project needs a name", where="name",
                                fix="give it a short name", code="bad_name")
    if len(set(coders)) < 1 or not units:
        raise RapportInputError("a project needs at least one coder and one session",
                                where="project", fix="name the coders and the sessions",
                                code="bad_project")
    coder_ids = usernames(tx, coders, "coders")
    adjudicator_ids = usernames(tx, [*adjudicators, me.username], "adjudicators")
    project = CodingProject(name=name.strip()[:120], codebook=codebook, mode=mode,
                            deidentified=deidentified, created_by=me.id)
    tx.db.add(project)
    tx.db.flush()
    for uid in coder_ids.values():
        tx.db.add(CodingMember(project_id=project.id, user_id=uid, role=CODER))
    for uid in adjudicator_ids.values():
        tx.db.add(CodingMember(project_id=project.id, user_id=uid, role=ADJUDICATOR))
    store_units(tx, project.id, units, first_position=1)
    tx.audit("create", "coding_project", detail=f"project={project.id} units={len(units)} "
             f"coders={len(coder_ids)} mode={mode}")
    return project.id


def store_units(tx: Tx, project_id: int, units: list[NewUnit], *, first_position: int
                ) -> list[int]:
    """Add ``units`` to a project, their turns encrypted; returns their ids."""
    rows = [CodingUnit(project_id=project_id, session_id=unit.session_id,
                       position=position, label=unit.label[:64], n_turns=len(unit.turns),
                       timed=unit.timed, roles=[str(t["role"]) for t in unit.turns],
                       turns_enc=tx.encrypt(json.dumps(unit.turns), "coding_units.turns"))
            for position, unit in enumerate(units, start=first_position)]
    tx.db.add_all(rows)
    tx.db.flush()
    return [r.id for r in rows]


def _my_roles(tx: Tx, project_id: int) -> frozenset[str]:
    return frozenset(tx.db.scalars(sa.select(CodingMember.role).where(
        CodingMember.project_id == project_id, CodingMember.user_id == tx.me().id)))


def _find(tx: Tx, project_id: int, *, role: str | None = None, with_roles: bool = True
          ) -> tuple[CodingProject, frozenset[str]]:
    project = tx.db.scalar(sa.select(CodingProject).where(
        CodingProject.id == project_id, coding_projects_of(tx.me(), role)))
    if project is None:
        raise not_found("coding project", str(project_id))
    return project, _my_roles(tx, project_id) if with_roles else frozenset()


def find_project(tx: Tx, project_id: int) -> CodingProject:
    """The project, when the actor is on it (else "not found")."""
    return _find(tx, project_id, with_roles=False)[0]


def _consented_clients() -> sa.Select[int]:
    """Clients whose consent covers a de-identified copy of :class:`CodingUnit`'s project:
    ``research``, or ``sharing`` (in-clinic training) unless a researcher made it."""
    clinic_made = sa.exists().where(CodingProject.id == CodingUnit.project_id,
                                    User.id == CodingProject.created_by,
                                    User.role != "researcher").correlate(CodingUnit)
    return sa.select(Consent.client_id).where(
        is_current(),
        sa.or_(Consent.kind == "research", sa.and_(Consent.kind == "sharing", clinic_made)))


def _consented_unit() -> sa.ColumnElement[bool]:
    """A WHERE clause on :class:`CodingUnit` of a de-identified project: an uploaded
    transcript (no client: always open), or a session whose client's consent covers it."""
    return sa.or_(CodingUnit.session_id.is_(None), CodingUnit.session_id.in_(
        sa.select(TherapySession.id).where(TherapySession.client_id.in_(
            _consented_clients()))))


def _open_units(project: CodingProject) -> sa.Select[CodingUnit]:
    query = sa.select(CodingUnit).where(CodingUnit.project_id == project.id)
    if project.deidentified:
        query = query.where(_consented_unit())
    return query.order_by(CodingUnit.position)


def members(tx: Tx, project_id: int, role: str) -> tuple[str, ...]:
    return tuple(tx.db.scalars(sa.select(User.username).join(
        CodingMember, CodingMember.user_id == User.id).where(
        CodingMember.project_id == project_id, CodingMember.role == role)
        .order_by(User.username)))


def _view(tx: Tx, project: CodingProject, roles: frozenset[str], *, units: bool
          ) -> ProjectView:
    maker = tx.db.scalar(sa.select(User.username).where(User.id == project.created_by))
    unit_views: list[UnitView] = []
    if units:
        rows = list(tx.db.scalars(_open_units(project)))
        ids = [u.id for u in rows]
        coded: dict[int, dict[str, int]] = {}
        for unit_id, who, n in tx.db.execute(
                sa.select(CodingLabel.unit_id, User.username, sa.func.count())
                .join(User, User.id == CodingLabel.coder_id)
                .where(CodingLabel.unit_id.in_(ids))
                .group_by(CodingLabel.unit_id, User.username)):
            coded.setdefault(unit_id, {})[who] = int(n)
        done: dict[int, set[str]] = {}
        for unit_id, who in tx.db.execute(
                sa.select(CodingFinished.unit_id, User.username)
                .join(User, User.id == CodingFinished.coder_id)
                .where(CodingFinished.unit_id.in_(ids))):
            done.setdefault(unit_id, set()).add(who)
        unit_views = [UnitView(id=u.id, label=u.label, n_turns=u.n_turns, timed=u.timed,
                               uploaded=u.session_id is None,
                               coded=coded.get(u.id, {}),
                               finished=frozenset(done.get(u.id, set()))) for u in rows]
    return ProjectView(id=project.id, name=project.name, codebook=project.codebook,
                       mode=project.mode, deidentified=project.deidentified,
                       maker=maker or "", created_at=project.created_at,
                       coders=members(tx, project.id, CODER),
                       adjudicators=members(tx, project.id, ADJUDICATOR),
                       my_roles=roles, units=tuple(unit_views))


def list_projects(tx: Tx) -> list[ProjectView]:
    """The projects the actor is on, newest first (no units: a list page)."""
    projects = tx.db.scalars(sa.select(CodingProject).where(coding_projects_of(tx.me()))
                             .order_by(CodingProject.id.desc()))
    out = [_view(tx, p, _my_roles(tx, p.id), units=False) for p in projects]
    tx.audit("list", "coding_project", detail=f"projects={len(out)}")
    return out


def show_project(tx: Tx, project_id: int) -> ProjectView:
    project, roles = _find(tx, project_id)
    view = _view(tx, project, roles, units=True)
    tx.audit("read", "coding_project", detail=f"project={project_id}")
    return view


def _unit(tx: Tx, project: CodingProject, unit_id: int) -> CodingUnit:
    unit = tx.db.scalar(_open_units(project).where(CodingUnit.id == unit_id))
    if unit is None:
        raise not_found("coding unit", str(unit_id))
    return unit


def _subject(tx: Tx, unit: CodingUnit) -> str | None:
    return tx.db.scalar(sa.select(Client.uid).join(
        TherapySession, TherapySession.client_id == Client.id).where(
        TherapySession.id == unit.session_id))


def is_finished(tx: Tx, unit_id: int, user_id: int) -> bool:
    return tx.db.scalar(sa.select(CodingFinished.id).where(
        CodingFinished.unit_id == unit_id, CodingFinished.coder_id == user_id)) is not None


def unit_turns(tx: Tx, project_id: int, unit_id: int) -> list[dict[str, Any]]:
    """The unit's turns as copied when the project was made (audited read)."""
    project, _ = _find(tx, project_id)
    unit = _unit(tx, project, unit_id)
    tx.audit("read", "coding_unit", subject=_subject(tx, unit),
             detail=f"project={project_id} unit={unit_id}")
    turns: list[dict[str, Any]] = json.loads(tx.decrypt(unit.turns_enc, "coding_units.turns"))
    return turns


def my_codes(tx: Tx, project_id: int, unit_id: int) -> tuple[dict[int, TurnCode], bool]:
    """The actor's own codes of a unit by turn, and whether they finished it."""
    project, _ = _find(tx, project_id, role=CODER)
    unit = _unit(tx, project, unit_id)
    me = tx.me()
    rows = tx.db.scalars(sa.select(CodingLabel).where(CodingLabel.unit_id == unit.id,
                                                      CodingLabel.coder_id == me.id))
    out = {r.turn_index: TurnCode(tuple(r.labels), "" if r.note_enc is None else
                                  tx.decrypt(r.note_enc, "coding_labels.note"), r.mode)
           for r in rows}
    tx.audit("read", "coding_labels", subject=_subject(tx, unit),
             detail=f"project={project_id} unit={unit_id} own={len(out)}")
    return out, is_finished(tx, unit.id, me.id)


def save_code(tx: Tx, project_id: int, unit_id: int, turn_index: int, note: str | None, *,
              check: Callable[[dict[str, Any], str], list[str]]
              ) -> list[str]:
    """Set the actor's codes (and note, when given) of one turn; refused once finished.

    ``check(codebook, role)`` is the workbench's rule for the labels of a turn of
    ``role``; it returns them as stored. The coding screen calls this on every key press,
    so a save is three statements (each a round trip to PostgreSQL): one read of the
    project, the unit, its client's uid (for the audit) and whether the caller finished
    it, with the same rights as :func:`_find` and :func:`_open_units`; one upsert of the
    code; one audit row.
    """
    me = tx.me()
    finished = sa.exists().where(CodingFinished.unit_id == CodingUnit.id,
                                 CodingFinished.coder_id == me.id)
    found = tx.db.execute(
        sa.select(CodingProject.codebook, CodingProject.mode, CodingUnit.n_turns,
                  CodingUnit.roles, Client.uid, finished)
        .join(CodingUnit, CodingUnit.project_id == CodingProject.id)
        .outerjoin(TherapySession, TherapySession.id == CodingUnit.session_id)
        .outerjoin(Client, Client.id == TherapySession.client_id)
        .where(CodingProject.id == project_id, coding_projects_of(me, CODER),
               CodingUnit.id == unit_id,
               sa.or_(CodingProject.deidentified.is_(False), _consented_unit()))).first()
    if found is None:
        # the project itself first, so the answer is the same as any other route's
        _find(tx, project_id, role=CODER, with_roles=False)
        raise not_found("coding unit", str(unit_id))
    codebook, mode, n_turns, roles, uid, done = found
    if not 0 <= turn_index < n_turns:
        raise RapportInputError(f"unit {unit_id} has no turn {turn_index}",
                                where="turn_index", fix=f"use 0 to {n_turns - 1}",
                                code="bad_turn")
    checked = check(codebook, roles[turn_index])
    if done:
        raise RapportInputError("you have finished this session", where="coding",
                                fix="codes of a finished session stay as they were "
                                "(others' codes were shown to you)", code="finished")
    values: dict[str, Any] = {"labels": list(checked), "mode": mode, "updated_at": utcnow()}
    if note is not None:
        values["note_enc"] = (tx.encrypt(note, "coding_labels.note") if note.strip()
                              else None)
    dialect = tx.db.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CodingLabel)
    tx.db.execute(insert.values(unit_id=unit_id, coder_id=me.id, turn_index=turn_index,
                                **values).on_conflict_do_update(
        index_elements=["unit_id", "coder_id", "turn_index"], set_=values))
    tx.audit("update", "coding_labels", subject=uid,
             detail=f"project={project_id} unit={unit_id} turn={turn_index} "
             f"codes={len(checked)}")
    return checked


def finish_unit(tx: Tx, project_id: int, unit_id: int) -> None:
    project, _ = _find(tx, project_id, role=CODER)
    unit = _unit(tx, project, unit_id)
    me = tx.me()
    if not is_finished(tx, unit.id, me.id):
        tx.db.add(CodingFinished(unit_id=unit.id, coder_id=me.id))
        tx.audit("update", "coding_finished", subject=_subject(tx, unit),
                 detail=f"project={project_id} unit={unit_id}")


def _may_see_all(tx: Tx, unit: CodingUnit, roles: frozenset[str]) -> bool:
    if CODER in roles and not is_finished(tx, unit.id, tx.me().id):
        return False  # blind: a coder of this unit sees the others only after finishing
    return ADJUDICATOR in roles or CODER in roles


def all_codes(tx: Tx, project_id: int, unit_id: int) -> dict[str, dict[int, TurnCode]]:
    """Every coder's codes of a unit (``coder -> turn -> codes``), for adjudicators and for
    coders who finished it; anyone else: "not found"."""
    project, roles = _find(tx, project_id)
    unit = _unit(tx, project, unit_id)
    if not _may_see_all(tx, unit, roles):
        raise not_found("coding unit", str(unit_id))
    out: dict[str, dict[int, TurnCode]] = {name: {} for name in members(tx, project.id,
                                                                          CODER)}
    for row, who in tx.db.execute(sa.select(CodingLabel, User.username).join(
            User, User.id == CodingLabel.coder_id).where(CodingLabel.unit_id == unit.id)):
        out.setdefault(who, {})[row.turn_index] = TurnCode(
            tuple(row.labels), "" if row.note_enc is None else
            tx.decrypt(row.note_enc, "coding_labels.note"), row.mode)
    tx.audit("read", "coding_labels", subject=_subject(tx, unit),
             detail=f"project={project_id} unit={unit_id} coders={len(out)}")
    return out


def add_decision(tx: Tx, project_id: int, unit_id: int, turn_index: int, reason: str, *,
                 check: Callable[[dict[str, Any], str], list[str]]) -> list[str]:
    """An adjudicator's decision on one turn (labels as ``check(codebook, role)`` returns
    them); it becomes the gold."""
    project, roles = _find(tx, project_id, role=ADJUDICATOR)
    unit = _unit(tx, project, unit_id)
    if not _may_see_all(tx, unit, roles):
        raise not_found("coding unit", str(unit_id))
    if not 0 <= turn_index < unit.n_turns:
        raise RapportInputError(f"unit {unit_id} has no turn {turn_index}",
                                where="turn_index", fix=f"use 0 to {unit.n_turns - 1}",
                                code="bad_turn")
    labels = check(project.codebook, unit.roles[turn_index])
    tx.db.add(CodingDecision(unit_id=unit.id, turn_index=turn_index, labels=list(labels),
                             reason_enc=tx.encrypt(reason, "coding_decisions.reason")
                             if reason.strip() else None, decided_by=tx.me().id))
    tx.audit("create", "coding_decision", subject=_subject(tx, unit),
             detail=f"project={project_id} unit={unit_id} turn={turn_index}")
    return labels


def decisions(tx: Tx, project_id: int, unit_id: int) -> list[Decision]:
    """Every decision of a unit, oldest first (the newest per turn is the gold)."""
    project, roles = _find(tx, project_id)
    unit = _unit(tx, project, unit_id)
    if not _may_see_all(tx, unit, roles):
        raise not_found("coding unit", str(unit_id))
    rows = tx.db.execute(sa.select(CodingDecision, User.username).join(
        User, User.id == CodingDecision.decided_by).where(CodingDecision.unit_id == unit.id)
        .order_by(CodingDecision.id))
    out = [Decision(turn_index=d.turn_index, labels=tuple(d.labels),
                    reason="" if d.reason_enc is None else
                    tx.decrypt(d.reason_enc, "coding_decisions.reason"), by=who, at=d.at)
           for d, who in rows]
    tx.audit("read", "coding_decision", subject=_subject(tx, unit),
             detail=f"project={project_id} unit={unit_id} decisions={len(out)}")
    return out
