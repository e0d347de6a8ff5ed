"""Store fixtures: one parametrized backend (SQLite file, PostgreSQL schema), a key, people.

PostgreSQL: the run creates its own database on 127.0.0.1:5432 (random name) the first
time a test needs it and drops it at the end; each test gets a fresh schema inside it.
Unreachable server: the postgres cases fail when CI=true and are skipped otherwise.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from record_fixtures import People

from rapport.settings import get_settings
from rapport.store.crypto import write_key_file
from rapport.store.database import Store
from rapport.store.permissions import UserRole
from rapport.store.users import add_user, link_supervision

PG_SERVER = os.environ.get("RAPPORT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A database of this test run's own; yields its URL."""
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
    name = f"rapport_test_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The record's URL on each backend, isolated per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rapport.sqlite3'}"
        return
    base = request.getfixturevalue("pg_database")
    schema = f"t_{secrets.token_hex(6)}"
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
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "keys" / "rapport.key"
    write_key_file(path)
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(path))
    return path


@pytest.fixture
def store(db_url: str, key_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An upgraded, empty record, also configured in the environment for the CLI."""
    monkeypatch.setenv("RAPPORT_DATABASE_URL", db_url)
    st = Store.from_settings(get_settings())
    st.upgrade()
    yield st
    st.dispose()


@pytest.fixture
def people(store: Store) -> People:
    """An admin, two therapists, a supervisor of tom (no identity grant), a researcher."""
    p = People()
    with store.transaction(None) as tx:
        add_user(tx, p.admin, UserRole.ADMIN)
    with store.transaction(p.admin) as tx:
        add_user(tx, p.therapist, UserRole.THERAPIST)
        add_user(tx, p.other_therapist, UserRole.THERAPIST)
        add_user(tx, p.supervisor, UserRole.SUPERVISOR)
        add_user(tx, p.researcher, UserRole.RESEARCHER)
        link_supervision(tx, p.supervisor, p.therapist)
    return p
