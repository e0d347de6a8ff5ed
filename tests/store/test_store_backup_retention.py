"""Backup/restore round trip and the retention policy, on both backends."""

from __future__ import annotations

import base64
import datetime as dt
import os
import stat
from collections.abc import Iterator
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
    assert restore(store, target).revision == store.head_revision()
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


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The usual umask (022), which would make new files readable by everyone."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("open_umask")
def test_backups_are_owner_only(store: Store, people: People, tmp_path: Path) -> None:
    _client_with_analysis(store, people, "C-001")
    target = backup(store, tmp_path / "record.bak")
    assert _mode(target) == 0o600


@pytest.mark.usefixtures("open_umask")
def test_the_sqlite_record_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "record.sqlite3"
    fresh = Store(f"sqlite:///{path}", key=base64.b64encode(os.urandom(32)).decode())
    fresh.upgrade()
    with fresh.engine.connect() as conn:  # a connection holds the -wal and -shm open
        conn.exec_driver_sql("SELECT 1")
        files = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        assert [_mode(p) for p in files] == [0o600] * 3
    fresh.dispose()
    for p in files:  # a record from an older version, or copied in: 0644
        if p.exists():
            p.chmod(0o644)
    reopened = Store(f"sqlite:///{path}", key=base64.b64encode(os.urandom(32)).decode())
    with reopened.engine.connect() as conn:
        conn.exec_driver_sql("SELECT 1")
        assert [_mode(p) for p in files if p.exists()] == [0o600] * sum(
            p.exists() for p in files)
        assert _mode(path) == 0o600
    reopened.dispose()
