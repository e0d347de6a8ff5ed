"""Turn an uploaded transcript into a stored analysis (API and upload page alike).

Parsing happens before anything is stored: a file that does not import gives one clear
error and the record is unchanged. Coders are loaded once per process (``load_coders``
caches them).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapport.errors import RapportInputError
from rapport.settings import Settings
from rapport.store.analyses import store_analysis
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.tx import Tx


@dataclass(frozen=True)
class UploadedAnalysis:
    analysis_id: int
    turns: int
    warnings: list[str]


def analyze_upload(tx: Tx, code: str, session_number: int, data: bytes, *, filename: str,
                   settings: Settings, fmt: str | None = None,
                   therapist: tuple[str, ...] = (), client: tuple[str, ...] = ()
                   ) -> UploadedAnalysis:
    """Import, code, analyse and store one session's transcript for ``code``."""
    from rapport.ingest import RoleMap, parse_bytes
    from rapport.pipeline import AnalyzeOptions, analyze

    # Rights and consent first: nothing is parsed or coded for a client you cannot write.
    require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                    doing="storing an analysis")
    if len(data) > settings.max_file_bytes:
        raise RapportInputError(f"the file is larger than {settings.max_file_bytes} bytes",
                                where=filename, fix="split the session or raise "
                                "RAPPORT_MAX_FILE_BYTES", code="too_large")
    result = parse_bytes(data, name=filename or "upload", fmt=fmt or None, settings=settings,
                         roles=RoleMap(therapist=therapist, client=client))
    if len(result.sessions) != 1:
        raise RapportInputError(f"the file holds {len(result.sessions)} sessions",
                                where=filename, fix="upload one session per file",
                                code="many_sessions")
    (session,) = result.sessions
    analysis = analyze(session, AnalyzeOptions.from_settings(settings),
                       warnings=result.warnings_for(session.id))
    analysis_id = store_analysis(tx, code, session_number, analysis.to_json())
    return UploadedAnalysis(analysis_id=analysis_id, turns=len(session.turns),
                            warnings=result.warnings)
