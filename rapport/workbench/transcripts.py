"""Transcripts uploaded straight into a coding project (no client, no stored analysis).

Every file is read with ``rapport.ingest`` (any format it reads; a file may hold several
sessions) before anything is stored, so a bad file is one error naming the file and
nothing of the project is kept. The turns are always de-identified (``rapport.deid``):
an uploaded transcript belongs to no client record that a coder could be allowed to read,
so no coder is its reader. There is no model in such a unit (no analysis was made): the
"model" coding of an assisted project is empty for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapport.domain import Role, Session
from rapport.errors import RapportInputError
from rapport.settings import Settings, get_settings
from rapport.store.coding import NewUnit

#: Most sessions one request may add (a project page stays readable).
MAX_SESSIONS = 500


@dataclass(frozen=True)
class TranscriptFile:
    """One uploaded file: its name (for messages and format detection) and bytes."""

    name: str
    data: bytes
    fmt: str | None = None


@dataclass(frozen=True)
class SpeakerNames:
    """Who is who in the uploaded files, where their labels do not say (``Counselor`` and
    ``Therapist`` do; a first name does not): applies to every file."""

    therapist: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    other: tuple[str, ...] = ()  # neither (an interpreter, an observer): coded with nothing


def read_transcripts(files: list[TranscriptFile], *, speakers: SpeakerNames | None = None,
                     settings: Settings | None = None) -> list[Session]:
    """Every session of every file, in order; the first bad file is the one error."""
    from rapport.ingest import RoleMap, parse_bytes

    speakers = speakers or SpeakerNames()
    roles = RoleMap(therapist=speakers.therapist, client=speakers.client,
                    other=speakers.other)

    settings = settings or get_settings()
    sessions: list[Session] = []
    for file in files:
        name = file.name or "upload"
        if len(file.data) > settings.max_file_bytes:
            raise RapportInputError(f"the file is larger than {settings.max_file_bytes} "
                                    "bytes", where=name, fix="split the session or raise "
                                    "RAPPORT_MAX_FILE_BYTES", code="too_large")
        result = parse_bytes(file.data, name=name, fmt=file.fmt or None, settings=settings,
                             roles=roles)
        for session in result.sessions:
            if not any(t.role in (Role.THERAPIST, Role.CLIENT) for t in session.turns):
                raise RapportInputError(
                    "no turn has a therapist or client speaker", where=name,
                    fix="label the speakers (e.g. 'Therapist:' and 'Client:'), or "
                    "upload a JSON/JSONL transcript with roles", code="no_roles")
        sessions += result.sessions
    if len(sessions) > MAX_SESSIONS:
        raise RapportInputError(f"the files hold {len(sessions)} sessions", where="files",
                                fix=f"add at most {MAX_SESSIONS} at a time", code="too_many")
    return sessions


def transcript_units(sessions: list[Session], *, first_position: int) -> list[NewUnit]:
    """The sessions as project units, de-identified, labelled ``transcript N``."""
    from rapport.deid import deidentify_sessions

    units = []
    for position, (clean, _) in enumerate(deidentify_sessions(sessions),
                                          start=first_position):
        turns: list[dict[str, Any]] = [
            {"index": i, "role": t.role.value, "speaker": t.speaker, "text": t.text,
             "start": t.start, "end": t.end, "model": []} for i, t in enumerate(clean.turns)]
        timed = bool(turns) and all(t["start"] is not None and t["end"] is not None
                                    for t in turns)
        units.append(NewUnit(session_id=None, label=f"transcript {position}", turns=turns,
                             timed=timed))
    return units
