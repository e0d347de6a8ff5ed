"""Analyses: list, read, analyse an uploaded transcript; code corrections and comments."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from rapport.domain import Role
from rapport.store.analyses import AnalysisView, list_analyses, read_analysis
from rapport.store.annotations import (
    Comment,
    Correction,
    add_comment,
    add_correction,
    list_comments,
    list_corrections,
)
from rapport.store.jobs import JobView, job_view
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import CurrentIdentity, RecordTx, get_store
from rapport.web.uploads import parse_session_date, queue_upload

router = api_router("analyses")

#: Largest upload read into memory (the receiving middleware has refused larger ones).
_READ_LIMIT = 200_000_000


class NewCorrection(BaseModel):
    turn_index: int = Field(ge=0, lt=1_000_000)
    code: str = Field(min_length=1, max_length=64)
    value: str = Field(min_length=1, max_length=64)


class NewComment(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    turn_index: int | None = Field(default=None, ge=0, lt=1_000_000)


#: This route's form fields for the speakers' roles, as a roles error names them.
ROLE_FIELDS = {Role.THERAPIST: "the `therapist` field", Role.CLIENT: "the `client` field"}


@router.get("/clients/{code}/analyses")
def analyses(code: str, tx: RecordTx) -> Ok[list[AnalysisView]]:
    """Stored analyses of a client's sessions, with their headline metrics."""
    return Ok(data=list_analyses(tx, code))


@router.post("/clients/{code}/sessions/{number}/analyses", status_code=202)
def analyse(request: Request, code: str, number: int, identity: CurrentIdentity, *,
            file: Annotated[UploadFile, File(description="The session transcript.")],
            format: Annotated[str, Form(max_length=20)] = "",  # noqa: A002
            therapist: Annotated[str, Form(max_length=200)] = "",
            client: Annotated[str, Form(max_length=200)] = "",
            session_date: Annotated[str, Form(
                max_length=40, description="The day of the session (YYYY-MM-DD, not in the "
                "future): dates a new or undated session.")] = "",
            keep_both: Annotated[bool, Form(
                description="Add a second analysis to a session that already has one "
                "(else 409 analysis_exists).")] = False) -> Ok[JobView]:
    """Import a transcript (any format Rapport reads) and queue its analysis: the file is
    checked and read at once (a bad file is a 4xx, nothing stored); the answer is the job
    (202), and ``GET /api/v1/jobs/{id}`` follows it to the stored analysis. A session that
    already has an analysis (stored or queued) answers 409 ``analysis_exists`` unless
    ``keep_both`` is true; a date that differs from the session's answers 409
    ``date_mismatch``."""
    day = parse_session_date(session_date)
    data = file.file.read(_READ_LIMIT)
    job_id = queue_upload(request, identity, code, number, data,
                          filename=file.filename or "upload", fmt=format or None,
                          therapist=(therapist,) if therapist else (),
                          client=(client,) if client else (), session_date=day,
                          keep_both=keep_both, role_fields=ROLE_FIELDS)
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface) as tx:
        return Ok(data=job_view(tx, job_id))


@router.get("/jobs/{job_id}")
def job(job_id: int, tx: RecordTx) -> Ok[JobView]:
    """A job you queued: state (queued, running, done, failed), progress in percent, and
    the result (``analysis_id``) or the error. Anyone else's job is 404."""
    return Ok(data=job_view(tx, job_id))


@router.get("/analyses/{analysis_id}")
def analysis(analysis_id: int, tx: RecordTx) -> Ok[dict[str, Any]]:
    """The full analysis document (schema: docs/schema/analysis.schema.json)."""
    return Ok(data=json.loads(read_analysis(tx, analysis_id)))


@router.get("/analyses/{analysis_id}/corrections")
def corrections(analysis_id: int, tx: RecordTx) -> Ok[list[Correction]]:
    return Ok(data=list_corrections(tx, analysis_id))


@router.post("/analyses/{analysis_id}/corrections", status_code=201)
def new_correction(analysis_id: int, body: NewCorrection, tx: RecordTx) -> Ok[None]:
    """A human code beside the model's (the treating therapist only)."""
    add_correction(tx, analysis_id, body.turn_index, body.code, body.value)
    return Ok(data=None)


@router.get("/analyses/{analysis_id}/comments")
def comments(analysis_id: int, tx: RecordTx) -> Ok[list[Comment]]:
    return Ok(data=list_comments(tx, analysis_id))


@router.post("/analyses/{analysis_id}/comments", status_code=201)
def new_comment(analysis_id: int, body: NewComment, tx: RecordTx) -> Ok[None]:
    """A comment on the session or one moment (supervisors and the therapist)."""
    add_comment(tx, analysis_id, body.text, turn_index=body.turn_index)
    return Ok(data=None)
