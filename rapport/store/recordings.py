"""Kept recordings: a session's recording, stored encrypted because the therapist chose to
keep it when uploading it (the default is to delete it once transcribed).

Only the treating therapist (who may write the client) lists, reads or deletes one; for
anyone else it does not exist. A read is audited. A kept recording goes with its session
or client (erasure), with the client's transcripts under the retention period, and when
the consent to recording is withdrawn (:func:`delete_kept_recordings`).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, require_consent
from rapport.store.models import Client, KeptRecording, TherapySession
from rapport.store.sessions import Attendance, SessionRecord, _add
from rapport.store.tx import Tx

_CONTEXT = "kept_recordings.media"


@dataclass(frozen=True)
class RecordingView:
    id: int
    session_number: int
    media_type: str
    suffix: str
    size_bytes: int
    kept_at: dt.datetime


def keep_recording(tx: Tx, code: str, session_number: int, data: bytes, *,
                   media_type: str, suffix: str,
                   session_date: dt.date | None = None) -> int:
    """Keep ``data`` (encrypted) with the client's session, created if new (with
    ``session_date``); needs a current consent to recording. Returns the recording's id."""
    client = find_client(tx, code, write=True)
    require_consent(tx, client, ConsentKind.RECORDING, doing="keeping a recording")
    session_id = tx.db.scalar(sa.select(TherapySession.id).where(
        TherapySession.client_id == client.id, TherapySession.number == session_number))
    if session_id is None:
        _add(tx, client, SessionRecord(number=session_number, date=session_date,
                                       attendance=Attendance.ATTENDED))
        session_id = tx.db.scalar(sa.select(TherapySession.id).where(
            TherapySession.client_id == client.id, TherapySession.number == session_number))
    row = KeptRecording(session_id=session_id, media_type=media_type[:64],
                        suffix=suffix[:8], size_bytes=len(data), kept_by=tx.me().id,
                        media_enc=tx.encrypt(base64.b64encode(data).decode("ascii"),
                                             _CONTEXT))
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "recording", subject=client.uid,
             detail=f"recording={row.id} session={session_number} bytes={len(data)}")
    return row.id


def _view(row: KeptRecording, number: int) -> RecordingView:
    return RecordingView(id=row.id, session_number=number, media_type=row.media_type,
                         suffix=row.suffix, size_bytes=row.size_bytes, kept_at=row.kept_at)


def list_recordings(tx: Tx, code: str, session_number: int | None = None
                    ) -> list[RecordingView]:
    """The client's kept recordings (of one session when given), oldest first."""
    client = find_client(tx, code, write=True)
    query = (sa.select(KeptRecording, TherapySession.number)
             .join(TherapySession, TherapySession.id == KeptRecording.session_id)
             .where(TherapySession.client_id == client.id))
    if session_number is not None:
        query = query.where(TherapySession.number == session_number)
    rows = tx.db.execute(query.order_by(KeptRecording.id)).all()
    tx.audit("list", "recording", subject=client.uid, detail=f"recordings={len(rows)}")
    return [_view(row, number) for row, number in rows]


def _find(tx: Tx, code: str, recording_id: int) -> tuple[Client, KeptRecording, int]:
    client = find_client(tx, code, write=True)
    found = tx.db.execute(sa.select(KeptRecording, TherapySession.number)
                          .join(TherapySession, TherapySession.id == KeptRecording.session_id)
                          .where(KeptRecording.id == recording_id,
                                 TherapySession.client_id == client.id)).first()
    if found is None:
        raise RapportInputError(f"no kept recording {recording_id} of client {code}",
                                where="recording", fix="open the session page again",
                                code="not_found")
    return client, found[0], int(found[1])


def read_recording(tx: Tx, code: str, recording_id: int) -> tuple[RecordingView, bytes]:
    """One kept recording and its bytes, decrypted (audited as a read)."""
    client, row, number = _find(tx, code, recording_id)
    tx.audit("read", "recording", subject=client.uid, detail=f"recording={row.id}")
    data = base64.b64decode(tx.decrypt(row.media_enc, _CONTEXT))
    return _view(row, number), data


def delete_recording(tx: Tx, code: str, recording_id: int) -> None:
    """Delete one kept recording."""
    client, row, number = _find(tx, code, recording_id)
    tx.db.execute(sa.delete(KeptRecording).where(KeptRecording.id == row.id))
    tx.audit("delete", "recording", subject=client.uid,
             detail=f"recording={recording_id} session={number}")


def delete_kept_recordings(tx: Tx, client: Client) -> int:
    """Delete every kept recording of ``client`` (the consent to recording was withdrawn);
    how many there were."""
    sessions = sa.select(TherapySession.id).where(TherapySession.client_id == client.id)
    done = tx.db.execute(sa.delete(KeptRecording).where(
        KeptRecording.session_id.in_(sessions)))
    n = int(getattr(done, "rowcount", 0) or 0)
    if n:
        tx.audit("delete", "recording", subject=client.uid, detail=f"recordings={n}")
    return n
