"""Workbench fixtures: a populated record on SQLite and PostgreSQL (``db_url``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from workbench_world import Record, populate

from rapport.settings import get_settings
from rapport.store.crypto import write_key_file
from rapport.store.database import Store


@pytest.fixture
def record(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Record]:
    key = tmp_path / "keys" / "rapport.key"
    write_key_file(key)
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(key))
    monkeypatch.setenv("RAPPORT_DATABASE_URL", db_url)
    store = Store.from_settings(get_settings())
    store.upgrade()
    yield populate(store)
    store.dispose()
