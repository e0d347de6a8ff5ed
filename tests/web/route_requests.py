"""How the security tests call any route: path parameter fillers and valid request bodies.

The matrix (test_web_matrix.py) and the injection tests call every route of the app as
every role. A call must be *valid* (right path values, a well-formed body), otherwise a
refusal would be a 422 that says nothing about permissions. So:

- ``FILLERS`` maps a path parameter name to a function giving a value that exists and that
  the owning therapist (tom) may use: {code} -> C-001, {analysis_id} -> tom's analysis.
- ``BODIES`` maps (method, path) of every state-changing route to a function returning the
  keyword arguments for ``TestClient.request`` (json=, data=, files=). Values are unique per
  call (``call.unique``), so repeating a call never collides with an earlier one. A body
  function may prepare the record first (e.g. withdraw a consent so it can be given
  again); it runs before the matrix snapshots the record.

Adding a route with a new path parameter or a new POST/PUT/PATCH/DELETE body? Add one
entry here (small edit, like the rows of access_table.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from web_world import DAY, PASSWORD, World

from rapport.measures.catalog import get_instrument
from rapport.store.consents import ConsentKind, withdraw_consent
from rapport.store.logins import create_api_token
from rapport.store.permissions import UserRole
from rapport.store.sessions import SessionRecord, add_session
from rapport.store.users import add_user

_counter = itertools.count(1)

#: A short transcript in Rapport's plain-text format (coded quickly).
TRANSCRIPT = (b"Therapist: How has the week been since we last met?\n"
              b"Client: Hard. I argued with my sister again and felt awful.\n"
              b"Therapist: It sounds like that argument stayed with you.\n"
              b"Client: Yes, it did. I keep replaying it.\n")


@dataclass
class Call:
    """One request being prepared: who makes it, against which record, with which client."""

    world: World
    client: TestClient
    username: str | None  # None: anonymous
    unique: str = ""
    #: Path values a body function chose (e.g. a fresh session), used by ``fill_path``.
    overrides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.unique = self.unique or f"{next(_counter):05d}"

    @property
    def owner(self) -> str:
        """The user a created object belongs to (anonymous calls borrow tom's)."""
        return self.username or "tom"


# -- path parameters ------------------------------------------------------------------------
def _token_id(call: Call) -> str:
    with call.world.store.transaction(call.owner, interface="system") as tx:
        _, view = create_api_token(tx, f"matrix-{call.unique}")
    return str(view.id)


def _new_session(call: Call) -> int:
    """A fresh session of C-001 (questionnaires allow one per instrument and session)."""
    with call.world.store.transaction("tom", interface="system") as tx:
        return add_session(tx, "C-001", SessionRecord(date=DAY))


def _feedback_token(call: Call) -> str:
    """A live feedback form (PHQ-9) for a fresh session of tom's C-001."""
    from rapport.store.feedback import create_form

    number = _new_session(call)
    with call.world.store.transaction("tom", interface="system") as tx:
        return create_form(tx, "C-001", number, ["phq9"], minutes=60).token


def _job_id(call: Call) -> str:
    """A queued analysis job of tom's, for C-001 (never run here)."""
    from rapport.store.jobs import enqueue

    with call.world.store.transaction("tom", interface="system") as tx:
        return str(enqueue(tx, "analysis", code="C-001", session_number=1,
                           params={"code": "C-001", "session": 1}, payload=b"T: hi\n"))


def _recording_job(call: Call) -> str:
    """A transcription job of tom's for C-001, finished with a two-turn transcript (set
    directly: no runner transcribes here)."""
    import json

    from rapport.store.jobs import enqueue
    from rapport.store.models import Job

    transcript = "\n".join(json.dumps(x) for x in [
        {"rapport_format": "session", "version": 1, "id": "rec",
         "speakers": [{"name": "SPEAKER_1", "role": None}, {"name": "SPEAKER_2", "role": None}]},
        {"speaker": "SPEAKER_1", "text": "How was your week?", "start": 0.5, "end": 1.5},
        {"speaker": "SPEAKER_2", "text": "Quiet, mostly.", "start": 2.0, "end": 3.0}])
    with call.world.store.transaction("tom", interface="system") as tx:
        job_id = enqueue(tx, "transcription", code="C-001", session_number=1,
                         params={"code": "C-001", "session": 1}, payload=None)
        row = tx.db.get(Job, job_id)
        assert row is not None
        row.state, row.progress = "done", 100
        row.outcome_enc = tx.encrypt(json.dumps({"result": {
            "transcript": transcript, "speakers": ["SPEAKER_1", "SPEAKER_2"],
            "suggested_therapist": "SPEAKER_1", "basis": "questions per turn: ...",
            "turns": 2, "who_spoke_when": "channels"}}), "jobs.outcome")
    return str(job_id)


def _recording_id(call: Call) -> str:
    """A recording kept with tom's C-001 session 1 (stored directly: no runner here)."""
    from rapport.store.recordings import keep_recording

    with call.world.store.transaction("tom", interface="system") as tx:
        return str(keep_recording(tx, "C-001", 1, b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(64),
                                  media_type="audio/x-wav", suffix=".wav"))


def _fresh_response(call: Call) -> int:
    """A GAD-7 with no risk item in a fresh session of C-001 (sets {number} to it)."""
    from rapport.caseload import record_response
    from rapport.measures.scoring import score

    gad7 = get_instrument("gad7")
    number = _new_session(call)
    call.overrides["number"] = str(number)
    with call.world.store.transaction("tom", interface="system") as tx:
        return record_response(tx, "C-001", gad7, score(gad7, dict.fromkeys(gad7.item_ids,
                                                                            0.0)),
                               session=number)


def _response_id(call: Call) -> str:
    call.overrides["response_id"] = str(_fresh_response(call))
    return call.overrides["response_id"]


def _entered_in_error(call: Call) -> dict[str, Any]:
    _response_id(call)  # sets {number} and {response_id} before the path is filled
    return {"reason": f"matrix {call.unique}"}


def _throwaway_user(call: Call) -> str:
    with call.world.store.transaction("ada", interface="system") as tx:
        add_user(tx, f"tu{call.unique}", UserRole.THERAPIST)
    return f"tu{call.unique}"


def coding_project(world: World, *, finished_by: str | None = None) -> tuple[int, int]:
    """A coding project of C-001's session 1 made by tom (coders tom and sam): its id and
    its one unit's id; ``finished_by`` finishes that coder's coding of the unit."""
    from rapport.store.coding import finish_unit, show_project
    from rapport.workbench.codebook import relationship_codebook
    from rapport.workbench.projects import ProjectRequest, create_project

    with world.store.transaction("tom", interface="system") as tx:
        project = create_project(tx, ProjectRequest(
            name="matrix", codebook=relationship_codebook(), sessions=[("C-001", 1)],
            coders=["tom", "sam"]))
        unit = show_project(tx, project).units[0].id
    if finished_by:
        with world.store.transaction(finished_by, interface="system") as tx:
            finish_unit(tx, project, unit)
    return project, unit


def _project_id(call: Call) -> str:
    if "project_id" not in call.overrides:
        project, unit = coding_project(call.world)
        call.overrides["unit_id"] = str(unit)
        return str(project)
    return call.overrides["project_id"]


def _unit_id(call: Call) -> str:
    """The unit of the project just made (or, when {project_id} was given something else,
    a unit of a fresh project)."""
    if "unit_id" not in call.overrides:
        call.overrides["unit_id"] = str(coding_project(call.world)[1])
    return call.overrides["unit_id"]


def _adjudicable(call: Call) -> dict[str, Any]:
    """A decision on a project whose maker (tom) finished coding it (else blind)."""
    project, unit = coding_project(call.world, finished_by="tom")
    call.overrides.update(project_id=str(project), unit_id=str(unit))
    return {"data": {"turn_index": "0", "labels": ["affirm"], "reason": "matrix"}}


#: A transcript file as the upload routes take it (roles labelled, so no speaker names).
TRANSCRIPT = (b"Therapist: How has the week been for you, Ada?\n"
              b"Client: Long. I kept thinking about what my sister said.\n"
              b"Therapist: That stayed with you.\n")


def _transcript_upload(call: Call, **fields: str) -> dict[str, Any]:
    return {"data": fields, "files": [("files", (f"t{call.unique}.txt", TRANSCRIPT,
                                                 "text/plain"))]}


def _reopenable(call: Call) -> dict[str, Any]:
    """Reopening sam's finished coding of a fresh project's unit."""
    project, unit = coding_project(call.world, finished_by="sam")
    call.overrides.update(project_id=str(project), unit_id=str(unit))
    return {"data": {"coder": "sam"}}


def _attempt_id(call: Call) -> str:
    """An attempt of tia's (the trainee sam supervises), judged and stored."""
    from rapport.caseload.practice import practise

    with call.world.store.transaction("tia", interface="system") as tx:
        view, _ = practise(tx, "empathy-01", f"It sounds like you feel alone {call.unique}.")
    return str(view.id)


FILLERS: dict[str, Callable[[Call], str]] = {
    "drill_id": lambda call: "empathy-01",
    "attempt_id": _attempt_id,
    "trainee": lambda call: "tia",
    "code": lambda call: "C-001",
    "analysis_id": lambda call: str(call.world.analysis_id),
    "number": lambda call: "1",
    "token_id": _token_id,
    "token": _feedback_token,
    "job_id": _job_id,
    "recording_job": _recording_job,
    "recording_id": _recording_id,
    "username": _throwaway_user,
    "response_id": _response_id,
    "project_id": _project_id,
    "unit_id": _unit_id,
}


def fill_path(path: str, call: Call, overrides: dict[str, str] | None = None) -> str:
    """``path`` with every {param} replaced by its filler (or ``overrides[param]``); fails
    clearly for a parameter nobody has written a filler for."""
    import re

    import pytest

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        chosen = {**call.overrides, **(overrides or {})}
        if name in chosen:
            return chosen[name]
        if name not in FILLERS:
            pytest.fail(f"route {path}: no filler for path parameter {{{name}}}; add one to "
                        "FILLERS in tests/web/route_requests.py (a value tom may use)")
        return FILLERS[name](call)

    return re.sub(r"\{([a-zA-Z_]+)(?::[a-z]+)?\}", one, path)


# -- request bodies ---------------------------------------------------------------------------
def _login(call: Call) -> dict[str, Any]:
    # Double-submit: the login form's token must equal the login CSRF cookie.
    token = f"login-csrf-{call.unique}"
    call.client.cookies.set("rapport_login_csrf", token)
    return {"data": {"username": call.owner, "password": PASSWORD, "csrf_token": token}}


def _password(call: Call) -> dict[str, Any]:
    # "Changed" to the same password, so later sign-ins keep working.
    return {"data": {"current": PASSWORD, "new": PASSWORD, "repeat": PASSWORD}}


def _consent(call: Call) -> dict[str, Any]:
    with call.world.store.transaction("tom", interface="system") as tx:
        from rapport.store.consents import list_consents

        if any(c.kind == "sharing" and c.current for c in list_consents(tx, "C-001")):
            withdraw_consent(tx, "C-001", ConsentKind.SHARING, on=DAY)
    return {"json": {"kind": "sharing", "given_on": DAY.isoformat()}}


def _response(call: Call) -> dict[str, Any]:
    with call.world.store.transaction("tom", interface="system") as tx:
        number = add_session(tx, "C-001", SessionRecord(date=DAY))
    phq9 = get_instrument("phq9")
    return {"json": {"instrument": "phq9", "session": number,
                     "answers": dict.fromkeys(phq9.item_ids, 1.0)}}


def _supervision(call: Call) -> dict[str, Any]:
    with call.world.store.transaction("ada", interface="system") as tx:
        add_user(tx, f"sv{call.unique}", UserRole.SUPERVISOR)
        add_user(tx, f"th{call.unique}", UserRole.THERAPIST)
    return {"json": {"supervisor": f"sv{call.unique}", "supervisee": f"th{call.unique}"}}


def _questionnaire(call: Call) -> dict[str, Any]:
    # One administration per instrument and session: pick one session 1 does not have yet.
    from rapport.measures.catalog import list_instruments
    from rapport.store.responses import list_responses

    with call.world.store.transaction("tom", interface="system") as tx:
        done = {r.instrument_id for r in list_responses(tx, "C-001") if r.session_number == 1}
    instrument = next(i for i in list_instruments() if i.id not in done)
    low = instrument.value_range[0]
    return {"data": {"instrument": instrument.id,
                     **{f"item_{item}": f"{low:g}" for item in instrument.item_ids}}}


def _fresh_session_for(call: Call) -> None:
    call.overrides["number"] = str(_new_session(call))


def _feedback_form(call: Call) -> dict[str, Any]:
    _fresh_session_for(call)
    return {"data": {"instruments": ["phq9"], "delivery": "link"}}


def _feedback_answers(call: Call) -> dict[str, Any]:
    call.overrides["token"] = _feedback_token(call)
    phq9 = get_instrument("phq9")
    return {"data": {f"phq9.{i}": "1" for i in phq9.item_ids}}


def c001_flag(world: World) -> str:
    """The safety flag of C-001's session-1 PHQ-9 (item 9 answered 1 in the world)."""
    from rapport.store.responses import list_responses

    with world.store.transaction("tom", interface="system") as tx:
        first = next(r for r in list_responses(tx, "C-001", instrument_id="phq9")
                     if r.session_number == 1)
    return f"questionnaire:{first.id}:phq9_9"


def _acknowledgement(call: Call) -> dict[str, Any]:
    return {"action": "discussed", "flag": c001_flag(call.world),
            "note": f"matrix acknowledgement {call.unique}"}


def _admin_link(call: Call) -> dict[str, Any]:
    return {"data": _supervision(call)["json"]}


def _linked(call: Call) -> dict[str, str]:
    """A fresh supervisor and supervisee, linked (for the routes that end a link)."""
    from rapport.store.users import link_supervision

    pair = _supervision(call)["json"]
    with call.world.store.transaction("ada", interface="system") as tx:
        link_supervision(tx, pair["supervisor"], pair["supervisee"])
    return dict(pair)


def _end_link_path(call: Call) -> dict[str, Any]:
    call.overrides.update(_linked(call))
    return {}


BODIES: dict[tuple[str, str], Callable[[Call], dict[str, Any]]] = {
    ("POST", "/login"): _login,
    ("POST", "/logout"): lambda call: {},
    ("POST", "/account/password"): _password,
    ("POST", "/api/v1/tokens"): lambda call: {"json": {"name": f"t-{call.unique}"}},
    ("DELETE", "/api/v1/tokens/{token_id}"): lambda call: {},
    ("POST", "/api/v1/clients"): lambda call: {
        "json": {"code": f"M-{call.unique}", "name": "Matrix Person"}},
    ("POST", "/api/v1/clients/{code}/sessions"): lambda call: {
        "json": {"date": (DAY + dt.timedelta(days=7)).isoformat()}},
    ("POST", "/api/v1/clients/{code}/consents"): _consent,
    ("POST", "/api/v1/clients/{code}/responses"): _response,
    ("POST", "/api/v1/clients/{code}/sessions/{number}/analyses"): lambda call: {
        # the session has an analysis already: the matrix asks for a second version
        "data": {"keep_both": "true"},
        "files": {"file": ("session.txt", TRANSCRIPT, "text/plain")}},
    ("POST", "/api/v1/analyses/{analysis_id}/corrections"): lambda call: {
        "json": {"turn_index": 0, "code": "miti", "value": "reflection"}},
    ("POST", "/api/v1/analyses/{analysis_id}/comments"): lambda call: {
        "json": {"text": f"comment {call.unique}", "turn_index": 1}},
    ("POST", "/api/v1/users"): lambda call: {
        "json": {"username": f"u{call.unique}", "role": "therapist",
                 "password": "a long enough password"}},
    ("POST", "/api/v1/supervision"): _supervision,
    ("DELETE", "/api/v1/supervision/{supervisor}/{supervisee}"): _end_link_path,
    # session, upload and questionnaire pages
    ("POST", "/clients/{code}/sessions/{number}/corrections"): lambda call: {
        "data": {"analysis_id": str(call.world.analysis_id), "turn_index": "0",
                 "correction": "therapist_behaviour=question"}},
    ("POST", "/clients/{code}/sessions/{number}/comments"): lambda call: {
        "data": {"analysis_id": str(call.world.analysis_id), "turn_index": "1",
                 "text": f"comment {call.unique}"}},
    ("POST", "/upload"): lambda call: {
        "data": {"new_client": f"U-{call.unique}", "consent": "yes", "session": "1"},
        "files": {"file": ("session.txt", TRANSCRIPT, "text/plain")}},
    ("POST", "/upload/recording"): lambda call: {
        "data": {"new_client": f"R-{call.unique}", "consent": "yes",
                 "consent_recording": "yes", "session": "1"},
        "files": {"file": ("session.wav", b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(64),
                           "audio/wav")}},
    ("POST", "/recordings/{recording_job}"): lambda call: {
        "data": {"role_SPEAKER_1": "therapist", "role_SPEAKER_2": "client"}},
    ("POST", "/clients/{code}/sessions/{number}/recordings/{recording_id}/delete"):
        lambda call: {"data": {}},
    ("POST", "/clients/{code}/sessions/{number}/questionnaire"): _questionnaire,
    ("POST", "/clients/{code}/sessions/{number}/responses/{response_id}/entered-in-error"):
        lambda call: {"data": _entered_in_error(call)},
    ("POST", "/api/v1/clients/{code}/responses/{response_id}/entered-in-error"):
        lambda call: {"json": _entered_in_error(call)},
    ("POST", "/api/v1/clients/{code}/safety-flags/acknowledgements"): lambda call: {
        "json": _acknowledgement(call)},
    ("POST", "/clients/{code}/safety-flags/acknowledge"): lambda call: {
        "data": _acknowledgement(call)},
    # admin and feedback pages, user activation
    ("PUT", "/api/v1/users/{username}/active"): lambda call: {"json": {"active": True}},
    ("POST", "/admin/users"): lambda call: {"data": {
        "username": f"pu{call.unique}", "role": "therapist", "display_name": "Page User",
        "password": "a long enough password", "repeat": "a long enough password"}},
    ("POST", "/admin/supervision"): _admin_link,
    ("POST", "/admin/retention"): lambda call: {"data": {"days": "3650"}},
    ("POST", "/admin/users/{username}/active"): lambda call: {"data": {"active": "yes"}},
    ("POST", "/admin/supervision/end"): lambda call: {"data": _linked(call)},
    ("POST", "/admin/password"): lambda call: {"data": {
        "username": _throwaway_user(call), "password": "a long enough password",
        "repeat": "a long enough password"}},
    ("POST", "/clients/{code}/sessions/{number}/feedback"): _feedback_form,
    ("POST", "/f/{token}"): _feedback_answers,
    ("POST", "/kiosk"): lambda call: {"data": {}},  # no armed kiosk: locks again (303)
    # coding workbench
    ("POST", "/coding"): lambda call: {"data": {
        "name": f"matrix {call.unique}", "sessions": "C-001:1", "coders": "tom, sam"}},
    ("POST", "/api/v1/coding/projects"): lambda call: {"json": {
        "name": f"matrix {call.unique}", "sessions": [["C-001", 1]], "coders": ["tom", "sam"]}},
    ("POST", "/coding/{project_id}/units/{unit_id}/finish"): lambda call: {"data": {}},
    ("POST", "/api/v1/coding/projects/uploads"): lambda call: _transcript_upload(
        call, name=f"matrix {call.unique}", coders="tom, sam"),
    ("POST", "/api/v1/coding/projects/{project_id}/members"): lambda call: {
        "json": {"adjudicators": ["sam"]}},
    ("POST", "/coding/{project_id}/members"): lambda call: {
        "data": {"adjudicators": "sam"}},
    ("POST", "/api/v1/coding/projects/{project_id}/sessions"): _transcript_upload,
    ("POST", "/coding/{project_id}/sessions"): lambda call: {
        "files": [("transcripts", (f"t{call.unique}.txt", TRANSCRIPT, "text/plain"))]},
    ("POST", "/api/v1/coding/projects/{project_id}/units/{unit_id}/reopen"): lambda call: {
        "json": _reopenable(call)["data"]},
    ("POST", "/coding/{project_id}/units/{unit_id}/reopen"): _reopenable,
    ("DELETE", "/api/v1/coding/projects/{project_id}"): lambda call: {},
    ("POST", "/coding/{project_id}/delete"): lambda call: {"data": {"confirm": "yes"}},
    ("POST", "/coding/{project_id}/units/{unit_id}/decisions"): _adjudicable,
    ("POST", "/api/v1/coding/projects/{project_id}/units/{unit_id}/codes"): lambda call: {
        "json": {"turn_index": 0, "labels": [], "note": f"matrix {call.unique}"}},
    # practice room
    ("POST", "/practice/drills/{drill_id}"): lambda call: {
        "data": {"reply": f"It sounds like you feel let down {call.unique}."}},
    ("POST", "/api/v1/practice/attempts"): lambda call: {
        "json": {"drill_id": "empathy-01", "reply": f"That sounds lonely {call.unique}."}},
}

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def request_kwargs(method: str, path: str, call: Call) -> dict[str, Any]:
    """The body for one call (empty for reads); fails clearly for a write without one."""
    import pytest

    if method not in UNSAFE:
        return {}
    if (method, path) not in BODIES:
        pytest.fail(f"{method} {path}: no request body known; add a function giving a valid "
                    "body to BODIES in tests/web/route_requests.py")
    return BODIES[method, path](call)


# -- did a refused call change anything? ------------------------------------------------------
#: Tables a refused call may still touch: the audit log records reads and refusals, and
#: sign-ins and throttling are bookkeeping of the request itself.
BOOKKEEPING = frozenset({"audit_log", "web_sessions", "login_throttle"})
#: Audit actions that mean something was written.
WRITE_ACTIONS = frozenset({"create", "update", "delete", "revoke", "erase", "import",
                           "withdraw", "end", "purge", "rotate", "reopen"})


@dataclass(frozen=True)
class Snapshot:
    counts: dict[str, int]
    last_audit_id: int


def snapshot(world: World) -> Snapshot:
    """Row counts of every record table, and the newest audit row."""
    import sqlalchemy as sa

    from rapport.store.models import AuditEntry, Base

    with world.store.transaction(None, interface="system") as tx:
        counts = {t.name: int(tx.db.scalar(sa.select(sa.func.count()).select_from(t)) or 0)
                  for t in Base.metadata.sorted_tables if t.name not in BOOKKEEPING}
        last = tx.db.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    return Snapshot(counts, int(last))


def writes_since(world: World, before: Snapshot) -> list[tuple[str, str, str]]:
    """(actor, action, entity) of every write audited after ``before``."""
    import sqlalchemy as sa

    from rapport.store.models import AuditEntry

    with world.store.transaction(None, interface="system") as tx:
        rows = tx.db.execute(sa.select(AuditEntry.actor, AuditEntry.action, AuditEntry.entity)
                             .where(AuditEntry.id > before.last_audit_id,
                                    AuditEntry.action.in_(WRITE_ACTIONS))).all()
    return [(r.actor, r.action, r.entity) for r in rows]
