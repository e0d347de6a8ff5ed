"""The ``analysis`` job: an uploaded transcript, checked and read when it was uploaded,
analysed here with no transaction open, stored with the job's completion in one short
transaction (so on SQLite the write lock is held for milliseconds, not for the minute a
long session takes to analyse)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rapport.errors import RapportInputError
from rapport.jobs.runner import JobContext
from rapport.settings import Settings
from rapport.store.analyses import session_analyses, store_analysis
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.jobs import read_payload

KIND = "analysis"


def read_upload(data: bytes, params: dict[str, Any], settings: Settings) -> Any:
    """Parse an upload into one session (and its warnings), or raise the input error."""
    from rapport.ingest import RoleMap, parse_bytes

    filename = str(params.get("filename") or "upload")
    if len(data) > settings.max_file_bytes:
        raise RapportInputError(f"the file is larger than {settings.max_file_bytes} bytes",
                                where=filename, fix="split the session or raise "
                                "RAPPORT_MAX_FILE_BYTES", code="too_large")
    result = parse_bytes(data, name=filename, fmt=params.get("format") or None,
                         settings=settings,
                         roles=RoleMap(therapist=tuple(params.get("therapist", ())),
                                       client=tuple(params.get("client", ()))))
    if len(result.sessions) != 1:
        raise RapportInputError(f"the file holds {len(result.sessions)} sessions",
                                where=filename, fix="upload one session per file",
                                code="many_sessions")
    return result


def analysis_handler(settings: Settings) -> Any:
    """The handler for ``analysis`` jobs under ``settings``."""

    def run(context: JobContext) -> None:
        from rapport.pipeline import AnalyzeOptions, analyze

        with context.store.transaction(context.owner, interface="system") as tx:
            data, params = read_payload(tx, context.job.id)
            code, number = str(params["code"]), int(params["session"])
            day = str(params.get("session_date") or "")  # older jobs have none
            session_date = (dt.date.fromisoformat(day) if day
                            else session_analyses(tx, code, number, job_kind=KIND).date)
        context.progress(10)
        result = read_upload(data, params, settings)
        (session,) = result.sessions
        if session.date is None and session_date is not None:
            # the report and the stored document carry the session's date, as the record
            # does, when the file itself has none (a dated file keeps its own)
            session = session.model_copy(update={"date": session_date})
        context.progress(30)
        analysis = analyze(session, AnalyzeOptions.from_settings(settings),
                           warnings=result.warnings_for(session.id))
        document = analysis.to_json()
        context.progress(90)
        with context.store.transaction(context.owner, interface="system") as tx:
            # consent may have been withdrawn while the analysis ran: checked again
            require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                            doing="storing an analysis")
            analysis_id = store_analysis(tx, code, number, document, session_date=(
                dt.date.fromisoformat(day) if day else None))
            context.complete(tx, {"analysis_id": analysis_id, "turns": len(session.turns),
                                  "warnings": list(result.warnings)})

    return run
