"""Web load: virtual users on a real ``rapport serve`` over loopback, SQLite and PostgreSQL.

Each virtual user is a therapist with their own sign-in and client. In a loop, waiting
``--think`` seconds between requests, it either views the caseload dashboard (``GET /``)
or runs one feedback cycle: creates a form (``POST /clients/C/sessions/N/feedback``), then,
as the client without a sign-in, opens it (``GET /f/<token>``) and sends it
(``POST /f/<token>``). After ``--duration`` seconds the script counts the check-ins stored in
the record and compares them with the submissions that were answered 303.

Loopback only, bounded (users x duration / think requests at most), nothing leaves the
machine. Results and the exact command: docs/performance.md ("Web load").

    python benchmarks/web_load.py --users 50 --duration 60 --backends sqlite,postgres
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import score
from rapport.store.database import Store
from rapport.store.permissions import UserRole

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
THERAPISTS = 10  # virtual users share these sign-in accounts, one client each
HISTORY = 6  # past sessions per client, each with a PHQ-9 and a check-in (dashboard work)
EXPECTED = {"dashboard": 200, "create": 201, "form": 200, "submit": 303}
TOKEN = re.compile(r'value="https?://[^/"]+/f/([A-Za-z0-9_-]{43})"')
CHECKIN = get_instrument("checkin")


@dataclass
class VirtualUser:
    therapist: str
    code: str
    cookie: str
    csrf: str
    sessions: list[int]  # empty sessions a feedback form may be created for


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    submitted: int = 0  # answered 303: the client was told "thank you"

    def add(self, kind: str, ms: float, ok: bool) -> None:
        self.latencies.setdefault(kind, []).append(ms)
        if not ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


# -- the record ---------------------------------------------------------------------------
def prepare(store: Store, users: int, cycles: int, seed: int = 7) -> list[VirtualUser]:
    """Therapists, one client per virtual user with a questionnaire history, ``cycles``
    empty sessions per client for forms, and a browser sign-in per virtual user."""
    from rapport.caseload import record_response
    from rapport.store.clients import add_client
    from rapport.store.logins import start_web_session
    from rapport.store.sessions import SessionRecord, add_session
    from rapport.store.users import add_user

    rng = random.Random(seed)
    phq9 = get_instrument("phq9")
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "load-admin", UserRole.ADMIN)
    with store.transaction("load-admin", interface="system") as tx:
        for t in range(min(THERAPISTS, users)):
            add_user(tx, f"load-t{t}", UserRole.THERAPIST)
    vus: list[VirtualUser] = []
    for i in range(users):
        therapist, code = f"load-t{i % THERAPISTS}", f"L-{i:03d}"
        with store.transaction(therapist, interface="system") as tx:
            add_client(tx, code)
            for _ in range(HISTORY + cycles):
                add_session(tx, code, SessionRecord(date=None))
            for number in range(1, HISTORY + 1):
                level = max(0, min(3, 2 - number // 3 + rng.choice((-1, 0, 0, 1))))
                record_response(tx, code, phq9, score(phq9, dict.fromkeys(
                    phq9.item_ids, float(level))), session=number)
                record_response(tx, code, CHECKIN, score(CHECKIN, dict.fromkeys(
                    CHECKIN.item_ids, float(rng.randint(5, 10)))), session=number)
            cookie, sign_in = start_web_session(tx, tx.me())
        vus.append(VirtualUser(therapist, code, cookie, sign_in.csrf_token,
                               list(range(HISTORY + 1, HISTORY + cycles + 1))))
    return vus


def stored_checkins(store: Store, vus: list[VirtualUser]) -> int:
    """Check-ins in the record for the sessions the run could fill."""
    from rapport.store.models import Client, QuestionnaireResponse

    with store.transaction(None, interface="system") as tx:
        return int(tx.db.scalar(
            sa.select(sa.func.count()).select_from(QuestionnaireResponse)
            .join(Client, Client.id == QuestionnaireResponse.client_id)
            .where(Client.code.in_([v.code for v in vus]),
                   QuestionnaireResponse.instrument_id == "checkin",
                   QuestionnaireResponse.session_number > HISTORY)) or 0)


# -- the load -----------------------------------------------------------------------------
async def _timed(tally: Tally, kind: str, request: Awaitable[httpx.Response]
                 ) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        response = await request
    except httpx.HTTPError:
        tally.add(kind, (time.perf_counter() - start) * 1000, ok=False)
        return None
    ms = (time.perf_counter() - start) * 1000
    tally.add(kind, ms, ok=response.status_code == EXPECTED[kind])
    return response if response.status_code == EXPECTED[kind] else None


async def _feedback_cycle(http: httpx.AsyncClient, vu: VirtualUser, tally: Tally, think: float,
                          rng: random.Random) -> None:
    number = vu.sessions.pop(0)
    therapist = {"Cookie": f"rapport_session={vu.cookie}"}
    created = await _timed(tally, "create", http.post(
        f"/clients/{vu.code}/sessions/{number}/feedback", headers=therapist,
        data={"instruments": "checkin", "delivery": "link", "csrf_token": vu.csrf}))
    match = TOKEN.search(created.text) if created is not None else None
    if match is None:
        return
    path = f"/f/{match.group(1)}"
    await asyncio.sleep(think)
    if await _timed(tally, "form", http.get(path)) is None:
        return
    await asyncio.sleep(think)
    answers = {f"checkin.{item}": str(rng.randint(0, 10)) for item in CHECKIN.item_ids}
    if await _timed(tally, "submit", http.post(path, data=answers)) is not None:
        tally.submitted += 1


async def _virtual_user(http: httpx.AsyncClient, vu: VirtualUser, tally: Tally, *, deadline: float,
                        think: float, feedback_share: float, seed: int) -> None:
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, think))  # users do not arrive in lockstep
    while time.monotonic() < deadline:
        if vu.sessions and rng.random() < feedback_share:
            await _feedback_cycle(http, vu, tally, think, rng)
        else:
            await _timed(tally, "dashboard", http.get(
                "/", headers={"Cookie": f"rapport_session={vu.cookie}"}))
        await asyncio.sleep(think)


async def _load(base_url: str, vus: list[VirtualUser], *, duration: float, think: float,
                feedback_share: float) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=len(vus) * 2, max_keepalive_connections=len(vus))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0,
                                 follow_redirects=False, cookies=None) as http:
        deadline = time.monotonic() + duration
        await asyncio.gather(*(_virtual_user(http, vu, tally, deadline=deadline, think=think,
                                             feedback_share=feedback_share, seed=i)
                               for i, vu in enumerate(vus)))
    return tally


def run_load(base_url: str, vus: list[VirtualUser], *, duration: float, think: float = 1.0,
             feedback_share: float = 0.3) -> Tally:
    """Drive ``vus`` against the server at ``base_url`` (loopback) for ``duration`` s."""
    if not base_url.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        raise SystemExit("web_load drives a loopback server only")
    return asyncio.run(_load(base_url, vus, duration=duration, think=think,
                             feedback_share=feedback_share))


# -- servers and databases ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def rapport_serve(url: str, key: str, home: Path) -> Iterator[str]:
    """``rapport serve`` in its own process (as deployed), on a free loopback port; its
    log goes to ``home/serve.log`` (a pipe nobody reads could fill and stall it)."""
    port = _free_port()
    env = dict(os.environ, RAPPORT_DATABASE_URL=url, RAPPORT_KEY=key, RAPPORT_HOME=str(home))
    log = home / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "rapport.cli", "serve", "--port",
                                    str(port)], env=env, stdout=sink, stderr=sink)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    httpx.get(base + "/login", timeout=2)
                    break
                except httpx.HTTPError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit("rapport serve did not start:\n"
                                         + log.read_text(errors="replace")) from None
                    time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    errors = log.read_text(errors="replace").count("unhandled")
    if errors:
        print(f"server log: {errors} unhandled errors; see {log}", file=sys.stderr)


@contextmanager
def record_url(backend: str, folder: Path, pg_admin: str) -> Iterator[str]:
    """A fresh record: a SQLite file, or a PostgreSQL database created and dropped here."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite3'}"
        return
    name = f"rapport_load_{secrets.token_hex(4)}"
    admin = sa.create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield pg_admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


# -- report -------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(backend: str, tally: Tally, stored: int, duration: float) -> str:
    lines = [(f"{'backend':<9} {'kind':<10} {'requests':>8} {'req/s':>6} {'p50 ms':>8} "
              f"{'p95 ms':>8} {'max ms':>8} {'errors':>6}")]
    for kind in EXPECTED:
        values = tally.latencies.get(kind, [])
        lines.append(f"{backend:<9} {kind:<10} {len(values):>8} {len(values) / duration:>6.1f} "
                     f"{percentile(values, .5):>8.1f} {percentile(values, .95):>8.1f} "
                     f"{max(values, default=float('nan')):>8.1f} "
                     f"{tally.errors.get(kind, 0):>6}")
    lines.append(f"{backend:<9} submissions answered 303: {tally.submitted}, check-ins in the "
                 f"record: {stored}, lost: {max(0, tally.submitted - stored)}")
    return "\n".join(lines)


def run_backend(backend: str, args: argparse.Namespace) -> str:
    key = base64.b64encode(os.urandom(32)).decode()
    cycles = int(args.duration / args.think) + 2  # more than a user can possibly use
    with tempfile.TemporaryDirectory() as tmp, \
            record_url(backend, Path(tmp), args.pg_admin) as url:
        store = Store(url, key=key)
        store.upgrade()
        started = time.perf_counter()
        vus = prepare(store, args.users, cycles)
        print(f"{backend}: record prepared in {time.perf_counter() - started:.1f} s "
              f"({args.users} users)", file=sys.stderr)
        with rapport_serve(url, key, Path(tmp)) as base:
            tally = run_load(base, vus, duration=args.duration, think=args.think,
                             feedback_share=args.feedback_share)
        stored = stored_checkins(store, vus)
        store.dispose()
    return table(backend, tally, stored, args.duration)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--feedback-share", type=float, default=0.3,
                        help="share of iterations that run a feedback cycle")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-admin", default=PG_ADMIN,
                        help="PostgreSQL URL used to create and drop the load database")
    args = parser.parse_args()
    if not 1 <= args.users <= 500 or not 0 < args.duration <= 600 or args.think < 0.1:
        raise SystemExit("bounded: 1-500 users, up to 600 s, think >= 0.1 s")
    print(f"web load: {args.users} users, {args.duration:g} s, think {args.think:g} s, "
          f"feedback share {args.feedback_share:g}; load average before: "
          f"{os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    for backend in args.backends.split(","):
        print(run_backend(backend.strip(), args), flush=True)


if __name__ == "__main__":
    main()
