"""Turn an uploaded transcript into an analysis job (API and upload page alike).

The upload is checked and read at once, so a file that does not import gives one clear
error and the record is unchanged: rights and consent first (in a short transaction), the
parse with no transaction open, then one short transaction that queues the job (with a
new client and their consent, on the upload page). The analysis itself runs in the job
runner (``rapport/jobs``), which stores the result with the job's completion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import Request

from rapport.errors import RapportInputError
from rapport.jobs.analysis import KIND, read_upload
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.jobs import enqueue
from rapport.store.tx import Tx
from rapport.web.identity import Identity, get_settings_of, get_store


def queue_upload(request: Request, identity: Identity, code: str, session_number: int,
                 data: bytes, *, filename: str, fmt: str | None = None,
                 therapist: tuple[str, ...] = (), client: tuple[str, ...] = (),
                 new_client: Callable[[Tx], None] | None = None,
                 session_date: dt.date | None = None) -> int:
    """Check, read and queue one session's transcript for ``code``; the job's id.
    ``new_client`` (the upload page) creates the client in the queuing transaction;
    ``session_date`` is the session's date if the analysis creates the session."""
    store, settings = get_store(request), get_settings_of(request)
    params = {"code": code, "session": session_number, "filename": filename[:200],
              "format": fmt or "", "therapist": list(therapist), "client": list(client),
              "session_date": session_date.isoformat() if session_date else ""}
    if new_client is None:  # nothing is parsed for a client you cannot write
        with store.transaction(identity.actor.username, interface=identity.interface) as tx:
            require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                            doing="storing an analysis")
    read_upload(data, params, settings)  # input errors now, with no transaction open
    with store.transaction(identity.actor.username, interface=identity.interface) as tx:
        if new_client is not None:
            new_client(tx)
        require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                        doing="storing an analysis")
        job_id = enqueue(tx, KIND, code=code, session_number=session_number, params=params,
                         payload=data)
    request.app.state.jobs.wake()
    return job_id


def queue_recording(request: Request, identity: Identity, code: str, session_number: int,
                    data: bytes, *, filename: str, speakers: int = 2,
                    new_client: Callable[[Tx], None] | None = None, keep: bool = False,
                    session_date: dt.date | None = None) -> int:
    """Check and queue one session's recording for transcription; the job's id. Needs the
    client's consent to recording (and to analysis, which follows once the therapist has
    confirmed the speakers' roles). ``keep``: keep the recording, encrypted, with the
    session once transcribed (otherwise it is deleted then)."""
    from rapport.jobs.transcription import KIND as TRANSCRIPTION
    from rapport.jobs.transcription import check_recording

    store, settings = get_store(request), get_settings_of(request)
    params = {"code": code, "session": session_number, "filename": filename[:200],
              "speakers": speakers, "keep": keep,
              "session_date": session_date.isoformat() if session_date else ""}

    def consents(tx: Tx) -> None:
        client = find_client(tx, code, write=True)
        require_consent(tx, client, ConsentKind.RECORDING, doing="transcribing a recording")
        require_consent(tx, client, ConsentKind.ANALYSIS, doing="storing an analysis")

    if new_client is None:
        with store.transaction(identity.actor.username, interface=identity.interface) as tx:
            consents(tx)
    check_recording(data, filename, settings)
    with store.transaction(identity.actor.username, interface=identity.interface) as tx:
        if new_client is not None:
            new_client(tx)
        consents(tx)
        job_id = enqueue(tx, TRANSCRIPTION, code=code, session_number=session_number,
                         params=params, payload=data)
    request.app.state.jobs.wake()
    return job_id


def parse_session_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """The session date typed in an upload form (``YYYY-MM-DD``; empty: none), or one clear
    error. A day ahead of the server's UTC date is allowed (time zones), no more."""
    if not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise RapportInputError(f"{text.strip()[:20]!r} is not a date", where="session date",
                                fix="give the date of the session as YYYY-MM-DD, or leave "
                                "it empty", code="bad_date") from None
    today = today or dt.datetime.now(dt.UTC).date()
    if day > today + dt.timedelta(days=1):
        raise RapportInputError(f"the session date {day} is in the future",
                                where="session date", fix="give the date the session took "
                                "place, or leave it empty", code="bad_date")
    return day
