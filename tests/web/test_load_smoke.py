"""Five seconds of the web load benchmark (benchmarks/web_load.py) against a live uvicorn
server on SQLite and PostgreSQL: concurrent dashboards, client and session pages and feedback
cycles give zero errors and lose no submission. Timing is reported by the benchmark, never
asserted here."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from backends import BACKENDS, backend_url
from live_server import live_server

from rapport.settings import Settings
from rapport.store.database import Store

pytestmark = pytest.mark.slow

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "web_load.py"


@pytest.fixture(scope="module")
def web_load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("web_load", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_load"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, Settings]]:
    import base64
    import os

    key = base64.b64encode(os.urandom(32)).decode()
    with backend_url(request, tmp_path) as url:
        store = Store(url, key=key)
        store.upgrade()
        yield store, Settings(home=tmp_path, database_url=url, key=key)
        store.dispose()


def test_five_seconds_of_load_lose_nothing(web_load: ModuleType,
                                           store: tuple[Store, Settings]) -> None:
    record, settings = store
    users = web_load.prepare(record, users=8, cycles=12, therapists=2, clients=4)
    with live_server(settings, record) as server:
        tally = web_load.run_load(server.url, users, duration=5, think=0.3)
    stored = web_load.stored_checkins(record, users)
    assert tally.errors == {}, web_load.table("smoke", tally, stored, 5)
    assert tally.submitted > 0
    assert all(tally.latencies.get(kind) for kind in ("dashboard", "client", "session"))
    assert stored == tally.submitted  # nothing lost, nothing stored twice
