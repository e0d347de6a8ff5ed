"""Migrations: they build exactly the models, on both backends, and commands check them."""

from __future__ import annotations

import base64
import os
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


def test_0004_keeps_older_duplicate_questionnaires_without_a_session(db_url: str) -> None:
    # A record made before 0004 may hold duplicates (PostgreSQL stored them under
    # simultaneous submissions): the migration moves the older ones, never deletes.
    import sqlalchemy as sa

    from rapport.store.clients import add_client
    from rapport.store.models import AuditEntry
    from rapport.store.permissions import UserRole
    from rapport.store.responses import add_response, list_responses
    from rapport.store.users import add_user

    store = Store(db_url, key=base64.b64encode(os.urandom(32)).decode())
    try:
        store.upgrade("0003")
        with store.transaction(None, check_schema=False) as tx:
            add_user(tx, "ada", UserRole.ADMIN)
        with store.transaction("ada", check_schema=False) as tx:
            add_user(tx, "tom", UserRole.THERAPIST)
        with store.transaction("tom", check_schema=False) as tx:
            add_client(tx, "C-001")
            ids = [add_response(tx, "C-001", instrument_id="phq9", instrument_version="1",
                                answers={"1": n}, scores={"total": n}, session_number=1)
                   for n in (1.0, 2.0, 3.0)]
            add_response(tx, "C-001", instrument_id="gad7", instrument_version="1",
                         answers={}, scores={"total": 0.0}, session_number=1)
        store.upgrade()
        with store.transaction("tom") as tx:
            kept = {r.id: (r.session_number, r.answers) for r in list_responses(tx, "C-001")}
            moves = tx.db.scalars(sa.select(AuditEntry.detail).where(
                AuditEntry.interface == "migration").order_by(AuditEntry.id)).all()
        assert len(kept) == 4  # nothing deleted, answers intact
        assert [kept[i] for i in ids] == [(None, {"1": 1.0}), (None, {"1": 2.0}),
                                          (1, {"1": 3.0})]  # the newest keeps session 1
        assert moves == [f"response={i} kept without session 1: response={ids[2]} is "
                         "that session's phq9" for i in ids[:2]]
    finally:
        store.dispose()
