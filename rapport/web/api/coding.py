"""Coding projects for scripts, and the coding screen's autosave: list and make projects,
read a unit's turns with your codes, save a turn's codes, read agreement. Rights are the
store's: members only, everything else 404 (``store/coding.py``)."""

from __future__ import annotations

import base64
from typing import Any, Literal

from pydantic import BaseModel, Field

from rapport.store.coding import ProjectView, list_projects, my_codes, show_project, unit_turns
from rapport.web.api.common import Ok, api_router
from rapport.web.errors import WebError
from rapport.web.identity import RecordTx
from rapport.workbench.agreement import summary_rows
from rapport.workbench.codebook import load_codebook
from rapport.workbench.exports import export_file
from rapport.workbench.projects import ProjectRequest, code_turn, create_project
from rapport.workbench.state import project_state

router = api_router("coding")


class NewProject(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    sessions: list[tuple[str, int]] = Field(min_length=1, max_length=500,
                                            description="(client code, session number)")
    coders: list[str] = Field(min_length=1, max_length=50)
    adjudicators: list[str] = Field(default_factory=list, max_length=50)
    mode: Literal["blind", "assisted"] = "blind"
    codebook: Literal["rapport-relationship", "rapport-utterance"] = Field(
        default="rapport-relationship", description="A built-in codebook (used when "
        "codebook_yaml is empty); rapport-utterance's gold trains `rapport train utterance "
        "--gold`.")
    codebook_yaml: str = Field(default="", max_length=200_000,
                               description="A custom codebook; empty: the built-in one.")


class NewCode(BaseModel):
    turn_index: int = Field(ge=0, lt=1_000_000)
    labels: list[str] = Field(max_length=100)
    note: str | None = Field(default=None, max_length=5000)


class SavedCode(BaseModel):
    turn_index: int
    labels: list[str]


class UnitTurns(BaseModel):
    turns: list[dict[str, Any]]
    mine: dict[int, list[str]]
    finished: bool


@router.get("/coding/projects")
def projects(tx: RecordTx) -> Ok[list[ProjectView]]:
    """The coding projects you are on."""
    return Ok(data=list_projects(tx))


@router.post("/coding/projects", status_code=201)
def new_project(body: NewProject, tx: RecordTx) -> Ok[int]:
    """Make a project from stored sessions you may read; answers its id."""
    return Ok(data=create_project(tx, ProjectRequest(
        name=body.name, codebook=load_codebook(body.codebook, body.codebook_yaml),
        sessions=[(c, int(n)) for c, n in body.sessions], coders=body.coders,
        adjudicators=body.adjudicators, mode=body.mode)))


@router.get("/coding/projects/{project_id}")
def project(project_id: int, tx: RecordTx) -> Ok[ProjectView]:
    """A project: codebook, members, sessions and each coder's progress."""
    return Ok(data=show_project(tx, project_id))


@router.get("/coding/projects/{project_id}/units/{unit_id}")
def unit(project_id: int, unit_id: int, tx: RecordTx) -> Ok[UnitTurns]:
    """A session's turns and your own codes (coders only; model codes only in assisted
    projects)."""
    view = show_project(tx, project_id)
    mine, finished = my_codes(tx, project_id, unit_id)
    turns = unit_turns(tx, project_id, unit_id)
    if view.mode != "assisted":
        turns = [{k: v for k, v in t.items() if k != "model"} for t in turns]
    return Ok(data=UnitTurns(turns=turns, mine={i: list(c.labels) for i, c in mine.items()},
                             finished=finished))


@router.post("/coding/projects/{project_id}/units/{unit_id}/codes")
def save(project_id: int, unit_id: int, body: NewCode, tx: RecordTx) -> Ok[SavedCode]:
    """Set your codes (and note) of one turn; what the coding screen calls per key."""
    labels = code_turn(tx, project_id, unit_id, body.turn_index, body.labels, body.note)
    return Ok(data=SavedCode(turn_index=body.turn_index, labels=labels))


@router.get("/coding/projects/{project_id}/agreement")
def agreement(project_id: int, tx: RecordTx) -> Ok[list[dict[str, Any]]]:
    """Per pair of codings and code: n, kappa, alpha, accuracy, prevalence, confusion
    (adjudicators only; sessions you code yourself count once you finish them)."""
    if "adjudicator" not in show_project(tx, project_id).my_roles:
        raise WebError(404, "not_found", "not found")
    state = project_state(tx, project_id)
    return Ok(data=[{"a": p.a, "b": p.b, "mixed_modes": p.mixed_modes,
                     "codes": summary_rows(p)} for p in state.pairs()] if state.units else [])


class ExportedFile(BaseModel):
    filename: str
    media_type: str
    encoding: Literal["utf-8", "base64"] = Field(
        description="utf-8: content is the file's text; base64: Parquet's bytes")
    content: str
    left_out: int = Field(description="gold: sessions left out (not every turn has a gold)")


@router.get("/coding/projects/{project_id}/export")
def export(project_id: int, tx: RecordTx,
           format: Literal["gold", "csv", "parquet", "eaf"] = "gold",  # noqa: A002
           coding: str = "gold", unit: int | None = None) -> Ok[ExportedFile]:
    """A project's codes as a file (adjudicators only): gold JSONL (``rapport train ...
    --gold``), a CSV or Parquet code table of one coding (a coder, gold or model;
    ``rapport reliability``) or ELAN .eaf of one timed session (``unit``)."""
    if "adjudicator" not in show_project(tx, project_id).my_roles:
        raise WebError(404, "not_found", "not found")
    out = export_file(project_state(tx, project_id), format, coding=coding, unit=unit)
    tx.audit("export", "coding_project", detail=f"project={project_id} format={format}")
    binary = isinstance(out.body, bytes)
    content = (base64.b64encode(out.body).decode() if isinstance(out.body, bytes)
               else out.body)
    return Ok(data=ExportedFile(filename=out.filename, media_type=out.media_type,
                                encoding="base64" if binary else "utf-8", content=content,
                                left_out=out.left_out))
