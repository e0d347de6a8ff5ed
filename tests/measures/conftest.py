"""Record fixtures for the measures tests: a real store on SQLite and on PostgreSQL.

PostgreSQL: this run's own database on 127.0.0.1:5432 (random name), a fresh schema per
test; unreachable server -> the postgres cases fail when CI=true, are skipped otherwise.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from rapport.settings import get_settings
from rapport.store.crypto import write_key_file
from rapport.store.database import Store

PG_SERVER = os.environ.get("RAPPORT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def measures_pg_database() -> Iterator[str]:
    admin_url = f"{PG_SERVER}/test"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except Exception as exc:
        message = f"PostgreSQL at {admin_url} unreachable: {exc.__class__.__name__}"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"rapport_measures_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def record_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.sqlite3'}"
        return
    base = request.getfixturevalue("measures_pg_database")
    schema = f"m_{secrets.token_hex(6)}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        engine.dispose()


@pytest.fixture
def record(record_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An upgraded, empty record, configured in the environment for the CLI."""
    key = tmp_path / "keys" / "rapport.key"
    write_key_file(key)
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(key))
    monkeypatch.setenv("RAPPORT_DATABASE_URL", record_url)
    store = Store.from_settings(get_settings())
    store.upgrade()
    yield store
    store.dispose()
