"""A CSV transcript read session by session instead of whole (issue 17: flat memory).

A CSV corpus (AnnoMI, ten copies of it, a clinic's export) is one file of many sessions;
reading it whole holds every session before the first is coded. Here the file is read
twice, neither time whole:

1. an *index pass* checks, line by line, what reading the file whole checks before any
   session is built (UTF-8, no control characters, no over-long line, no mojibake, sound
   CSV quoting) and that each session's rows are contiguous (all of ``intake-01``, then
   all of ``intake-02``...). It keeps only the session keys.
2. the *stream pass* builds each session as soon as its last row is read and yields it,
   exactly as the whole-file reader would have built it (same ids, roles, warnings).

A file the index pass does not clear (another encoding, a byte-order mark other than
UTF-8's, a session whose rows are split up, a quoting error...) is not streamed: it is
read whole by :func:`rapport.ingest.load_sessions`, which reports its error or warning
exactly as before. An error in a row's content (an unknown interlocutor, a row with too
few fields, a bad time) is found by the stream pass when it reaches that row: the sessions
before it have been yielded, then one :class:`RapportInputError` names the row. Callers
that must write nothing on bad input (``rapport code``) write to a temporary file.

The file-size limit (``RAPPORT_MAX_FILE_BYTES``) does not apply to a streamed file, as to
a Parquet corpus: memory no longer grows with the file. The line-length limit does.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rapport.domain import Session
from rapport.errors import RapportInputError
from rapport.ingest.api import RoleMap
from rapport.ingest.assemble import build_session, session_id
from rapport.ingest.csv_table import (
    Layout,
    add_row,
    csv_rows,
    delimiter_of,
    looks_like_csv_header,
    read_layout,
)
from rapport.ingest.decode import _CONTROL_CHARS, _MOJIBAKE
from rapport.ingest.detect import detect_format
from rapport.ingest.raw import Context, RawSession
from rapport.ingest.roles import unmatched_flag_warning, unused_flags
from rapport.settings import Settings

_OTHER_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE,
               codecs.BOM_UTF16_BE)


class _NotStreamableError(Exception):
    """The index pass found something the whole-file reader must report or warn about."""


def _checked_lines(path: Path, ctx: Context) -> Iterator[str]:
    """The file's lines, each checked as the whole-file decode checks the whole text."""
    limit = ctx.settings.max_line_chars
    with path.open(encoding="utf-8-sig", errors="strict", newline="") as fh:
        try:
            for line in fh:
                if len(line.rstrip("\r\n")) > limit or any(c in line for c in _CONTROL_CHARS) \
                        or _MOJIBAKE.search(line):
                    raise _NotStreamableError
                yield line
        except UnicodeDecodeError:
            raise _NotStreamableError from None


def _index(path: Path, ctx: Context) -> int | None:
    """The number of sessions when the file can be streamed, else None."""
    try:
        lines = _checked_lines(path, ctx)
        first = next(lines, "")
        if not looks_like_csv_header(first) or detect_format(first, ctx.name) != "csv":
            return None
        rows = csv_rows(_chain(first, lines), delimiter_of(first), ctx)
        layout = read_layout(rows, ctx)
        done: set[str] = set()
        current: str | None = None
        for _, row in rows:
            key = _key(layout, row)
            if key != current:
                if key in done:
                    return None  # this session's rows are split up: read the file whole
                if current is not None:
                    done.add(current)
                current = key
        return len(done) + (current is not None) or None
    except (_NotStreamableError, RapportInputError, OSError):
        # any doubt: the whole-file reader decides, and reports it as before
        return None


def _key(layout: Layout, row: list[str]) -> str:
    """The session key of a row, as the row readers take it ("" when there is none)."""
    at = layout.index.get(layout.key_column)
    return row[at].strip() if at is not None and at < len(row) else ""


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


@dataclass
class CsvStream:
    """The sessions of one CSV file, built one at a time (see the module's docstring).

    Iterate :meth:`sessions`; once it is exhausted, ``general`` holds the warnings about
    the whole file and ``unmatched_flags`` the role labels that matched no speaker.
    """

    path: Path
    total: int
    ctx: Context
    general: list[str] = field(default_factory=list)
    unmatched_flags: list[str] = field(default_factory=list)

    def sessions(self) -> Iterator[tuple[Session, list[str]]]:
        """(session, the warnings about it) in file order."""
        ctx = self.ctx
        lines = _checked_lines(self.path, ctx)
        first = next(lines, "")
        rows = csv_rows(_chain(first, lines), delimiter_of(first), ctx)
        layout = read_layout(rows, ctx)
        open_session: dict[str, RawSession] = {}
        ids: set[str] = set()
        labels: set[str] = set()
        k = 0
        current: str | None = None
        try:
            for line, row in rows:
                # a new key ends the open session: it is yielded before this row is read,
                # so an error in this row comes after it
                if current is not None and _key(layout, row) != current:
                    k += 1
                    yield self._build(open_session.pop(current), k, ids, labels)
                current = add_row(layout, line, row, ctx, open_session)
        except _NotStreamableError:
            # the file changed between the passes
            raise ctx.error("the file changed while it was being read",
                            fix="run the command again once the file is complete",
                            code="changed") from None
        if current is not None:
            k += 1
            yield self._build(open_session.pop(current), k, ids, labels)
        self.unmatched_flags = unused_flags(ctx.roles, sorted(labels))
        self.general = [*ctx.warnings,
                        *(unmatched_flag_warning(n) for n in self.unmatched_flags)]

    def _build(self, raw: RawSession, k: int, ids: set[str], labels: set[str]
               ) -> tuple[Session, list[str]]:
        sid = session_id(raw, k, self.total, self.ctx, ids)
        session, notes = build_session(raw, sid, "csv", self.ctx)
        labels.update(s.name for s in session.speakers)
        return session, notes


def open_csv_stream(path: Path, *, roles: RoleMap, fmt: str | None, encoding: str | None,
                    settings: Settings) -> CsvStream | None:
    """A stream of ``path``'s sessions, or None when it must be read whole."""
    if encoding or (fmt is not None and fmt.casefold() != "csv") \
            or path.suffix.casefold() not in (".csv", ".tsv") or not path.is_file():
        return None
    with path.open("rb") as fh:
        if fh.read(4).startswith(_OTHER_BOMS):
            return None
    ctx = Context(name=path.name, where=str(path), roles=roles, settings=settings)
    total = _index(path, ctx)
    return None if total is None else CsvStream(path, total, ctx)
