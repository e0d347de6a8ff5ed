"""Therapy sessions of a client: number, date, attendance, encrypted transcript and notes.

A bulk import (``rapport sessions import``) is validated whole before anything is
written, and written in the one transaction of the command: a bad row or a killed process
leaves the record as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.hooks import crash_point
from rapport.store.models import Client, StoredAnalysis, TherapySession
from rapport.store.tx import Tx

#: Rows written per round trip during a bulk import.
IMPORT_BATCH = 100


class Attendance(StrEnum):
    ATTENDED = "attended"
    CANCELLED = "cancelled"
    NO_SHOW = "no-show"


class SessionRecord(BaseModel):
    """One session as given to ``sessions add`` or one row of ``sessions import``."""

    model_config = ConfigDict(extra="forbid")
    number: int | None = Field(default=None, ge=1, le=100_000)
    date: dt.date | None = None
    attendance: Attendance = Attendance.ATTENDED
    transcript: str | None = Field(default=None, max_length=5_000_000)
    notes: str | None = Field(default=None, max_length=100_000)


@dataclass(frozen=True)
class SessionView:
    number: int
    date: dt.date | None
    attendance: str
    has_transcript: bool
    analyses: int


def add_session(tx: Tx, code: str, record: SessionRecord) -> int:
    """Add one session; returns its number (the next free one unless given)."""
    client = find_client(tx, code, write=True)
    number = _add(tx, client, record)
    tx.audit("create", "session", subject=client.uid, detail=f"session={number}")
    return number


def import_sessions(tx: Tx, code: str, records: list[SessionRecord]) -> int:
    """Add many sessions in the caller's one transaction; all or nothing."""
    client = find_client(tx, code, write=True)
    if any(r.transcript for r in records):
        require_consent(tx, client, ConsentKind.RECORDING, doing="storing transcripts")
    numbers = [r.number for r in records if r.number is not None]
    if len(numbers) != len(set(numbers)):
        raise RapportInputError("the import repeats a session number", where="number",
                                fix="give each session its own number", code="duplicate")
    # One lock, one read of the numbers in use, then batched inserts: a large import
    # costs a few round trips per hundred rows rather than several per row.
    _lock(tx, client)
    used = set(tx.db.scalars(sa.select(TherapySession.number).where(
        TherapySession.client_id == client.id)))
    next_number = max(used, default=0) + 1
    for i, record in enumerate(records, start=1):
        number = record.number if record.number is not None else next_number
        if number in used:
            raise _taken(client, number)
        used.add(number)
        next_number = max(next_number, number + 1)
        tx.db.add(_row(tx, client, number, record))
        if i % IMPORT_BATCH == 0:
            tx.db.flush()
        crash_point("after_rows", i)
    tx.db.flush()
    tx.audit("import", "session", subject=client.uid, detail=f"sessions={len(records)}")
    return len(records)


def _add(tx: Tx, client: Client, record: SessionRecord) -> int:
    if record.number is None:
        _lock(tx, client)
        top = tx.db.scalar(sa.select(sa.func.max(TherapySession.number)).where(
            TherapySession.client_id == client.id))
        number = (top or 0) + 1
    else:
        number = record.number
        if tx.db.scalar(sa.select(TherapySession.id).where(
                TherapySession.client_id == client.id,
                TherapySession.number == number)) is not None:
            raise _taken(client, number)
    tx.db.add(_row(tx, client, number, record))
    tx.db.flush()
    return number


def _lock(tx: Tx, client: Client) -> None:
    """Lock the client row so concurrent writers (PostgreSQL) take numbers in turn;
    SQLite's BEGIN IMMEDIATE already serialises writers."""
    tx.db.execute(sa.select(Client.id).where(Client.id == client.id).with_for_update())


def _taken(client: Client, number: int) -> RapportInputError:
    return RapportInputError(f"client {client.code} already has session {number}",
                             where="number", fix="choose another session number",
                             code="duplicate")


def _row(tx: Tx, client: Client, number: int, record: SessionRecord) -> TherapySession:
    return TherapySession(
        client_id=client.id, number=number, date=record.date,
        attendance=record.attendance.value,
        transcript_enc=(tx.encrypt(record.transcript, "sessions.transcript")
                        if record.transcript else None),
        notes_enc=tx.encrypt(record.notes, "sessions.notes") if record.notes else None)


def find_session(tx: Tx, client: Client, number: int) -> TherapySession:
    row = tx.db.scalar(sa.select(TherapySession).where(
        TherapySession.client_id == client.id, TherapySession.number == number))
    if row is None:
        # words for every interface (the web and the API raise this too, not only --session)
        raise RapportInputError(f"client {client.code} has no session {number}",
                                where="session", fix="check the session number: the "
                                f"client's page or `rapport sessions list {client.code}` "
                                "lists them (a session you just uploaded exists once its "
                                "analysis job is done)", code="not_found")
    return row


def list_sessions(tx: Tx, code: str) -> list[SessionView]:
    client = find_client(tx, code)
    n_analyses = (sa.select(sa.func.count()).where(StoredAnalysis.session_id ==
                                                   TherapySession.id)
                  .correlate(TherapySession).scalar_subquery())
    rows = tx.db.execute(sa.select(TherapySession, n_analyses).where(
        TherapySession.client_id == client.id).order_by(TherapySession.number)).all()
    tx.audit("list", "session", subject=client.uid)
    return [SessionView(number=s.number, date=s.date, attendance=s.attendance,
                        has_transcript=s.transcript_enc is not None, analyses=int(n))
            for s, n in rows]


def read_session_file(path: Path) -> list[SessionRecord]:
    """Parse a JSONL or CSV file of sessions; the first bad row stops everything."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RapportInputError(f"cannot read the file ({exc.__class__.__name__})",
                                where=str(path), fix="give a UTF-8 .jsonl or .csv file",
                                code="bad_file") from None
    rows: list[tuple[int, object]] = []
    if path.suffix.lower() == ".csv":
        try:
            reader = csv.DictReader(io.StringIO(text))
            rows = [(i, {k: v for k, v in row.items() if v not in ("", None)})
                    for i, row in enumerate(reader, start=2)]
        except csv.Error as exc:
            raise RapportInputError(f"not valid CSV ({exc})", where=str(path),
                                    fix="a header row, then one session per row",
                                    code="bad_file") from None
    else:
        for i, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows.append((i, json.loads(line)))
            except json.JSONDecodeError as exc:
                raise RapportInputError(f"not valid JSON ({exc.msg})", where=f"{path}:{i}",
                                        fix="one JSON object per line",
                                        code="bad_file") from None
    records = []
    for line_no, row in rows:
        try:
            records.append(SessionRecord.model_validate(row))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"]) or "row"
            raise RapportInputError(f"{loc}: {err['msg']}", where=f"{path}:{line_no}",
                                    fix="fields: number, date (YYYY-MM-DD), attendance "
                                    "(attended, cancelled, no-show), transcript, notes",
                                    code="bad_file") from None
    if not records:
        raise RapportInputError("the file holds no sessions", where=str(path),
                                fix="one session per line (JSONL) or row (CSV)",
                                code="bad_file")
    return records
