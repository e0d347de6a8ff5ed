"""Shared test setup: Hypothesis profiles, an isolated RAPPORT_HOME, example paths, and the
record backends (``db_url``: a SQLite file, or a fresh schema in this run's own PostgreSQL
database on 127.0.0.1:5432, created on first use and dropped at the end; an unreachable
server fails the postgres cases when CI=true and skips them otherwise)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from backends import BACKENDS, backend_url
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=50)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own RAPPORT_HOME and no stray RAPPORT_* settings."""
    for key in list(os.environ):
        if key.startswith("RAPPORT_"):
            monkeypatch.delenv(key)
    home = tmp_path_factory.mktemp("rapport-home")
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    yield home


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


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


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The record's URL on each backend, isolated per test."""
    with backend_url(request, tmp_path) as url:
        yield url
