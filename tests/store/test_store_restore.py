"""Backup and restore as an admin meets them: another key, a damaged or missing record, a
fresh record, older and newer schema revisions, and backups that fail. Real CLI on real
records, both backends where the case exists on both."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_runner import Cli
from record_fixtures import PLANTED_NAME

from rapport.errors import RapportInputError
from rapport.store.backup import backup, restore
from rapport.store.crypto import write_key_file
from rapport.store.database import Store
from rapport.store.key_check import KEY_CHECK
from rapport.store.permissions import UserRole
from rapport.store.users import add_user

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
NEWER = "0011"


@pytest.fixture
def cli(store: Store, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on an upgraded record with admin ada and therapist tom (acting by default)."""
    run = Cli(checked=True)
    run("users", "add", "ada", "--admin")
    run("users", "add", "tom", "--role", "therapist", "--as", "ada")
    monkeypatch.setenv("RAPPORT_USER", "tom")
    return run


def _sqlite_path(store: Store) -> Path:
    return Path(str(store.engine.url.database))


def _wipe(store: Store) -> None:
    """The record as on a new machine: no file, or an empty schema."""
    store.dispose()
    if store.backend == "sqlite":
        path = _sqlite_path(store)
        for extra in ("", "-wal", "-shm"):
            path.with_name(path.name + extra).unlink(missing_ok=True)
        return
    with store.engine.begin() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    store.dispose()


def _set_revision(store: Store, revision: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    store.dispose()


def _audit(cli: Cli) -> str:
    return str(cli("audit", "--as", "ada").output)


# -- 1: a backup made with another key ------------------------------------------------

def test_restore_refuses_a_backup_of_another_key_before_replacing_anything(
        cli: Cli, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("clients", "add", "C-001", "--name", PLANTED_NAME)
    old_key = store.cipher().fingerprint
    saved = tmp_path / "before-rotation.bak"
    cli("backup", saved, "--as", "ada")
    new_key_file = tmp_path / "new.key"
    cli("keys", "create", new_key_file)
    cli("keys", "rotate", "--new-key-file", new_key_file, "--as", "ada")
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(new_key_file))
    new_key = cli("keys", "show").output.split()[-1]
    cli("clients", "add", "C-002")
    refused = cli("restore", saved, "--as", "ada", "--yes", code=2).output
    assert f"this backup needs key {old_key}; the configured key is {new_key}" in refused
    assert "RAPPORT_KEY_FILE" in refused and "when the backup was made" in refused
    assert "C-002" in cli("clients", "list").output  # nothing was replaced
    assert PLANTED_NAME in cli("clients", "show", "C-001").output


def test_a_backup_without_a_key_check_is_checked_by_a_stored_value(
        store: Store, tmp_path: Path) -> None:
    with store.transaction(None) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with store.transaction("ada") as tx:
        add_user(tx, "tom", UserRole.THERAPIST)
    from rapport.store.clients import add_client

    with store.transaction("tom") as tx:
        add_client(tx, "C-001", identity={"name": PLANTED_NAME})
    with store.engine.begin() as conn:  # as a record made before the key check existed
        conn.execute(sa.text("DELETE FROM app_settings WHERE name = :n"), {"n": KEY_CHECK})
    saved = backup(store, tmp_path / "old.bak")
    other = Store(store.url, key_file=write_key_file_at(tmp_path / "other.key"))
    try:
        with pytest.raises(RapportInputError) as err:
            restore(other, saved)
        assert err.value.code == "wrong_key"
        assert f"this backup needs key {store.cipher().fingerprint}" in err.value.what
    finally:
        other.dispose()


def write_key_file_at(path: Path) -> Path:
    write_key_file(path)
    return path


# -- 2: disaster recovery ------------------------------------------------------------

@SQLITE_ONLY
def test_restore_replaces_a_damaged_record_and_keeps_it_aside(
        cli: Cli, store: Store, tmp_path: Path) -> None:
    cli("clients", "add", "C-001")
    saved = tmp_path / "good.bak"
    cli("backup", saved, "--as", "ada")
    store.dispose()
    live = _sqlite_path(store)
    for extra in ("-wal", "-shm"):
        live.with_name(live.name + extra).unlink(missing_ok=True)
    with live.open("r+b") as f:
        f.truncate(8192)
    status = cli("db", "status", code=2)
    assert "damaged" in status.output
    assert "Traceback" not in status.output and "rapport restore" in status.output
    assert "damaged" in cli("clients", "list", code=2).output
    cli("restore", saved, "--as", "tom", "--yes", code=2)  # tom is no admin in the backup
    assert live.stat().st_size == 8192  # refused: nothing replaced
    done = cli("restore", saved, "--as", "ada", "--yes").output
    kept = [p for p in live.parent.iterdir() if p.name.startswith(live.name + ".damaged-")]
    assert len(kept) == 1 and kept[0].stat().st_size == 8192
    assert str(kept[0].name) in done
    assert "C-001" in cli("clients", "list").output
    assert "restore" in _audit(cli)


def test_restore_into_a_fresh_record_audits_as_its_admin(
        cli: Cli, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cli("clients", "add", "C-001")
    saved = tmp_path / "good.bak"
    cli("backup", saved, "--as", "ada")
    _wipe(store)
    cli("db", "upgrade")
    monkeypatch.delenv("RAPPORT_USER")  # nobody exists yet
    cli("users", "add", "root1", "--admin")
    done = cli("restore", saved, "--as", "root1", "--yes").output
    assert "restored the record" in done
    assert "C-001" in cli("clients", "list", "--as", "tom").output
    audit = _audit(cli)
    assert "root1" in audit and "restore" in audit


def test_restore_into_a_missing_record_checks_the_backups_admin(
        cli: Cli, store: Store, tmp_path: Path) -> None:
    cli("clients", "add", "C-001")
    saved = tmp_path / "good.bak"
    cli("backup", saved, "--as", "ada")
    _wipe(store)
    refused = cli("restore", saved, "--as", "root1", "--yes", code=2).output
    assert "root1" in refused
    if store.backend == "sqlite":
        assert not _sqlite_path(store).exists()  # a refusal creates nothing
    cli("restore", saved, "--as", "ada", "--yes")
    assert "C-001" in cli("clients", "list").output


def test_a_refused_restore_in_an_empty_home_creates_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    run = Cli()
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a backup" * 100)
    assert run("restore", junk, "--as", "root1", "--yes").exit_code == 2
    assert run("restore", tmp_path / "missing.bak", "--as", "root1", "--yes").exit_code == 2
    assert not home.exists() or not any(home.iterdir())


# -- 5 and 6: schema revisions ---------------------------------------------------------

def _older_record(store: Store) -> None:
    """ada and tom in a record one migration behind."""
    _wipe(store)
    store.upgrade("0009")
    with store.transaction(None, check_schema=False) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with store.transaction("ada", check_schema=False) as tx:
        add_user(tx, "tom", UserRole.THERAPIST)
    store.dispose()


def test_an_older_record_can_be_backed_up_before_upgrading(
        store: Store, tmp_path: Path) -> None:
    _older_record(store)
    run = Cli(checked=True)
    status = run("db", "status", code=1)
    assert "needs `rapport db upgrade`" in status.output
    saved = tmp_path / "pre-upgrade.bak"
    run("backup", saved, "--as", "ada")
    assert saved.is_file()
    run("db", "upgrade")
    assert "backup" in run("audit", "--as", "ada").output
    if store.backend == "sqlite":
        done = run("restore", saved, "--as", "ada", "--yes").output
        assert "0009" in done and "rapport db upgrade" in done
        run("db", "status", code=1)
    else:  # pg_restore cannot drop tables the older backup does not have
        refused = run("restore", saved, "--as", "ada", "--yes", code=2).output
        assert "revision 0009" in refused and "empty" in refused
        assert "up to date" in run("db", "status").output
        _wipe(store)
        done = run("restore", saved, "--as", "ada", "--yes").output
        assert "0009" in done and "rapport db upgrade" in done
    run("db", "upgrade")
    assert "up to date" in run("db", "status").output
    assert "restore" in run("audit", "--as", "ada").output


def test_a_newer_record_is_one_clear_error_everywhere(
        cli: Cli, store: Store, tmp_path: Path) -> None:
    saved = tmp_path / "current.bak"
    cli("backup", saved, "--as", "ada")
    _set_revision(store, NEWER)
    head = store.head_revision()
    message = (f"the record is at revision {NEWER}, newer than this version of Rapport "
               f"knows ({head})")
    for args in (("db", "status"), ("db", "upgrade"), ("clients", "list"),
                 ("backup", tmp_path / "x.bak", "--as", "ada")):
        out = cli(*args, code=2).output
        assert message in out and "Traceback" not in out, args
    if store.backend == "sqlite":  # a restore made with this version brings it back
        done = cli("restore", saved, "--as", "ada", "--yes").output
        assert ".newer-" in done
        assert "up to date" in cli("db", "status").output


def test_a_newer_backup_is_refused(store: Store, tmp_path: Path) -> None:
    with store.transaction(None) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    _set_revision(store, NEWER)
    saved = backup(store, tmp_path / "newer.bak")
    _set_revision(store, store.head_revision())
    with pytest.raises(RapportInputError) as err:
        restore(store, saved)
    assert f"the backup is at revision {NEWER}, newer than" in err.value.what
    assert store.current_revision() == store.head_revision()


def test_db_status_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    run = Cli(checked=True)
    assert "needs `rapport db upgrade`" in run("db", "status", code=1).output
    run("db", "upgrade")
    assert "up to date" in run("db", "status").output


# -- 10: a failed backup is not audited ------------------------------------------------

@SQLITE_ONLY
def test_a_failed_backup_is_a_clear_error_and_not_audited(cli: Cli, tmp_path: Path) -> None:
    saved = tmp_path / "bk" / "one.bak"
    cli("backup", saved, "--as", "ada")
    assert "already exists" in cli("backup", saved, "--as", "ada", code=2).output
    nowhere = cli("backup", "/proc/nope/x.bak", "--as", "ada", code=2)
    assert "/proc/nope" in nowhere.output and "Traceback" not in nowhere.output
    assert not isinstance(nowhere.exception, OSError)
    audit = _audit(cli)
    assert audit.count("backup") == 1 and "x.bak" not in audit


@SQLITE_ONLY
def test_restore_leaves_no_partial_state_when_the_backup_is_damaged(
        store: Store, tmp_path: Path) -> None:
    with store.transaction(None) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    saved = backup(store, tmp_path / "r.bak")
    conn = sqlite3.connect(saved)
    conn.execute("DROP TABLE alembic_version")
    conn.commit()
    conn.close()
    with pytest.raises(RapportInputError) as err:
        restore(store, saved)
    assert err.value.code == "bad_backup"
    assert store.current_revision() == store.head_revision()
