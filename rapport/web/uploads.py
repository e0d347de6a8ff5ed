"""Turn an uploaded transcript into an analysis job (API and upload page alike).

The upload is checked and read at once, so a file that does not import gives one clear
error and the record is unchanged: rights and consent first (in a short transaction), the
parse with no transaction open, then one short transaction that queues the job (with a
new client and their consent, on the upload page). The analysis itself runs in the job
runner (``rapport/jobs``), which stores the result with the job's completion.

An upload never silently joins a session that already has an analysis (stored, or queued
or running): it is refused with ``analysis_exists`` unless the request says to keep both
versions; the session page then shows the newest and lists the earlier ones. A session
date creates a new session with that date and dates an undated one; a session that has
another date is refused (``date_mismatch``) rather than re-dated by an upload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Request

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.ingest.roles import UnclearRolesError
from rapport.jobs.analysis import KIND, read_upload
from rapport.store.analyses import session_analyses
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.jobs import enqueue
from rapport.store.tx import Tx
from rapport.web.identity import Identity, get_settings_of, get_store


def parse_session_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """The session date of an upload form (``YYYY-MM-DD``; empty: none), never later than
    today: a session is uploaded after it took place."""
    text = text.strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise RapportInputError(f"{text[:40]!r} is not a date", where="session_date",
                                fix="give the day of the session as YYYY-MM-DD, or leave "
                                "it empty", code="bad_date") from None
    # the server's own day: Rapport runs in the practice, on its clock
    if day > (today or dt.datetime.now(dt.UTC).astimezone().date()):
        raise RapportInputError(f"the session date {day} is in the future",
                                where="session_date", fix="give the day the session took "
                                "place (today or earlier)", code="bad_date")
    return day


def check_joining(tx: Tx, code: str, number: int, session_date: dt.date | None, *,
                  keep_both: bool) -> None:
    """Refuse an upload that would re-date session ``number`` or, unless ``keep_both``,
    add a second analysis to it without being asked."""
    found = session_analyses(tx, code, number, job_kind=KIND)
    if found.date is not None and session_date is not None and found.date != session_date:
        raise RapportInputError(
            f"session {number} of {code} is dated {found.date}, not {session_date}",
            where="session_date", fix=f"leave the date empty, or check the session number "
            f"(the date of session {number} is changed with `rapport sessions`, not by an "
            "upload)", code="date_mismatch")
    if keep_both or not (found.analysed_at or found.pending_since):
        return
    if found.analysed_at:
        when = f"an analysis made {found.analysed_at[-1]:%Y-%m-%d %H:%M} UTC"
        if len(found.analysed_at) > 1:
            when += f" (and {len(found.analysed_at) - 1} earlier)"
    else:
        when = f"an analysis being made (uploaded {found.pending_since[-1]:%Y-%m-%d %H:%M} UTC)"
    raise RapportInputError(
        f"session {number} of {code} already has {when}", where="session",
        fix="keep both versions (the session page shows the newest and lists the earlier "
        "ones), or cancel and check the session number", code="analysis_exists")


def queue_upload(request: Request, identity: Identity, code: str, session_number: int,
                 data: bytes, *, filename: str, fmt: str | None = None,
                 therapist: tuple[str, ...] = (), client: tuple[str, ...] = (),
                 session_date: dt.date | None = None, keep_both: bool | None = None,
                 new_client: Callable[[Tx], None] | None = None,
                 role_fields: dict[Role, str] | None = None) -> int:
    """Check, read and queue one session's transcript for ``code``; the job's id.
    ``new_client`` (the upload page) creates the client in the queuing transaction;
    ``role_fields`` names the caller's fields for the speakers' roles, so that a file whose
    roles cannot be told is answered in them rather than in the command line's options.

    ``keep_both``: False refuses a session that already has an analysis
    (``analysis_exists``), True adds a version; None does not ask, for a caller whose flow
    already chose the session (the confirmed transcript of a recording, whose analysis
    is added as a version: the session page lists them all)."""
    store, settings = get_store(request), get_settings_of(request)
    params = {"code": code, "session": session_number, "filename": filename[:200],
              "format": fmt or "", "therapist": list(therapist), "client": list(client),
              "session_date": session_date.isoformat() if session_date else ""}
    if new_client is None:  # nothing is parsed for a client you cannot write
        with store.transaction(identity.actor.username, interface=identity.interface) as tx:
            require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                            doing="storing an analysis")
            check_joining(tx, code, session_number, session_date,
                          keep_both=keep_both is not False)
    try:
        read_upload(data, params, settings)  # input errors now, with no transaction open
    except UnclearRolesError as exc:
        raise (in_fields(exc, role_fields) if role_fields else exc) from None
    with store.transaction(identity.actor.username, interface=identity.interface) as tx:
        if new_client is not None:
            new_client(tx)
        require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                        doing="storing an analysis")
        check_joining(tx, code, session_number, session_date,
                      keep_both=keep_both is not False)
        job_id = enqueue(tx, KIND, code=code, session_number=session_number, params=params,
                         payload=data)
    request.app.state.jobs.wake()
    return job_id


def in_fields(exc: UnclearRolesError, fields: dict[Role, str],
              other_field: str | None = None) -> RapportInputError:
    """The roles error said with a form's or request's fields for the roles (``fields``:
    role -> how to name the field, e.g. "Therapist speaker names"; ``other_field``: the
    field for speakers who are neither, where the form has one)."""
    if exc.missing is not None:
        fix = f"name the {exc.missing.value} in {fields[exc.missing]}"
    else:
        named = [f"{fields[role]}: {label}" for role, label in
                 ((r, ", ".join(u for u, ur in exc.proposal.items() if ur == r))
                  for r in (Role.THERAPIST, Role.CLIENT)) if label]
        others = [u for u, r in exc.proposal.items() if r not in fields]
        fix = "say who is who, e.g. " + "; ".join(named)
        if exc.from_talk:
            fix += " (suggested from who asks the questions: check it against the recording)"
        if other_field:
            fix += (f"; or {other_field}: {', '.join(exc.proposal)} for a speaker who is "
                    "neither (an interpreter, an observer)")
        elif others:
            fix += (f"; {', '.join(others)} may be neither: that needs the command line's "
                    "--other")
        fix += " (Rapport never guesses roles from names)"
    return RapportInputError(exc.what, where=exc.where, fix=fix, code=exc.code)


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
        # the date check of a transcript upload, before the transcription rather than
        # after it; the analysis it leads to is added as a version (never asked)
        check_joining(tx, code, session_number, session_date, keep_both=True)

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



@contextmanager
def roles_in_fields(fields: dict[Role, str], other_field: str | None = None
                    ) -> Iterator[None]:
    """Say an unclear-roles error raised inside with the caller's fields (:func:`in_fields`)."""
    try:
        yield
    except UnclearRolesError as exc:
        raise in_fields(exc, fields, other_field) from None
