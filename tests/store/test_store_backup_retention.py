"""Backup/restore round trip and the retention policy, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from record_fixtures import People, document_json

from rapport.errors import RapportInputError
from rapport.store.analyses import list_analyses, read_analysis, store_analysis
from rapport.store.backup import backup, restore
from rapport.store.clients import add_client, close_client, list_clients, show_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.models import utcnow
from rapport.store.retention import apply_retention, set_retention_days
from rapport.store.sessions import SessionRecord, add_session, list_sessions

DAY = dt.date(2026, 1, 5)


def _client_with_analysis(store: Store, people: People, code: str) -> int:
    with store.transaction(people.therapist) as tx:
        add_client(tx, code, identity={"name": "Ada Quinlan"})
        add_consent(tx, code, ConsentKind.ANALYSIS, given_on=DAY)
        add_consent(tx, code, ConsentKind.RECORDING, given_on=DAY)
        add_session(tx, code, SessionRecord(number=1, transcript="C: hello there"))
        return store_analysis(tx, code, 1, document_json(metrics={"m": 1.0}))


def test_backup_restore_roundtrip(store: Store, people: People, tmp_path: Path) -> None:
    analysis_id = _client_with_analysis(store, people, "C-001")
    target = tmp_path / "backups" / "record.bak"
    assert backup(store, target) == target
    with pytest.raises(RapportInputError):
        backup(store, target)  # never overwrites
    _client_with_analysis(store, people, "C-002")  # after the backup: must disappear
    with store.transaction(people.therapist) as tx:
        assert len(list_clients(tx)) == 2
    assert restore(store, target) == store.head_revision()
    with store.transaction(people.therapist) as tx:
        assert [c.code for c in list_clients(tx)] == ["C-001"]
        assert show_client(tx, "C-001").identity == {"name": "Ada Quinlan"}
        assert read_analysis(tx, analysis_id) == document_json(metrics={"m": 1.0})


def test_restore_refuses_a_file_that_is_not_a_backup(store: Store, tmp_path: Path) -> None:
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"definitely not a backup" * 100)
    with pytest.raises(RapportInputError) as err:
        restore(store, junk)
    assert err.value.code in ("bad_backup", "backup_failed")
    assert store.current_revision() == store.head_revision()
    with pytest.raises(RapportInputError):
        restore(store, tmp_path / "missing.bak")


def test_retention_dry_run_then_purge_of_closed_clients_only(store: Store,
                                                             people: People) -> None:
    old = _client_with_analysis(store, people, "C-OLD")
    recent = _client_with_analysis(store, people, "C-NEW")
    _client_with_analysis(store, people, "C-OPEN")
    with store.transaction(people.therapist) as tx:
        close_client(tx, "C-OLD")
        close_client(tx, "C-NEW")
    with store.transaction(people.admin) as tx:
        with pytest.raises(RapportInputError):
            apply_retention(tx)  # no period set yet
        set_retention_days(tx, 30)
    later = utcnow() + dt.timedelta(days=31)
    with store.transaction(people.admin) as tx:
        dry = apply_retention(tx, now=later)
    assert (dry.clients, dry.transcripts, dry.analyses, dry.applied) == (2, 2, 2, False)
    with store.transaction(people.therapist) as tx:
        assert read_analysis(tx, old)  # the dry run changed nothing
    with store.transaction(people.therapist) as tx:
        close_client(tx, "C-NEW", reopen=True)
    with store.transaction(people.admin) as tx:
        done = apply_retention(tx, dry_run=False, now=later)
    assert (done.clients, done.transcripts, done.analyses) == (1, 1, 1)
    with store.transaction(people.therapist) as tx:
        with pytest.raises(RapportInputError) as err:
            read_analysis(tx, old)
        assert err.value.code == "purged"
        (view,) = list_analyses(tx, "C-OLD")
        assert view.purged and view.metrics == {"m": 1.0}  # numbers stay for charts
        assert not list_sessions(tx, "C-OLD")[0].has_transcript
        assert list_sessions(tx, "C-NEW")[0].has_transcript
        assert read_analysis(tx, recent)


def test_only_admins_set_or_apply_retention(store: Store, people: People) -> None:
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
        set_retention_days(tx, 10)
    assert err.value.code == "forbidden"
    with store.transaction(people.admin) as tx, pytest.raises(RapportInputError) as err:
        set_retention_days(tx, 0)
    assert err.value.code == "bad_setting"
