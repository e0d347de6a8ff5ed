"""Upload a session recording; check the transcript and say who is who; then analyse it.

``POST /upload/recording`` checks the file (a recording, within RAPPORT_MAX_MEDIA_BYTES,
with the client's consent to recording and to analysis) and queues a ``transcription``
job; the job page follows it. When it is done, ``/recordings/{job}`` shows the transcript
with its speaker labels (SPEAKER_1...) and the suggested roles, preselected nowhere: the
therapist picks each speaker's role (and may correct a turn's speaker or text), and only
then is the transcript analysed, as an ``analysis`` job. The transcript is dropped from the
transcription job once the analysis is queued.

The recording is deleted once transcribed unless the therapist ticked "keep the
recording": then it is kept, encrypted, with the session, where the session page lists it
(``/clients/{code}/sessions/{number}/recordings/{id}`` downloads it, audited; ``.../delete``
deletes it). Only the treating therapist sees, downloads or deletes it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rapport.errors import RapportInputError
from rapport.store.clients import add_client, list_clients
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.jobs import JobView, job_view, replace_result
from rapport.store.permissions import UserRole
from rapport.store.recordings import delete_recording, list_recordings, read_recording
from rapport.store.tx import Tx
from rapport.web.errors import STATUS_OF_CODE
from rapport.web.identity import (
    CurrentIdentity,
    RecordTx,
    get_settings_of,
    get_store,
    require_roles,
)
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)
THERAPISTS = require_roles(UserRole.THERAPIST)
ROLES = ("therapist", "client")
_NOT_FOUND = frozenset({"not_found", "forbidden"})


@router.post("/upload/recording", dependencies=[THERAPISTS])
def upload_recording(request: Request, identity: CurrentIdentity, *,
                     file: Annotated[UploadFile, File()],
                     session: Annotated[int, Form(ge=1, le=100_000)],
                     client: Annotated[str, Form(max_length=64)] = "",
                     new_client: Annotated[str, Form(max_length=64)] = "",
                     consent: Annotated[str, Form(max_length=8)] = "",
                     consent_recording: Annotated[str, Form(max_length=8)] = "",
                     speakers: Annotated[int, Form(ge=2, le=6)] = 2,
                     keep: Annotated[str, Form(max_length=8)] = "",
                     session_date: Annotated[str, Form(max_length=32)] = "") -> Response:
    from rapport.web.pages.upload import upload_form_page
    from rapport.web.uploads import parse_session_date, queue_recording

    settings = get_settings_of(request)
    code = new_client.strip() or client.strip()
    data = file.file.read(settings.max_media_bytes + 1)

    def create_client(tx: Tx) -> None:
        today = dt.datetime.now(dt.UTC).date()
        add_client(tx, code)
        add_consent(tx, code, ConsentKind.ANALYSIS, given_on=today)
        add_consent(tx, code, ConsentKind.RECORDING, given_on=today)

    try:
        if not code:
            raise RapportInputError("no client chosen", where="client",
                                    fix="choose a client or type a new client code",
                                    code="no_client")
        if new_client.strip() and (consent != "yes" or consent_recording != "yes"):
            raise RapportInputError(
                "a new client needs their consent to the recording and to analysis",
                where="consent", fix="tick both consent boxes once the client has agreed",
                code="no_consent")
        day = parse_session_date(session_date)
        job_id = queue_recording(request, identity, code, session, data,
                                 filename=file.filename or "recording", speakers=speakers,
                                 new_client=create_client if new_client.strip() else None,
                                 keep=keep == "yes", session_date=day)
    except RapportInputError as exc:
        if exc.code in _NOT_FOUND:
            raise
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx:
            codes = [c.code for c in list_clients(tx)]
        values = {"client": client, "new_client": new_client, "consent": consent,
                  "consent_recording": consent_recording, "session": str(session),
                  "speakers": str(speakers), "keep": keep,
                  "session_date": session_date}
        return upload_form_page(request, codes, values, error=exc, media_error=True,
                                status=STATUS_OF_CODE.get(exc.code or "", 400))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)


def _transcript(job: JobView) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    result = job.result or {}
    if job.kind != "transcription" or job.state != "done" or "transcript" not in result:
        raise RapportInputError("this recording has no transcript waiting to be checked",
                                where=f"job {job.id}", fix="upload the recording again, "
                                "or open the session it was analysed into", code="not_found")
    header, *turns = (json.loads(line) for line in result["transcript"].splitlines())
    return header, turns


def _page(request: Request, job: JobView, *, values: dict[str, str] | None = None,
          error: RapportInputError | None = None, status: int = 200) -> Response:
    header, turns = _transcript(job)
    return render(request, "recording.html", {
        "job": job, "turns": turns, "speakers": [s["name"] for s in header["speakers"]],
        "roles": ROLES, "result": job.result, "values": values or {}, "error": error},
        status=status)


@router.get("/recordings/{recording_job}", dependencies=[THERAPISTS])
def recording_page(request: Request, recording_job: int, identity: CurrentIdentity
                   ) -> Response:
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface) as tx:
        job = job_view(tx, recording_job)
    return _page(request, job)


async def _form_fields(request: Request) -> dict[str, str]:
    """Every field of the form (role_*, speaker_*, text_*: their number depends on the
    transcript), as text."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


@router.post("/recordings/{recording_job}", dependencies=[THERAPISTS])
def confirm_recording(request: Request, recording_job: int, identity: CurrentIdentity,
                      fields: Annotated[dict[str, str], Depends(_form_fields)]) -> Response:
    from rapport.web.uploads import queue_upload

    store = get_store(request)
    with store.transaction(identity.actor.username, interface=identity.interface) as tx:
        job = job_view(tx, recording_job)
    header, turns = _transcript(job)
    names = [s["name"] for s in header["speakers"]]
    try:
        roles = {n: fields.get(f"role_{n}", "") for n in names}
        corrected = _corrected(turns, names, fields)
        used = {t["speaker"] for t in corrected}
        if any(roles[n] not in ROLES for n in used):
            raise RapportInputError("say who is who: every speaker needs a role",
                                    where="roles", fix="choose therapist or client for each "
                                    "speaker (the suggestion is not applied for you)",
                                    code="unknown_speaker")
        header["speakers"] = [{"name": n, "role": roles[n]} for n in names if n in used]
        data = "\n".join(json.dumps(x, ensure_ascii=False) for x in [header, *corrected])
        day = str((job.result or {}).get("session_date") or "")
        analysis_job = queue_upload(
            request, identity, str(job.client), int(job.session or 0), data.encode(),
            filename=f"session-{job.session}.jsonl", fmt="jsonl",
            session_date=dt.date.fromisoformat(day) if day else None)
    except RapportInputError as exc:
        if exc.code in _NOT_FOUND:
            raise
        return _page(request, job, values=fields, error=exc,
                     status=STATUS_OF_CODE.get(exc.code or "", 400))
    with store.transaction(identity.actor.username, interface=identity.interface) as tx:
        replace_result(tx, recording_job, {"analysis_job": analysis_job})
    return RedirectResponse(f"/jobs/{analysis_job}", status_code=303)


def _corrected(turns: list[dict[str, Any]], names: list[str],
               fields: dict[str, str]) -> list[dict[str, Any]]:
    """The turns with the therapist's corrections: another speaker, edited text; a turn
    whose text was emptied is left out."""
    kept = []
    for index, turn in enumerate(turns):
        speaker = fields.get(f"speaker_{index}", turn["speaker"])
        if speaker not in names:
            raise RapportInputError(f"turn {index + 1} has an unknown speaker",
                                    where="speakers", fix="choose one of the speakers",
                                    code="bad_input")
        text = " ".join(fields.get(f"text_{index}", turn["text"]).split())
        if text:
            kept.append({**turn, "speaker": speaker, "text": text})
    if not kept:
        raise RapportInputError("every turn was emptied", where="transcript",
                                fix="keep the turns' text", code="empty")
    return kept


KEPT_PATH = "/clients/{code}/sessions/{number}/recordings/{recording_id}"


@router.get(KEPT_PATH)
def download_recording(code: str, number: int, recording_id: int, tx: RecordTx) -> Response:
    """A kept recording, for the treating therapist (audited); anyone else: not found."""
    view, data = read_recording(tx, code, recording_id)
    if view.session_number != number:
        raise RapportInputError(f"session {number} has no kept recording {recording_id}",
                                where="recording", fix="open the session page again",
                                code="not_found")
    name = f"{code}-session-{number}-recording{view.suffix}"
    return Response(data, media_type=view.media_type, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})


@router.post(KEPT_PATH + "/delete")
def remove_recording(code: str, number: int, recording_id: int, tx: RecordTx) -> Response:
    """Delete a kept recording (the transcript and analysis stay)."""
    if not any(r.id == recording_id for r in list_recordings(tx, code, number)):
        raise RapportInputError(f"session {number} has no kept recording {recording_id}",
                                where="recording", fix="open the session page again",
                                code="not_found")
    delete_recording(tx, code, recording_id)
    return RedirectResponse(f"/clients/{code}/sessions/{number}#recordings",
                            status_code=303)
