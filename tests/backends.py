"""The record backends every store and web test runs on (fixtures in conftest.py)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def backend_url(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    """A record URL on ``request.param``'s backend: a SQLite file in ``folder``, or a fresh
    schema (dropped afterwards) in this run's PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{folder / 'rapport.sqlite3'}"
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
