"""CSV transcripts: the AnnoMI layout and Rapport's generic layout; a row is a turn.

Generic layout (header names are case-insensitive; comma, semicolon or tab separated)::

    session_id,speaker,role,start,end,text
    intake-01,Dr. Lee,therapist,0,4.5,What brings you in today?

``speaker`` and ``text`` are required. ``session_id`` splits the file into sessions (in
order of first appearance); ``role`` states roles (else role words or flags decide);
``start``/``end`` are seconds or ``hh:mm:ss``.

AnnoMI layout (Wu et al. 2022): columns ``transcript_id``, ``interlocutor``,
``utterance_text``, ``timestamp`` and the transcript's ``topic``, ``mi_quality``,
``video_title`` and ``video_url``, which become session metadata. Its own labels are
ignored here: importing reads what was said, coding is done by Rapport's coders.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.ingest.raw import Context, MetaValue, RawSession, RawTurn, check_line_lengths
from rapport.ingest.roles import role_word
from rapport.ingest.timecode import parse_timecode

ANNOMI_COLUMNS = ("transcript_id", "interlocutor", "utterance_text")
ANNOMI_METADATA = ("topic", "mi_quality", "video_title", "video_url")
GENERIC_REQUIRED = ("speaker", "text")
GENERIC_OPTIONAL = ("session_id", "role", "start", "end")
_LAYOUT_FIX = ("the generic layout needs the columns speaker,text (optional: session_id, "
               "role, start, end); see docs/formats.md")


def looks_like_csv_header(line: str) -> bool:
    """True when a first line names the columns of a layout we read."""
    for delimiter in (",", ";", "\t"):
        names = {n.strip().strip('"').casefold() for n in line.split(delimiter)}
        if set(ANNOMI_COLUMNS) <= names or set(GENERIC_REQUIRED) <= names:
            return True
    return False


def delimiter_of(first_line: str) -> str:
    """The separator a header line uses most: comma, semicolon or tab."""
    return max((",", ";", "\t"), key=first_line.count)


def csv_rows(lines: Iterable[str], delimiter: str, ctx: Context
             ) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each non-blank row; a quoting error raises at its line."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as exc:
        raise ctx.error(f"broken CSV: {exc}", reader.line_num,
                        fix="check the quoting: a field with a comma, quote or line break "
                        "must be in double quotes, and quotes inside doubled (\"\")",
                        code="bad_csv") from None


def _rows(text: str, ctx: Context) -> Iterator[tuple[int, list[str]]]:
    return csv_rows(io.StringIO(text, newline=""), delimiter_of(text.split("\n", 1)[0]), ctx)


def _time(value: str, line: int, column: str, ctx: Context) -> float | None:
    value = value.strip()
    if not value:
        return None
    number: float | None
    try:
        number = float(value)
    except ValueError:
        number = parse_timecode(value)
    if number is None or not 0 <= number < 1e9:
        raise ctx.error(f"{column} {value!r} is not a time", line,
                        fix="give seconds (12.5) or hh:mm:ss (00:00:12)", code="bad_time")
    return number


@dataclass(frozen=True)
class Layout:
    """The columns of a CSV transcript: AnnoMI's or the generic layout."""

    annomi: bool
    columns: list[str]
    index: dict[str, int]

    @property
    def key_column(self) -> str:
        """The column that splits the file into sessions."""
        return "transcript_id" if self.annomi else "session_id"


def read_layout(rows: Iterator[tuple[int, list[str]]], ctx: Context) -> Layout:
    """Check the header row (the first of ``rows``) and say which layout it is."""
    header_line, header = next(rows, (1, []))
    columns = [h.strip().casefold() for h in header]
    duplicated = sorted({c for c in columns if columns.count(c) > 1 and c})
    if duplicated:
        raise ctx.error(f"duplicate column(s): {', '.join(duplicated)}", header_line,
                        fix="give each column a distinct name", code="bad_csv")
    annomi = set(ANNOMI_COLUMNS) <= set(columns)
    if not annomi:
        missing = [c for c in GENERIC_REQUIRED if c not in columns]
        if missing:
            raise ctx.error(f"missing column(s) {', '.join(missing)} (found: "
                            f"{', '.join(columns) or 'none'})", header_line,
                            fix=_LAYOUT_FIX, code="missing_columns")
    return Layout(annomi, columns, {c: i for i, c in enumerate(columns)})


def add_row(layout: Layout, line: int, row: list[str], ctx: Context,
            sessions: dict[str, RawSession]) -> str:
    """Add one row's turn to its session in ``sessions`` (opened if new); its key."""
    if len(row) != len(layout.columns):
        raise ctx.error(f"row has {len(row)} fields, the header has {len(layout.columns)}",
                        line, fix="check for a missing or extra separator, or an "
                        "unquoted comma in the text", code="bad_csv")
    cell = {c: row[i] for c, i in layout.index.items()}
    if layout.annomi:
        key, session = _annomi_row(cell, line, ctx, sessions)
    else:
        key, session = _generic_row(cell, line, ctx, sessions)
    sessions[key] = session
    return key


def parse_csv(text: str, ctx: Context) -> list[RawSession]:
    """Read a CSV transcript; each distinct session or transcript id is one session."""
    check_line_lengths(text, ctx)
    rows = _rows(text, ctx)
    layout = read_layout(rows, ctx)
    sessions: dict[str, RawSession] = {}
    for line, row in rows:
        add_row(layout, line, row, ctx, sessions)
    if not sessions:
        raise ctx.error("the CSV has a header but no rows", fix="add one row per turn",
                        code="empty")
    return list(sessions.values())


def _session(sessions: dict[str, RawSession], key: str, own_id: str | None,
             metadata: dict[str, MetaValue]) -> RawSession:
    if key not in sessions:
        return RawSession(own_id=own_id, metadata=metadata)
    return sessions[key]


def _annomi_row(cell: dict[str, str], line: int, ctx: Context,
                sessions: dict[str, RawSession]) -> tuple[str, RawSession]:
    key = cell["transcript_id"].strip()
    if not key:
        raise ctx.error("empty transcript_id", line, fix="fill in the transcript id",
                        code="bad_csv")
    meta: dict[str, MetaValue] = {"transcript_id": key}
    meta |= {c: cell[c] for c in ANNOMI_METADATA if c in cell}
    session = _session(sessions, key, f"annomi-{key}", meta)
    session.lenient_times = True
    speaker = cell["interlocutor"].strip()
    role = role_word(speaker)
    if role is None:
        raise ctx.error(f"interlocutor {speaker!r} is neither therapist nor client", line,
                        fix="use 'therapist' or 'client'", code="bad_csv")
    try:
        start = _time(cell.get("timestamp", ""), line, "timestamp", ctx)
    except RapportInputError:
        start = None
        session.dropped_times += 1
    session.add(RawTurn(speaker, cell["utterance_text"].strip(), line, start, None, role),
                ctx)
    return key, session


def _generic_row(cell: dict[str, str], line: int, ctx: Context,
                 sessions: dict[str, RawSession]) -> tuple[str, RawSession]:
    key = cell.get("session_id", "").strip()
    session = _session(sessions, key, key or None, {})
    role: Role | None = None
    stated = cell.get("role", "").strip()
    if stated:
        role = role_word(stated)
        if role is None and stated.casefold() == "other":
            role = Role.OTHER
        if role is None:
            raise ctx.error(f"role {stated!r} is not therapist, client or other", line,
                            fix="use therapist, client or other (or leave it empty)",
                            code="bad_csv")
    start = _time(cell.get("start", ""), line, "start", ctx)
    end = _time(cell.get("end", ""), line, "end", ctx)
    session.add(RawTurn(" ".join(cell["speaker"].split()), cell["text"].strip(), line,
                        start, end, role), ctx)
    return key, session
