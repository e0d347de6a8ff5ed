"""Kept recordings on both backends: encrypted at rest, read by the treating therapist only
(audited), gone with retention, erasure and a withdrawn consent to recording, kept by
backup and restore."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from record_fixtures import People

from rapport.errors import RapportInputError
from rapport.store.backup import backup, restore
from rapport.store.clients import add_client, close_client, erase_client
from rapport.store.consents import ConsentKind, add_consent, withdraw_consent
from rapport.store.database import Store
from rapport.store.models import AuditEntry, KeptRecording, TherapySession, utcnow
from rapport.store.recordings import (
    delete_recording,
    keep_recording,
    list_recordings,
    read_recording,
)
from rapport.store.retention import apply_retention, set_retention_days
from rapport.store.sessions import list_sessions

DAY = dt.date(2026, 1, 5)
#: Not a real recording: the store keeps bytes as given (the job checks they are media).
AUDIO = b"RIFF" + secrets.token_bytes(4_000) + b"WAVEfmt audible-marker " * 40


def _kept(store: Store, people: People, code: str = "C-001", number: int = 3) -> int:
    with store.transaction(people.therapist) as tx:
        add_client(tx, code)
        add_consent(tx, code, ConsentKind.RECORDING, given_on=DAY)
        return keep_recording(tx, code, number, AUDIO, media_type="audio/x-wav",
                              suffix=".wav", session_date=dt.date(2026, 2, 3))


def _count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(KeptRecording)) or 0)


def test_a_kept_recording_is_encrypted_and_read_back_whole(store: Store,
                                                         people: People) -> None:
    recording_id = _kept(store, people)
    with store.engine.connect() as conn:
        raw = conn.scalar(sa.select(KeptRecording.media_enc))
    assert raw is not None and AUDIO not in raw and b"audible-marker" not in raw
    assert base64.b64encode(AUDIO)[:200] not in raw
    with store.transaction(people.therapist) as tx:
        (session,) = list_sessions(tx, "C-001")  # made for the recording, with its date
        assert (session.number, session.date) == (3, dt.date(2026, 2, 3))
        (view,) = list_recordings(tx, "C-001", 3)
        assert (view.id, view.size_bytes, view.suffix) == (recording_id, len(AUDIO), ".wav")
        again, data = read_recording(tx, "C-001", recording_id)
    assert data == AUDIO and again == view
    with store.engine.connect() as conn:
        reads = conn.execute(sa.select(AuditEntry.actor, AuditEntry.detail).where(
            AuditEntry.entity == "recording", AuditEntry.action == "read")).all()
    assert reads == [(people.therapist, f"recording={recording_id}")]


def test_nobody_else_reads_lists_or_deletes_it(store: Store, people: People) -> None:
    recording_id = _kept(store, people)
    for other in (people.other_therapist, people.supervisor):
        with store.transaction(other) as tx:
            for attempt in (lambda: read_recording(tx, "C-001", recording_id),
                            lambda: list_recordings(tx, "C-001"),
                            lambda: delete_recording(tx, "C-001", recording_id)):
                with pytest.raises(RapportInputError) as err:
                    attempt()
                assert err.value.code == "not_found"
    with store.transaction(people.therapist) as tx:  # another client's id: not found
        add_client(tx, "C-002")
        with pytest.raises(RapportInputError):
            read_recording(tx, "C-002", recording_id)
    assert _count(store) == 1
    with store.transaction(people.therapist) as tx:
        delete_recording(tx, "C-001", recording_id)
    assert _count(store) == 0


def test_keeping_needs_the_consent_to_recording(store: Store, people: People) -> None:
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        with pytest.raises(RapportInputError) as err:
            keep_recording(tx, "C-001", 1, AUDIO, media_type="audio/x-wav", suffix=".wav")
    assert err.value.code == "no_consent"
    assert _count(store) == 0


def test_withdrawing_the_consent_to_recording_deletes_it(store: Store,
                                                         people: People) -> None:
    _kept(store, people)
    with store.transaction(people.therapist) as tx:
        add_consent(tx, "C-001", ConsentKind.ANALYSIS, given_on=DAY)
        assert withdraw_consent(tx, "C-001", ConsentKind.ANALYSIS, on=DAY) == 0
    assert _count(store) == 1  # another consent leaves it
    with store.transaction(people.therapist) as tx:
        assert withdraw_consent(tx, "C-001", ConsentKind.RECORDING, on=DAY) == 1
    assert _count(store) == 0
    with store.transaction(people.therapist) as tx:
        assert [s.number for s in list_sessions(tx, "C-001")] == [3]  # the session stays


def test_erasing_the_client_deletes_it(store: Store, people: People) -> None:
    _kept(store, people)
    with store.transaction(people.therapist) as tx:
        erase_client(tx, "C-001")
    assert _count(store) == 0


def test_retention_deletes_the_recordings_of_expired_clients_only(store: Store,
                                                                  people: People) -> None:
    _kept(store, people, "C-OLD")
    kept = _kept(store, people, "C-OPEN")
    with store.transaction(people.therapist) as tx:
        close_client(tx, "C-OLD")
    with store.transaction(people.admin) as tx:
        set_retention_days(tx, 30)
    later = utcnow() + dt.timedelta(days=31)
    with store.transaction(people.admin) as tx:
        dry = apply_retention(tx, now=later)
    assert (dry.clients, dry.recordings, dry.applied) == (1, 1, False)
    assert _count(store) == 2
    with store.transaction(people.admin) as tx:
        done = apply_retention(tx, dry_run=False, now=later)
    assert done.recordings == 1
    with store.transaction(people.therapist) as tx:
        assert list_recordings(tx, "C-OLD") == []
        assert [r.id for r in list_recordings(tx, "C-OPEN")] == [kept]
    with store.engine.connect() as conn:  # the session itself stays, as with transcripts
        assert conn.scalar(sa.select(sa.func.count()).select_from(TherapySession)) == 2


def test_backup_and_restore_keep_it(store: Store, people: People, tmp_path: Path) -> None:
    recording_id = _kept(store, people)
    target = backup(store, tmp_path / "record.bak")
    with store.transaction(people.therapist) as tx:
        delete_recording(tx, "C-001", recording_id)
    assert _count(store) == 0
    restore(store, target)
    with store.transaction(people.therapist) as tx:
        _, data = read_recording(tx, "C-001", recording_id)
    assert data == AUDIO
