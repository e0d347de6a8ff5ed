"""Store fixtures: a key and people; the backend fixture ``db_url`` is in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from record_fixtures import People

from rapport.settings import get_settings
from rapport.store.crypto import write_key_file
from rapport.store.database import Store
from rapport.store.permissions import UserRole
from rapport.store.users import add_user, link_supervision


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
