"""``rapport serve --workers 2``: two real server processes on one record (SQLite and
PostgreSQL). Password attempts are checked and counted one at a time per user and address
across the processes (the lockout starts after exactly the configured number of failures,
however the attempts are spread), and a sign-in used by both processes at once stays
valid, with its last use moved forward only."""

from __future__ import annotations

import base64
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from backends import BACKENDS, backend_url

from rapport.store.database import Store
from rapport.store.logins import TOUCH_EVERY, start_web_session
from rapport.store.models import LoginThrottle, WebSession
from rapport.store.permissions import UserRole
from rapport.store.users import add_user

pytestmark = pytest.mark.slow

MAX_FAILURES = 4


@dataclass
class Served:
    url: str
    store: Store
    pid: int


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers_of(pid: int) -> list[int]:
    """The server processes uvicorn started under ``pid`` (its spawned children that
    serve; the multiprocessing resource tracker is not one)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmd = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"spawn_main" in cmd:
            found.append(int(entry.name))
    return found


@pytest.fixture(params=BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Served]:
    key = base64.b64encode(os.urandom(32)).decode()
    with backend_url(request, tmp_path) as url:
        store = Store(url, key=key)
        store.upgrade()
        with store.transaction(None, interface="system") as tx:
            add_user(tx, "ada", UserRole.ADMIN)
        with store.transaction("ada", interface="system") as tx:
            add_user(tx, "tom", UserRole.THERAPIST, password="the right password")
        port = _free_port()
        env = dict(os.environ, RAPPORT_DATABASE_URL=url, RAPPORT_KEY=key,
                   RAPPORT_HOME=str(tmp_path), RAPPORT_LOGIN_MAX_FAILURES=str(MAX_FAILURES))
        log = (tmp_path / "serve.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", "rapport.cli", "serve", "--port",
                                    str(port), "--workers", "2"], env=env, stdout=log,
                                   stderr=log, start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 240  # two fresh processes, on a busy machine
            while len(_workers_of(process.pid)) < 2 or not _answers(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("rapport serve --workers 2 did not start: "
                                + (tmp_path / "serve.log").read_text(errors="replace"))
                time.sleep(0.2)
            yield Served(base, store, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:  # its workers too: they are in its group
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()
            store.dispose()


def _answers(base: str) -> bool:
    try:
        return httpx.get(base + "/login", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def _attempt(base: str, password: str) -> int:
    """One sign-in attempt on its own connection (so the two processes share them)."""
    with httpx.Client(base_url=base, timeout=60) as web:
        token = web.get("/login").cookies["rapport_login_csrf"]
        return web.post("/login", data={"username": "tom", "password": password,
                                        "csrf_token": token},
                        headers={"cookie": f"rapport_login_csrf={token}"}).status_code


def test_two_workers_serve_one_record(served: Served) -> None:
    assert len(_workers_of(served.pid)) == 2
    assert _attempt(served.url, "the right password") == 303


def test_lockout_counts_every_attempt_across_processes(served: Served) -> None:
    attempts = 3 * MAX_FAILURES
    with ThreadPoolExecutor(attempts) as pool:
        answers = list(pool.map(lambda _: _attempt(served.url, "a wrong password"),
                                range(attempts)))
    # exactly MAX_FAILURES passwords were checked; every later attempt met the lockout
    assert sorted(answers) == [401] * MAX_FAILURES + [429] * (attempts - MAX_FAILURES)
    with served.store.transaction(None, interface="system") as tx:
        rows = {r.key: r for r in tx.db.scalars(sa.select(LoginThrottle))}
    assert rows["user:tom"].locked_until is not None
    assert rows["ip:127.0.0.1"].locked_until is not None
    # the right password does not get through a lockout either
    assert _attempt(served.url, "the right password") == 429


def test_a_sign_in_used_by_both_processes_at_once_stays_valid(served: Served) -> None:
    with served.store.transaction("tom", interface="system") as tx:
        cookie, sign_in = start_web_session(tx, tx.me())
    stale = dt.datetime.now(dt.UTC) - 2 * TOUCH_EVERY
    with served.store.transaction(None, interface="system") as tx:
        tx.db.execute(sa.update(WebSession).where(WebSession.id == sign_in.id)
                      .values(last_seen_at=stale))
    before = dt.datetime.now(dt.UTC)

    def dashboard(_: int) -> int:
        with httpx.Client(base_url=served.url, timeout=60) as web:
            return web.get("/", headers={"cookie": f"rapport_session={cookie}"}).status_code

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(dashboard, range(32)))
    assert answers == [200] * 32
    # a touch may be skipped while another process writes (the next request writes it):
    # one request on a quiet record always does
    assert dashboard(0) == 200
    with served.store.transaction(None, interface="system") as tx:
        row = tx.db.get(WebSession, sign_in.id)
        assert row is not None
        assert row.ended_at is None and row.last_seen_at >= before - dt.timedelta(seconds=1)
