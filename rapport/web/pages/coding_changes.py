"""The project page's forms that change a project (its maker or an admin): add coders,
adjudicators or sessions (stored, or transcript files), reopen a coder's finished session,
delete the project. A refused change shows the project page with one error; anything one
may not see is 404 (``store/coding_changes.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rapport.errors import RapportInputError
from rapport.store.coding_changes import add_members, delete_project, reopen_unit
from rapport.web.api.coding_changes import speaker_names, transcript_files
from rapport.web.identity import CurrentIdentity, get_store
from rapport.web.pages.coding import OTHER_LABEL, ROLE_LABELS, project_page
from rapport.web.uploads import roles_in_fields
from rapport.workbench.projects import add_sessions, parse_session_refs

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=20_000)]
#: Refusals answered 404: the project (or unit) is not one the actor may change.
_HIDDEN = ("coding project", "coding unit", "permissions")


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("\n", ",").split(",") if n.strip()]


def _refused(request: Request, identity: CurrentIdentity, project_id: int,
             exc: RapportInputError, values: dict[str, str]) -> Response:
    if exc.code in ("not_found", "forbidden") and exc.where in _HIDDEN:
        raise exc  # 404, like anything one may not see
    message = f"{exc.where}: {exc.what}. {exc.fix}" if exc.fix else exc.what
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface) as tx:
        return project_page(request, tx, project_id, error=message, values=values)


def _back(project_id: int) -> Response:
    return RedirectResponse(f"/coding/{project_id}", status_code=303)


@router.post("/coding/{project_id}/members")
def members(request: Request, project_id: int, identity: CurrentIdentity, *,
            coders: Text = "", adjudicators: Text = "") -> Response:
    try:
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx:
            add_members(tx, project_id, _names(coders), _names(adjudicators))
    except RapportInputError as exc:
        return _refused(request, identity, project_id, exc,
                        {"coders": coders, "adjudicators": adjudicators})
    return _back(project_id)


@router.post("/coding/{project_id}/sessions")
def sessions(request: Request, project_id: int, identity: CurrentIdentity, *,
             sessions: Text = "",
             transcripts: Annotated[list[UploadFile] | None, File()] = None,
             therapist: Text = "", client_speakers: Text = "",
             other_speakers: Text = "") -> Response:
    values = {"sessions": sessions, "therapist": therapist,
              "client_speakers": client_speakers, "other_speakers": other_speakers}
    try:
        files = transcript_files(transcripts or [])
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx, \
                roles_in_fields(ROLE_LABELS, OTHER_LABEL):
            add_sessions(tx, project_id, parse_session_refs(sessions, required=False),
                         files, speaker_names(therapist, client_speakers, other_speakers))
    except RapportInputError as exc:
        return _refused(request, identity, project_id, exc, values)
    return _back(project_id)


@router.post("/coding/{project_id}/units/{unit_id}/reopen")
def reopen(request: Request, project_id: int, unit_id: int, identity: CurrentIdentity, *,
           coder: Annotated[str, Form(max_length=64)]) -> Response:
    try:
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx:
            reopen_unit(tx, project_id, unit_id, coder)
    except RapportInputError as exc:
        return _refused(request, identity, project_id, exc, {})
    return _back(project_id)


@router.post("/coding/{project_id}/delete")
def delete(request: Request, project_id: int, identity: CurrentIdentity, *,
           confirm: Annotated[str, Form(max_length=8)] = "") -> Response:
    try:
        if confirm != "yes":
            raise RapportInputError("deleting a project cannot be undone", where="delete",
                                    fix="tick the box to confirm", code="confirm")
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx:
            delete_project(tx, project_id)
    except RapportInputError as exc:
        return _refused(request, identity, project_id, exc, {})
    return RedirectResponse("/coding", status_code=303)
