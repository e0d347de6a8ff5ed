"""Upload a session transcript (any importable format); it is analysed as a job.

The file is checked and read at once: an import error leaves the record unchanged and is
shown on the form (what, where, how to fix). A new client (with the consent to analysis
the therapist confirms) and the queued job are stored together or not at all; the page
then follows the job's progress (``/jobs/{id}``) to the session. An upload to a session
that already has an analysis comes back with the question (``analysis_exists``): the form
is shown again with a "keep both versions" control, and nothing is stored until it is
used (the file is chosen again: a browser never re-sends a file by itself). A recording
goes to ``POST /upload/recording`` (``rapport/web/pages/recordings.py``): transcribed on
this server, then checked by the therapist. The nonverbal section (prosody, movement) is
made by ``rapport analyze --audio/--video --client`` on the machine holding the files.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.store.clients import add_client, list_clients
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.permissions import UserRole
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
#: The form's fields for the speakers' roles, as a roles error names them.
ROLE_FIELDS = {Role.THERAPIST: "Therapist speaker names", Role.CLIENT: "Client speaker names"}
#: Answers that mean "you may not / it does not exist": the 404 page, not a form error.
_NOT_FOUND = frozenset({"not_found", "forbidden"})


def _names(text: str) -> tuple[str, ...]:
    """Speaker names from a comma-separated field (``SPEAKER_01, SPEAKER_02``)."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def upload_form_page(request: Request, tx_clients: list[str], values: dict[str, Any], *,
                     error: RapportInputError | None = None, media_error: bool = False,
                     status: int = 200) -> Response:
    """The upload page (transcript form and recording form); ``media_error`` says the error
    belongs to the recording form."""
    import importlib.util

    from rapport.ingest.detect import FORMATS

    settings = get_settings_of(request)
    return render(request, "upload.html", {
        "clients": tx_clients, "formats": FORMATS, "values": values, "error": error,
        "media_error": media_error, "max_bytes": settings.max_file_bytes,
        "max_media_bytes": settings.max_media_bytes,
        "can_transcribe": importlib.util.find_spec("faster_whisper") is not None,
        "today": dt.datetime.now(dt.UTC).astimezone().date().isoformat()},
        status=status)



@router.get("/upload", dependencies=[THERAPISTS])
def upload_form(request: Request, tx: RecordTx, client: str = "",
                session: str = "") -> Response:
    codes = [c.code for c in list_clients(tx)]
    values: dict[str, Any] = {"client": client[:64], "session": session[:6]}
    if client in codes and session.isdigit():  # e.g. from a session page's upload link
        from rapport.jobs.analysis import KIND
        from rapport.store.analyses import session_analyses

        found = session_analyses(tx, client, int(session), job_kind=KIND)
        if found.analysed_at or found.pending_since:
            values["analysed"] = (f"{found.analysed_at[-1]:%Y-%m-%d %H:%M} UTC"
                                  if found.analysed_at else "")
    return upload_form_page(request, codes, values)


@router.post("/upload", dependencies=[THERAPISTS])
def upload(request: Request, identity: CurrentIdentity, *,
           file: Annotated[UploadFile, File()],
           session: Annotated[int, Form(ge=1, le=100_000)],
           client: Annotated[str, Form(max_length=64)] = "",
           new_client: Annotated[str, Form(max_length=64)] = "",
           consent: Annotated[str, Form(max_length=8)] = "",
           format: Annotated[str, Form(max_length=20)] = "",  # noqa: A002
           therapist: Annotated[str, Form(max_length=500)] = "",
           client_speakers: Annotated[str, Form(max_length=500)] = "",
           session_date: Annotated[str, Form(max_length=40)] = "",
           keep_both: Annotated[str, Form(max_length=8)] = "") -> Response:
    from rapport.web.uploads import parse_session_date, queue_upload

    settings = get_settings_of(request)
    values = {"client": client, "new_client": new_client, "consent": consent,
              "session": str(session), "format": format, "therapist": therapist,
              "client_speakers": client_speakers, "session_date": session_date}
    code = new_client.strip() or client.strip()
    data = file.file.read(settings.max_file_bytes + 1)
    store = get_store(request)

    def create_client(tx: Tx) -> None:
        add_client(tx, code)
        add_consent(tx, code, ConsentKind.ANALYSIS, given_on=dt.datetime.now(dt.UTC).date())

    try:
        if not code:
            raise RapportInputError("no client chosen", where="client",
                                    fix="choose a client or type a new client code",
                                    code="no_client")
        if new_client.strip() and consent != "yes":
            raise RapportInputError(
                "a new client needs their consent to analysis", where="consent",
                fix="tick the consent box once the client has agreed", code="no_consent")
        day = parse_session_date(session_date)
        job_id = queue_upload(request, identity, code, session, data,
                              filename=file.filename or "upload", fmt=format or None,
                              therapist=_names(therapist), client=_names(client_speakers),
                              session_date=day, keep_both=keep_both == "yes",
                              new_client=create_client if new_client.strip() else None,
                              role_fields=ROLE_FIELDS)
    except RapportInputError as exc:
        if exc.code in _NOT_FOUND:
            raise
        with store.transaction(identity.actor.username, interface=identity.interface) as tx:
            codes = [c.code for c in list_clients(tx)]
        return upload_form_page(request, codes, values, error=exc,
                     status=STATUS_OF_CODE.get(exc.code or "", 400))
    return RedirectResponse(f"/jobs/{job_id}", status_code=303)
