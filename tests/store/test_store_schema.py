"""Migrations: they build exactly the models, on both backends, and commands check them."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rapport.errors import RapportInputError
from rapport.store.database import Store
from rapport.store.models import Base


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_upgrade_is_idempotent(store: Store) -> None:
    assert store.upgrade() == store.head_revision()
    assert store.current_revision() == store.head_revision()


def test_commands_refuse_a_record_without_tables(db_url: str) -> None:
    fresh = Store(db_url)
    try:
        with pytest.raises(RapportInputError) as err, fresh.transaction("ada"):
            pass
        assert err.value.code == "schema_outdated"
        assert "rapport db upgrade" in (err.value.fix or "")
    finally:
        fresh.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    finally:
        store.dispose()


def test_unsupported_backend_is_an_input_error() -> None:
    with pytest.raises(RapportInputError) as err:
        Store("mysql://db/x")
    assert err.value.code == "bad_setting"


def test_a_constraint_violation_is_a_clear_error_and_writes_nothing(store: Store) -> None:
    from rapport.store.models import AppSetting

    with pytest.raises(RapportInputError) as err, store.transaction(None) as tx:
        tx.db.add(AppSetting(name="retention_days", value="1"))
        tx.db.flush()
        tx.db.add(AppSetting(name="other", value="2"))
        tx.db.flush()
        tx.db.execute(AppSetting.__table__.insert().values(name="retention_days", value="3"))
    assert err.value.code == "conflict"
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM app_settings").scalar() == 0
