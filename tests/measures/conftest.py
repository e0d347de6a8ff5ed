"""Record fixtures for the measures tests: a real store on each backend of ``db_url``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rapport.settings import get_settings
from rapport.store.crypto import write_key_file
from rapport.store.database import Store


@pytest.fixture
def record(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """An upgraded, empty record, configured in the environment for the CLI."""
    key = tmp_path / "keys" / "rapport.key"
    write_key_file(key)
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(key))
    monkeypatch.setenv("RAPPORT_DATABASE_URL", db_url)
    store = Store.from_settings(get_settings())
    store.upgrade()
    yield store
    store.dispose()


@pytest.fixture
def clinic(record: Store) -> Store:
    """ada (admin), tom (therapist), sam (tom's supervisor), tess (another therapist),
    and tom's client C-1 with eight weekly sessions."""
    import datetime as dt

    from rapport.store.clients import add_client
    from rapport.store.permissions import UserRole
    from rapport.store.sessions import SessionRecord, add_session
    from rapport.store.users import add_user, link_supervision

    with record.transaction(None) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with record.transaction("ada") as tx:
        add_user(tx, "tom", UserRole.THERAPIST)
        add_user(tx, "tess", UserRole.THERAPIST)
        add_user(tx, "sam", UserRole.SUPERVISOR)
        link_supervision(tx, "sam", "tom")
    with record.transaction("tom") as tx:
        add_client(tx, "C-1")
        for week in range(8):
            day = dt.date(2026, 2, 2) + dt.timedelta(weeks=week)
            add_session(tx, "C-1", SessionRecord(number=week + 1, date=day))
    return record
