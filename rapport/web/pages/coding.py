"""The coding workbench pages: projects, the keyboard coding screen, agreement,
adjudication and exports. Rights are the store's (``store/coding.py``): a project is seen
by its members only, anything else answers 404; the screen saves through the JSON API
(``web/api/coding.py``), so a code is stored without reloading the page."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.store.coding import (
    ADJUDICATOR,
    CODER,
    finish_unit,
    list_projects,
    my_codes,
    unit_turns,
)
from rapport.store.coding import show_project as store_show_project
from rapport.store.coding_changes import project_history
from rapport.store.tx import Tx
from rapport.web.api.coding_changes import speaker_names, transcript_files
from rapport.web.errors import WebError
from rapport.web.identity import CurrentIdentity, RecordTx, get_store
from rapport.web.templating import render
from rapport.web.uploads import roles_in_fields
from rapport.workbench.agreement import summary_rows
from rapport.workbench.codebook import BUILTINS, Codebook, load_codebook
from rapport.workbench.exports import export_file
from rapport.workbench.projects import (
    ProjectRequest,
    create_project,
    decide_turn,
    parse_session_refs,
)
from rapport.workbench.state import project_state

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200_000)]


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("\n", ",").split(",") if n.strip()]


def _list_page(request: Request, identity: CurrentIdentity, *, error: str | None = None,
               values: dict[str, str] | None = None) -> Response:
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface) as tx:
        projects = list_projects(tx)
    return render(request, "coding_list.html", {
        "projects": projects, "error": error, "values": values or {}, "builtins": BUILTINS,
        "may_create": identity.actor.role.value in ("therapist", "supervisor", "researcher",
                                                    "admin"),
        "researcher": identity.actor.role.value == "researcher",
        "admin": identity.actor.role.value == "admin"},
        status=400 if error else 200)


#: The form's speaker fields, as an unclear-roles error names them.
ROLE_LABELS = {Role.THERAPIST: "Therapist speaker labels", Role.CLIENT: "Client speaker labels"}
OTHER_LABEL = "Other speaker labels"

@router.get("/coding")
def projects(request: Request, identity: CurrentIdentity) -> Response:
    return _list_page(request, identity)


@router.post("/coding")
def new_project(request: Request, identity: CurrentIdentity, *, name: Text = "",
                sessions: Text = "", coders: Text = "", adjudicators: Text = "",
                mode: Text = "blind", codebook: Text = "", codebook_yaml: Text = "",
                transcripts: Annotated[list[UploadFile] | None, File()] = None,
                therapist: Text = "", client_speakers: Text = "",
                other_speakers: Text = "") -> Response:
    values = {"name": name, "sessions": sessions, "coders": coders,
              "adjudicators": adjudicators, "mode": mode, "codebook": codebook,
              "codebook_yaml": codebook_yaml, "therapist": therapist,
              "client_speakers": client_speakers, "other_speakers": other_speakers}
    try:
        files = transcript_files(transcripts or [])
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx, \
                roles_in_fields(ROLE_LABELS, OTHER_LABEL):
            project_id = create_project(tx, ProjectRequest(
                name=name, codebook=load_codebook(codebook, codebook_yaml),
                sessions=parse_session_refs(sessions, required=not files),
                coders=_names(coders), adjudicators=_names(adjudicators), mode=mode,
                transcripts=files,
                speakers=speaker_names(therapist, client_speakers, other_speakers)))
    except RapportInputError as exc:
        if exc.code in ("not_found", "forbidden", "unknown_user"):
            raise  # answered 404 like anything one may not see
        message = f"{exc.where}: {exc.what}. {exc.fix}" if exc.fix else exc.what
        return _list_page(request, identity, error=message, values=values)
    return RedirectResponse(f"/coding/{project_id}", status_code=303)


def project_page(request: Request, tx: Tx, project_id: int, *, error: str | None = None,
                 values: dict[str, str] | None = None) -> Response:
    """The project page; its maker and admins also get the forms that change it."""
    view = store_show_project(tx, project_id)
    book = Codebook.model_validate(view.codebook)
    me = tx.me()
    return render(request, "coding_project.html", {
        "p": view, "book": book, "codings": [*view.coders, "gold", "model"],
        "may_manage": view.maker == me.username or me.role.value == "admin",
        "history": project_history(tx, project_id), "error": error,
        "values": values or {}}, status=400 if error else 200)


@router.get("/coding/{project_id}")
def project(request: Request, project_id: int, tx: RecordTx) -> Response:
    return project_page(request, tx, project_id)


@router.get("/coding/{project_id}/units/{unit_id}")
def screen(request: Request, project_id: int, unit_id: int, tx: RecordTx) -> Response:
    view = store_show_project(tx, project_id)
    if CODER not in view.my_roles:
        raise WebError(404, "not_found", "not found")
    book = Codebook.model_validate(view.codebook)
    turns = unit_turns(tx, project_id, unit_id)
    mine, finished = my_codes(tx, project_id, unit_id)
    unit = next((u for u in view.units if u.id == unit_id), None)
    if unit is None:
        raise WebError(404, "not_found", "not found")
    assisted = view.mode == "assisted"
    data = {
        "saveUrl": f"/api/v1/coding/projects/{project_id}/units/{unit_id}/codes",
        "single": book.labels == "single", "finished": finished, "assisted": assisted,
        "codes": [c.model_dump(mode="json") for c in book.codes],
        "turns": [{"index": t["index"], "role": t["role"],
                   "model": t.get("model", []) if assisted else []} for t in turns],
        "mine": {str(i): {"labels": list(c.labels), "note": c.note} for i, c in mine.items()},
    }
    return render(request, "coding_screen.html", {
        "p": view, "unit": unit, "turns": turns, "book": book, "finished": finished,
        "assisted": assisted, "data_json": json.dumps(data).replace("<", "\\u003c")})


@router.post("/coding/{project_id}/units/{unit_id}/finish")
def finish(project_id: int, unit_id: int, tx: RecordTx) -> Response:
    finish_unit(tx, project_id, unit_id)
    return RedirectResponse(f"/coding/{project_id}", status_code=303)


def _adjudicator(tx: Tx, project_id: int) -> None:
    if ADJUDICATOR not in store_show_project(tx, project_id).my_roles:
        raise WebError(404, "not_found", "not found")


@router.get("/coding/{project_id}/agreement")
def agreement(request: Request, project_id: int, tx: RecordTx) -> Response:
    _adjudicator(tx, project_id)
    state = project_state(tx, project_id)
    pairs = [(p, summary_rows(p)) for p in state.pairs()] if state.units else []
    return render(request, "coding_agreement.html", {"p": state.project, "state": state,
                                                     "pairs": pairs})


@router.get("/coding/{project_id}/units/{unit_id}/adjudicate")
def adjudicate(request: Request, project_id: int, unit_id: int, tx: RecordTx) -> Response:
    _adjudicator(tx, project_id)
    state = project_state(tx, project_id)
    unit = next((u for u in state.units if u.id == unit_id), None)
    return render(request, "coding_adjudicate.html", {
        "p": state.project, "unit": unit, "unit_id": unit_id, "book": state.codebook})


@router.post("/coding/{project_id}/units/{unit_id}/decisions")
def decide(request: Request, project_id: int, unit_id: int, identity: CurrentIdentity,
           turn_index: Annotated[int, Form(ge=0, lt=1_000_000)],
           labels: Annotated[list[str] | None, Form(max_length=64)] = None,
           reason: Text = "") -> Response:
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface) as tx:
        view = store_show_project(tx, project_id)
        if ADJUDICATOR not in view.my_roles:
            raise WebError(404, "not_found", "not found")
        decide_turn(tx, project_id, unit_id, turn_index, labels or [], reason)
    return RedirectResponse(f"/coding/{project_id}/units/{unit_id}/adjudicate#turn-"
                            f"{turn_index}", status_code=303)


@router.get("/coding/{project_id}/export")
def export(project_id: int, tx: RecordTx, format: str = "gold",  # noqa: A002
           coding: str = "gold", unit: int | None = None) -> Response:
    _adjudicator(tx, project_id)
    out = export_file(project_state(tx, project_id), format, coding=coding, unit=unit)
    tx.audit("export", "coding_project", detail=f"project={project_id} format={format}")
    return Response(out.body, media_type=out.media_type, headers={
        "Content-Disposition": f'attachment; filename="{out.filename}"'})
