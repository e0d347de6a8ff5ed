"""Making a coding project from stored sessions, and saving codes checked against its
codebook. The store keeps and guards the rows; the rules about what a turn may carry and
what a coder may read of a client live here.

A coder who may not read a session's client record (not its therapist, not the
therapist's supervisor) gets the turns de-identified (``rapport.deid``), and only when the
client has a current ``research`` or ``sharing`` consent; one such coder makes the whole
project de-identified, so every coder sees the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rapport.domain import Role, Session, Speaker, Turn
from rapport.errors import RapportInputError
from rapport.report.document import AnalysisDocument
from rapport.store.coding import NewUnit, add_decision, add_project, save_code
from rapport.store.coding_changes import add_units, managed_project
from rapport.store.coding_sources import (
    SourceSession,
    read_sources,
    require_transcript_maker,
)
from rapport.store.tx import Tx
from rapport.workbench.codebook import UTTERANCE, Codebook
from rapport.workbench.transcripts import (
    SpeakerNames,
    TranscriptFile,
    read_transcripts,
    transcript_units,
)

SHARING_CONSENTS = frozenset({"research", "sharing"})


@dataclass(frozen=True)
class ProjectRequest:
    name: str
    codebook: Codebook
    sessions: list[tuple[str, int]]  # (client code, session number)
    coders: list[str]
    adjudicators: list[str] = field(default_factory=list)
    mode: str = "blind"
    #: Transcripts uploaded with the request (always de-identified; no client's).
    transcripts: list[TranscriptFile] = field(default_factory=list)
    speakers: SpeakerNames = field(default_factory=SpeakerNames)


def parse_session_refs(text: str, *, required: bool = True) -> list[tuple[str, int]]:
    """``C-001:1, C-001:2`` (or one per line) as (client code, session number) pairs;
    none is allowed when ``required`` is false (transcripts come with the request)."""
    refs = []
    for raw in text.replace("\n", ",").split(","):
        part = raw.strip()
        if not part:
            continue
        code, sep, number = part.rpartition(":")
        if not sep or not code or not number.strip().isdigit():
            raise RapportInputError(f"{part[:40]!r} is not CODE:SESSION", where="sessions",
                                    fix="write each session as client code, colon, session "
                                    "number, e.g. C-001:1", code="bad_session")
        refs.append((code.strip(), int(number)))
    if not refs and required:
        raise RapportInputError("no sessions given", where="sessions",
                                fix="name at least one, e.g. C-001:1, or upload "
                                "transcript files", code="bad_session")
    return refs


def _model_codes(codes: dict[str, Any], codebook: Codebook, role: str) -> list[str]:
    """The model's codes of a turn that the codebook knows (true multi-label codes, or a
    single-label value that names a code)."""
    from rapport.pipeline import current_code_name

    known = {c.name for c in codebook.codes_for(role)}
    if codebook.name == UTTERANCE:  # one code names the turn's family labels
        from rapport.coding.utterance.gold import code_of

        name = code_of({current_code_name(n): c.value for n, c in codes.items()
                        if isinstance(c.value, str)})
        return [name] if name in known else []
    out = set()
    for stored_name, code in codes.items():
        name = current_code_name(stored_name)
        if code.value is True and name in known:
            out.add(name)
        elif isinstance(code.value, str) and code.value in known:
            out.add(code.value)
    return sorted(out)


def _as_session(doc: AnalysisDocument) -> Session:
    return Session(id=doc.session.id, date=doc.session.date, language=doc.session.language,
                   speakers=tuple(Speaker(name=s.name, role=s.role) for s in doc.speakers),
                   turns=tuple(Turn(index=t.index, speaker=t.speaker, role=t.role,
                                    text=t.text, start=t.start, end=t.end)
                               for t in doc.turns))


def _unit(source: SourceSession, codebook: Codebook, *, deidentify: bool, position: int
          ) -> NewUnit:
    doc = AnalysisDocument.model_validate_json(source.document)
    texts = {t.index: (t.speaker, t.text) for t in doc.turns}
    label = f"{source.client_code} session {source.number}"
    if deidentify:
        from rapport.deid import deidentify_session

        clean, _ = deidentify_session(_as_session(doc))
        texts = {t.index: (t.speaker, t.text) for t in clean.turns}
        label = f"session {position}"
    turns = [{"index": i, "role": t.role.value, "speaker": texts[t.index][0],
              "text": texts[t.index][1], "start": t.start, "end": t.end,
              "model": _model_codes(t.codes, codebook, t.role.value)}
             for i, t in enumerate(doc.turns)]
    timed = all(t["start"] is not None and t["end"] is not None for t in turns)
    return NewUnit(session_id=source.session_id, label=label, turns=turns, timed=timed)


def _no_consent(source: SourceSession, who: str) -> RapportInputError:
    return RapportInputError(
        f"{who} may not read {source.client_code}'s record, and the client has no current "
        "research or sharing consent", where="coders",
        fix="record the consent, or choose coders who may read the record", code="no_consent")


def create_project(tx: Tx, request: ProjectRequest) -> int:
    """Store a project made of stored sessions and uploaded transcripts; returns its id.
    Nothing is stored when any session, file, coder or consent is wrong."""
    if not request.coders:
        raise RapportInputError("a project needs at least one coder", where="coders",
                                fix="name one or more users", code="bad_project")
    twice = sorted({c for c in request.coders if request.coders.count(c) > 1})
    if twice:  # "tom, tom" would be one coder: double coding that never gives agreement
        raise RapportInputError(
            f"{', '.join(twice)} is named twice as a coder", where="coders",
            fix="name each coder once; double coding needs two different coders",
            code="bad_project")
    if not request.sessions and not request.transcripts:
        raise RapportInputError("a project needs sessions", where="sessions",
                                fix="name stored sessions (CODE:NUMBER) or upload "
                                "transcripts", code="bad_project")
    if request.transcripts:
        require_transcript_maker(tx)
    # the files first: a bad one is refused before any client record is read
    uploaded = read_transcripts(request.transcripts, speakers=request.speakers)
    # adjudicators read the turns too (the maker reads every session: read_sources)
    readers_needed = list(dict.fromkeys([*request.coders, *request.adjudicators]))
    sources = read_sources(tx, request.sessions, readers_needed) if request.sessions else []
    outsiders = [(s, c) for s in sources for c in readers_needed if c not in s.readers]
    # a project of uploads alone is de-identified through and through (labels too)
    deidentify = bool(outsiders) or not sources
    for source, coder in outsiders:
        if not SHARING_CONSENTS & set(source.consents):
            raise _no_consent(source, coder)
    units = [_unit(s, request.codebook, deidentify=deidentify, position=i)
             for i, s in enumerate(sources, start=1)]
    units += transcript_units(uploaded, first_position=len(units) + 1)
    return add_project(tx, name=request.name, codebook=request.codebook.model_dump(mode="json"),
                       mode=request.mode, deidentified=deidentify, coders=request.coders,
                       adjudicators=request.adjudicators, units=units)


def add_sessions(tx: Tx, project_id: int, sessions: list[tuple[str, int]],
                 transcripts: list[TranscriptFile], speakers: SpeakerNames | None = None
                 ) -> list[int]:
    """Add stored sessions and uploaded transcripts to a project (its maker or an admin);
    returns the new units' ids. A stored session joins a de-identified project
    de-identified, under the consent the project needs; a project whose turns were copied
    as they are takes only sessions every member may read."""
    project = managed_project(tx, project_id)
    if transcripts:
        require_transcript_maker(tx)
    uploaded = read_transcripts(transcripts, speakers=speakers)
    sources = read_sources(tx, sessions, list(project.members)) if sessions else []
    needed = {"research"} if project.researcher_made else SHARING_CONSENTS
    for source in sources:
        outsiders = [m for m in project.members if m not in source.readers]
        if project.deidentified and not needed & set(source.consents):
            raise _no_consent(source, outsiders[0] if outsiders else "a coder")
        if not project.deidentified and outsiders:
            raise RapportInputError(
                f"{outsiders[0]} may not read {source.client_code}'s record, and this "
                "project's turns are not de-identified", where="sessions",
                fix="make a new project for it (its turns are then de-identified)",
                code="not_deidentified")
    start = project.next_position
    codebook = Codebook.model_validate(project.codebook)
    units = [_unit(s, codebook, deidentify=project.deidentified, position=i)
             for i, s in enumerate(sources, start=start)]
    units += transcript_units(uploaded, first_position=start + len(units))
    return add_units(tx, project.id, units)


def code_turn(tx: Tx, project_id: int, unit_id: int, turn_index: int, labels: list[str],
              note: str | None) -> list[str]:
    """Save a coder's codes of one turn, checked against the project's codebook."""
    if note is not None and len(note) > 5000:
        raise RapportInputError("the note is longer than 5000 characters", where="note",
                                fix="shorten it", code="too_long")

    def check(codebook: dict[str, Any], role: str) -> list[str]:
        return Codebook.model_validate(codebook).check_labels(labels, role)

    return save_code(tx, project_id, unit_id, turn_index, note, check=check)


def decide_turn(tx: Tx, project_id: int, unit_id: int, turn_index: int, labels: list[str],
                reason: str) -> list[str]:
    """An adjudicator's decision, checked against the codebook; it becomes the gold."""

    def check(codebook: dict[str, Any], role: str) -> list[str]:
        return Codebook.model_validate(codebook).check_labels(labels, role)

    return add_decision(tx, project_id, unit_id, turn_index, reason[:2000], check=check)


def role_name(role: str) -> str:
    return "therapist" if role == Role.THERAPIST.value else (
        "client" if role == Role.CLIENT.value else role)
