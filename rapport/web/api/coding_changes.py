"""Coding projects from uploaded transcripts, and changes to a project after it was made:
coders, adjudicators and sessions added, a finished session reopened, the project deleted,
its history read. Uploads are multipart, like ``POST .../analyses``; the rights are the
store's (``store/coding_changes.py``: the maker or an admin changes a project; anyone else
404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, UploadFile
from pydantic import BaseModel, Field

from rapport.domain import Role
from rapport.store.coding_changes import (
    Event,
    add_members,
    delete_project,
    project_history,
    reopen_unit,
)
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx
from rapport.web.uploads import roles_in_fields
from rapport.workbench.codebook import load_codebook
from rapport.workbench.projects import (
    ProjectRequest,
    add_sessions,
    create_project,
    parse_session_refs,
)
from rapport.workbench.transcripts import SpeakerNames, TranscriptFile

router = api_router("coding")

#: Largest upload read into memory (the receiving middleware has refused larger ones).
_READ_LIMIT = 200_000_000

Files = Annotated[list[UploadFile], File(description="Transcript files (any format "
                                         "Rapport reads; repeat the field for several).")]
Names = Annotated[str, Form(max_length=2000, description="Usernames, comma-separated.")]
Speakers = Annotated[str, Form(max_length=500, description="Speaker labels, "
                               "comma-separated (where the files' labels do not say).")]
Sessions = Annotated[str, Form(max_length=20_000, description="Stored sessions as "
                               "CODE:NUMBER, comma-separated (optional).")]


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.replace("\n", ",").split(",") if n.strip()]


def transcript_files(files: list[UploadFile]) -> list[TranscriptFile]:
    """The uploaded files (a browser sends an empty part when none was chosen)."""
    return [TranscriptFile(name=f.filename or "upload", data=f.file.read(_READ_LIMIT))
            for f in files if f.filename]


def speaker_names(therapist: str, client: str, other: str = "") -> SpeakerNames:
    return SpeakerNames(therapist=tuple(_names(therapist)), client=tuple(_names(client)),
                        other=tuple(_names(other)))


#: The upload fields that name speakers, as an unclear-roles error should say them.
ROLE_FIELDS = {Role.THERAPIST: "therapist", Role.CLIENT: "client"}


class Added(BaseModel):
    units: list[int] = Field(description="The new sessions' unit ids.")


class NewMembers(BaseModel):
    coders: list[str] = Field(default_factory=list, max_length=50)
    adjudicators: list[str] = Field(default_factory=list, max_length=50)


class Reopen(BaseModel):
    coder: str = Field(min_length=1, max_length=64)


@router.post("/coding/projects/uploads", status_code=201)
def new_project_from_uploads(
        tx: RecordTx, *, name: Annotated[str, Form(min_length=1, max_length=120)],
        coders: Names, files: Files, adjudicators: Names = "", sessions: Sessions = "",
        mode: Annotated[str, Form(max_length=16)] = "blind",
        codebook: Annotated[str, Form(max_length=40)] = "rapport-relationship",
        codebook_yaml: Annotated[str, Form(max_length=200_000)] = "",
        therapist: Speakers = "", client: Speakers = "", other: Speakers = "") -> Ok[int]:
    """Make a project from uploaded transcripts (researchers, supervisors, therapists and
    admins), optionally with stored sessions; answers its id. The files are read before
    anything is stored: a bad one is one 400 naming it, and no project is made. Their
    turns are stored encrypted and de-identified, and belong to the project. ``other``:
    speaker labels that are neither therapist nor client (an interpreter): shown, not
    coded."""
    with roles_in_fields(ROLE_FIELDS, "other"):
        return Ok(data=create_project(tx, ProjectRequest(
            name=name, codebook=load_codebook(codebook, codebook_yaml),
            sessions=parse_session_refs(sessions, required=False), coders=_names(coders),
            adjudicators=_names(adjudicators), mode=mode,
            transcripts=transcript_files(files),
            speakers=speaker_names(therapist, client, other))))


@router.post("/coding/projects/{project_id}/members")
def new_members(project_id: int, body: NewMembers, tx: RecordTx) -> Ok[None]:
    """Add coders and adjudicators (the project's maker or an admin)."""
    add_members(tx, project_id, body.coders, body.adjudicators)
    return Ok(data=None)


@router.post("/coding/projects/{project_id}/sessions", status_code=201)
def new_sessions(project_id: int, tx: RecordTx, *, sessions: Sessions = "",
                 files: Annotated[list[UploadFile] | None, File(
                     description="Transcript files to add.")] = None,
                 therapist: Speakers = "", client: Speakers = "",
                 other: Speakers = "") -> Ok[Added]:
    """Add stored sessions and/or uploaded transcripts (the maker or an admin); all or
    nothing."""
    with roles_in_fields(ROLE_FIELDS, "other"):
        return Ok(data=Added(units=add_sessions(
            tx, project_id, parse_session_refs(sessions, required=False),
            transcript_files(files or []), speaker_names(therapist, client, other))))


@router.post("/coding/projects/{project_id}/units/{unit_id}/reopen")
def reopen(project_id: int, unit_id: int, body: Reopen, tx: RecordTx) -> Ok[None]:
    """Reopen a session a coder finished (the maker or an admin); agreement counts the
    coder's codes as they change them."""
    reopen_unit(tx, project_id, unit_id, body.coder)
    return Ok(data=None)


@router.get("/coding/projects/{project_id}/history")
def history(project_id: int, tx: RecordTx) -> Ok[list[Event]]:
    """Changes after the project was made (members only)."""
    return Ok(data=project_history(tx, project_id))


@router.delete("/coding/projects/{project_id}")
def delete(project_id: int, tx: RecordTx) -> Ok[None]:
    """Delete the project and everything in it (the maker or an admin)."""
    delete_project(tx, project_id)
    return Ok(data=None)
