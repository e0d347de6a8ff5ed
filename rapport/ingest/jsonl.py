"""Rapport's JSONL interchange format (version 1): sessions and corpora that travel.

One JSON object per line. A session starts with a header line, followed by one line per
turn in order; a file with several headers is a corpus::

    {"rapport_format": "session", "version": 1, "id": "check-in", "language": "en",
     "date": "2026-11-20", "speakers": [{"name": "T", "role": "therapist"},
     {"name": "C", "role": "client"}], "metadata": {"source_format": "text"}}
    {"speaker": "T", "text": "How are you today?", "start": 0.0, "end": 1.8}
    {"speaker": "C", "text": "Okay.", "start": 2.1, "end": 2.6, "backchannel": false}

Header keys: ``rapport_format`` (``"session"``), ``version`` (1), ``id``, ``speakers``
(required); ``language``, ``date`` (ISO), ``metadata`` (flat object of strings, numbers,
booleans, nulls) optional. Turn keys: ``speaker`` (declared in the header), ``text``
(required); ``start``, ``end`` (seconds), ``index`` (must equal the position),
``backchannel`` optional. Unknown keys are refused: a new key means a new version.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from rapport.domain import Role, Session, is_backchannel
from rapport.ingest.json_input import load_json, type_name
from rapport.ingest.raw import Context, MetaValue, RawSession, RawTurn, seconds

FORMAT_NAME = "session"
FORMAT_VERSION = 1
_HEADER_KEYS = frozenset(("rapport_format", "version", "id", "speakers", "language", "date",
                          "metadata"))
_TURN_KEYS = frozenset(("speaker", "text", "start", "end", "index", "backchannel"))


def is_jsonl_header(line: str) -> bool:
    """True when a first line opens Rapport JSONL."""
    return line.lstrip().startswith("{") and '"rapport_format"' in line


def dump_sessions(sessions: Iterable[Session]) -> str:
    """Write sessions as Rapport JSONL (one header line, then one line per turn).

    >>> s = Session.build("demo", [("T", "therapist", "Hi."), ("C", "client", "Hello.")])
    >>> print(dump_sessions([s]).splitlines()[1])
    {"speaker": "T", "text": "Hi.", "backchannel": false}
    """
    lines: list[str] = []
    for session in sessions:
        header: dict[str, Any] = {
            "rapport_format": FORMAT_NAME, "version": FORMAT_VERSION, "id": session.id,
            "language": session.language,
            "speakers": [{"name": s.name, "role": s.role.value} for s in session.speakers],
            "metadata": session.metadata}
        if session.date is not None:
            header["date"] = session.date.isoformat()
        lines.append(json.dumps(header, ensure_ascii=False, allow_nan=False))
        for turn in session.turns:
            row: dict[str, Any] = {"speaker": turn.speaker, "text": turn.text}
            if turn.start is not None:
                row["start"] = turn.start
            if turn.end is not None:
                row["end"] = turn.end
            row["backchannel"] = turn.backchannel
            lines.append(json.dumps(row, ensure_ascii=False, allow_nan=False))
    return "\n".join(lines) + "\n" if lines else ""


def parse_jsonl(text: str, ctx: Context) -> list[RawSession]:
    """Read Rapport JSONL into raw sessions (roles as declared in each header)."""
    sessions: list[RawSession] = []
    current: RawSession | None = None
    # split on "\n" only: JSON text may hold U+2028 and other characters splitlines() breaks on
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        if len(line) > ctx.settings.max_line_chars:
            raise ctx.error(f"line over {ctx.settings.max_line_chars:,} characters", number,
                            fix="raise RAPPORT_MAX_LINE_CHARS", code="too_large")
        obj = load_json(line, ctx, number)
        if not isinstance(obj, dict):
            raise ctx.error(f"line is a JSON {type_name(obj)}, expected an object", number,
                            fix="each line is one JSON object", code="bad_json")
        if "rapport_format" in obj:
            current = _header(obj, number, ctx)
            sessions.append(current)
        elif current is None:
            raise ctx.error("turn before any session header", number,
                            fix='start with a header line {"rapport_format": "session", '
                            '"version": 1, ...}', code="bad_format")
        else:
            current.add(_turn(obj, number, current, ctx), ctx)
    if not sessions:
        raise ctx.error("no session header found", fix="see docs/formats.md", code="empty")
    return sessions


def _unknown(obj: dict[str, Any], allowed: frozenset[str], number: int, ctx: Context) -> None:
    extra = sorted(set(obj) - allowed)
    if extra:
        raise ctx.error(f"unknown key(s) {', '.join(map(repr, extra))}", number,
                        fix=f"allowed keys: {', '.join(sorted(allowed))}", code="bad_json")


def _header(obj: dict[str, Any], number: int, ctx: Context) -> RawSession:
    _unknown(obj, _HEADER_KEYS, number, ctx)
    version = obj.get("version")
    if obj.get("rapport_format") != FORMAT_NAME or type(version) is not int:
        raise ctx.error("header needs \"rapport_format\": \"session\" and an integer "
                        "\"version\"", number, fix="see docs/formats.md", code="bad_format")
    if version != FORMAT_VERSION:
        newer = version > FORMAT_VERSION
        raise ctx.error(f"JSONL version {version} is not supported (this Rapport reads "
                        f"version {FORMAT_VERSION})", number,
                        fix="upgrade Rapport" if newer else "re-export the file",
                        code="bad_version")
    session_id = obj.get("id")
    if not isinstance(session_id, str) or not session_id.strip():
        raise ctx.error("header 'id' must be a non-empty string", number,
                        fix="give the session an id", code="bad_json")
    session = RawSession(own_id=session_id, metadata=_metadata(obj, number, ctx))
    speakers = obj.get("speakers")
    if not isinstance(speakers, list) or not speakers:
        raise ctx.error("header 'speakers' must be a non-empty list", number,
                        fix='e.g. [{"name": "T", "role": "therapist"}, ...]', code="bad_json")
    for speaker in speakers:
        name = speaker.get("name") if isinstance(speaker, dict) else None
        role = speaker.get("role") if isinstance(speaker, dict) else None
        if not isinstance(name, str) or (role is not None
                                         and role not in {r.value for r in Role}):
            raise ctx.error("each speaker needs a 'name' and a 'role' (therapist, client, "
                            "other, or null to leave it to the role flags)", number,
                            fix="correct the speakers list", code="bad_json")
        session.declared[name] = None if role is None else Role(role)
    language = obj.get("language")
    if language is not None:
        if not isinstance(language, str) or not 2 <= len(language) <= 12:
            raise ctx.error("'language' must be a language code such as \"en\"", number,
                            fix="use an ISO 639 code", code="bad_json")
        session.language = language
    date = obj.get("date")
    if date is not None:
        try:
            session.date = dt.date.fromisoformat(date) if isinstance(date, str) else None
        except ValueError:
            session.date = None
        if session.date is None:
            raise ctx.error(f"'date' {date!r} is not an ISO date", number,
                            fix="write it as YYYY-MM-DD", code="bad_json")
    return session


def _metadata(obj: dict[str, Any], number: int, ctx: Context) -> dict[str, MetaValue]:
    meta = obj.get("metadata", {})
    if not isinstance(meta, dict) or not all(
            v is None or isinstance(v, str | int | float | bool) for v in meta.values()):
        raise ctx.error("'metadata' must be a flat object of strings, numbers, booleans",
                        number, fix="move nested data elsewhere", code="bad_json")
    return dict(meta)


def _turn(obj: dict[str, Any], number: int, session: RawSession, ctx: Context) -> RawTurn:
    _unknown(obj, _TURN_KEYS, number, ctx)
    speaker, text = obj.get("speaker"), obj.get("text")
    if not isinstance(speaker, str) or speaker not in session.declared:
        raise ctx.error(f"speaker {speaker!r} is not declared in the session header",
                        number, fix="add it to the header's speakers", code="bad_json")
    if not isinstance(text, str):
        raise ctx.error(f"'text' is {type_name(text)}, expected a string", number,
                        fix="give the turn's text as a string", code="bad_json")
    times = []
    for key in ("start", "end"):
        value = obj.get(key)
        times.append(None if value is None else seconds(value))
        if value is not None and times[-1] is None:
            raise ctx.error(f"'{key}' must be a non-negative number of seconds", number,
                            fix="correct the time", code="bad_time")
    index = obj.get("index")
    if index is not None and (type(index) is not int or index != len(session.turns)):
        raise ctx.error(f"'index' {index!r} is not the turn's position "
                        f"{len(session.turns)}", number,
                        fix="keep turns in order, or leave 'index' out", code="bad_json")
    flag = obj.get("backchannel")
    if flag is not None and not isinstance(flag, bool):
        raise ctx.error("'backchannel' must be true or false", number,
                        fix="correct the value", code="bad_json")
    return RawTurn(speaker, text, number, times[0], times[1], session.declared[speaker],
                   is_backchannel(text) if flag is None else flag)
