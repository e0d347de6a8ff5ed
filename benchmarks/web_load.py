"""Web load: virtual users on a real ``rapport serve`` over loopback, SQLite and PostgreSQL.

Pinned so that runs compare: the record (5 therapists x 30 clients x 8 sessions, each
session with a PHQ-9 and a check-in), the mix (per iteration 40% caseload dashboard
``GET /``, 20% client page, 20% session page, 20% one feedback cycle: the therapist
creates a form, then the client opens and sends it without a sign-in), a warm-up whose
requests are not counted, the measured duration, and the generator: this script's one
process (an asyncio loop) on the same machine as the server. Each virtual user is signed
in as one of the 5 therapists and works on a client of theirs, waiting ``--think``
seconds between requests. Afterwards the check-ins stored are compared with the
submissions answered 303 (warm-up included), and each kind of request is replayed 20
times in a row on the idle server to measure the server's CPU time per request (all its
processes, from /proc): the last column.

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
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import score
from rapport.store.database import Store
from rapport.store.permissions import UserRole

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
THERAPISTS = 5  # virtual users share these sign-in accounts
CLIENTS = 30  # per therapist: the caseload each dashboard shows
HISTORY = 8  # sessions per client, each with a PHQ-9 and a check-in
#: Share of iterations of each kind (pinned; "feedback" is one create-open-send cycle).
MIX = {"dashboard": 0.4, "client": 0.2, "session": 0.2, "feedback": 0.2}
EXPECTED = {"dashboard": 200, "client": 200, "session": 200, "create": 201, "form": 200,
            "submit": 303}
CPU_REPEATS = 20  # requests of each kind replayed one at a time to measure server CPU
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
    #: what the errors were: an unexpected status, or the exception the client raised
    reasons: dict[str, int] = field(default_factory=dict)
    submitted: int = 0  # answered 303: the client was told "thank you"

    def add(self, kind: str, ms: float, ok: bool, reason: str = "") -> None:
        self.latencies.setdefault(kind, []).append(ms)
        if not ok:
            self.errors[kind] = self.errors.get(kind, 0) + 1
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


# -- the record ---------------------------------------------------------------------------
def prepare(store: Store, users: int, cycles: int, seed: int = 7, *,
            therapists: int = THERAPISTS, clients: int = CLIENTS,
            history: int = HISTORY) -> list[VirtualUser]:
    """``therapists`` with ``clients`` clients each, every client with ``history`` sessions
    holding a PHQ-9 and a check-in; virtual user i signs in as therapist i % therapists
    and works on a client of theirs, which gets ``cycles`` empty sessions for forms."""
    from rapport.caseload import record_response
    from rapport.store.clients import add_client
    from rapport.store.logins import start_web_session
    from rapport.store.sessions import SessionRecord, add_session, import_sessions
    from rapport.store.users import add_user

    if users > therapists * clients:
        raise SystemExit(f"at most {therapists * clients} users (one client each)")
    rng = random.Random(seed)
    phq9 = get_instrument("phq9")
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "load-admin", UserRole.ADMIN)
    with store.transaction("load-admin", interface="system") as tx:
        for t in range(therapists):
            add_user(tx, f"load-t{t}", UserRole.THERAPIST)
    for t in range(therapists):
        with store.transaction(f"load-t{t}", interface="system") as tx:
            for c in range(clients):
                code = f"L-{t}-{c:03d}"
                add_client(tx, code)
                for number in range(1, history + 1):
                    add_session(tx, code, SessionRecord(date=None))
                    level = max(0, min(3, 2 - number // 3 + rng.choice((-1, 0, 0, 1))))
                    record_response(tx, code, phq9, score(phq9, dict.fromkeys(
                        phq9.item_ids, float(level))), session=number)
                    record_response(tx, code, CHECKIN, score(CHECKIN, dict.fromkeys(
                        CHECKIN.item_ids, float(rng.randint(5, 10)))), session=number)
    vus: list[VirtualUser] = []
    for i in range(users):
        therapist, code = f"load-t{i % therapists}", f"L-{i % therapists}-{i // therapists:03d}"
        with store.transaction(therapist, interface="system") as tx:
            import_sessions(tx, code, [SessionRecord(date=None) for _ in range(cycles)])
            cookie, sign_in = start_web_session(tx, tx.me())
        vus.append(VirtualUser(therapist, code, cookie, sign_in.csrf_token,
                               list(range(history + 1, history + cycles + 1))))
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
    except httpx.HTTPError as exc:
        tally.add(kind, (time.perf_counter() - start) * 1000, ok=False,
                  reason=exc.__class__.__name__)
        return None
    ms = (time.perf_counter() - start) * 1000
    tally.add(kind, ms, ok=response.status_code == EXPECTED[kind],
              reason=f"HTTP {response.status_code}")
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
                        think: float, mix: dict[str, float], seed: int) -> None:
    rng = random.Random(seed)
    signed_in = {"Cookie": f"rapport_session={vu.cookie}"}
    kinds, weights = list(mix), list(mix.values())
    await asyncio.sleep(rng.uniform(0, think))  # users do not arrive in lockstep
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        if kind == "feedback" and vu.sessions:
            await _feedback_cycle(http, vu, tally, think, rng)
        elif kind == "client":
            await _timed(tally, "client", http.get(f"/clients/{vu.code}", headers=signed_in))
        elif kind == "session":
            await _timed(tally, "session", http.get(
                f"/clients/{vu.code}/sessions/{rng.randint(1, HISTORY)}", headers=signed_in))
        else:
            await _timed(tally, "dashboard", http.get("/", headers=signed_in))
        await asyncio.sleep(think)


async def _load(base_url: str, vus: list[VirtualUser], *, duration: float, think: float,
                mix: dict[str, float]) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=len(vus) * 2, max_keepalive_connections=len(vus))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30.0,
                                 follow_redirects=False, cookies=None) as http:
        deadline = time.monotonic() + duration
        await asyncio.gather(*(_virtual_user(http, vu, tally, deadline=deadline, think=think,
                                             mix=mix, seed=i)
                               for i, vu in enumerate(vus)))
    return tally


def run_load(base_url: str, vus: list[VirtualUser], *, duration: float, think: float = 1.0,
             mix: dict[str, float] | None = None) -> Tally:
    """Drive ``vus`` against the server at ``base_url`` (loopback) for ``duration`` s."""
    if not base_url.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        raise SystemExit("web_load drives a loopback server only")
    return asyncio.run(_load(base_url, vus, duration=duration, think=think, mix=mix or MIX))


# -- server CPU per request ---------------------------------------------------------------
def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of process ``pid`` and every live process under it."""
    ticks = os.sysconf("SC_CLK_TCK")
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry.name)] = int(fields[1])
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    tree, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        children = [p for p, pp in parent.items() if pp == current and p not in tree]
        tree.update(children)
        frontier += children
    return sum(cpu.get(p, 0.0) for p in tree)


def cpu_per_request(base_url: str, server_pid: int, vu: VirtualUser) -> dict[str, float]:
    """Server CPU milliseconds per request of each kind: CPU_REPEATS requests of one kind
    in a row on the otherwise idle server, its processes' CPU time before and after."""
    signed_in = {"Cookie": f"rapport_session={vu.cookie}"}
    out: dict[str, float] = {}
    with httpx.Client(base_url=base_url, timeout=60.0, follow_redirects=False) as http:

        def measure(kind: str, send: Callable[[int], httpx.Response | None]) -> list[Any]:
            send(0)  # once unmeasured: nothing first-time (imports, caches) is counted
            before = process_tree_cpu(server_pid)
            answers = [send(i + 1) for i in range(CPU_REPEATS)]
            out[kind] = (process_tree_cpu(server_pid) - before) * 1000 / CPU_REPEATS
            return answers

        measure("dashboard", lambda _: http.get("/", headers=signed_in))
        measure("client", lambda _: http.get(f"/clients/{vu.code}", headers=signed_in))
        measure("session", lambda i: http.get(
            f"/clients/{vu.code}/sessions/{1 + i % HISTORY}", headers=signed_in))
        spare = vu.sessions[:CPU_REPEATS + 1]
        if len(spare) <= CPU_REPEATS:
            return out
        created = measure("create", lambda i: http.post(
            f"/clients/{vu.code}/sessions/{spare[i]}/feedback", headers=signed_in,
            data={"instruments": "checkin", "delivery": "link", "csrf_token": vu.csrf}))
        paths = [f"/f/{m.group(1)}" for r in [None, *created]
                 if r is not None and (m := TOKEN.search(r.text))]
        if len(paths) < CPU_REPEATS:
            return out
        measure("form", lambda i: http.get(paths[max(0, i - 1)]))
        answers = {f"checkin.{item}": "5" for item in CHECKIN.item_ids}
        measure("submit", lambda i: http.post(paths[max(0, i - 1)], data=answers))
    return out


# -- servers and databases ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def rapport_serve(url: str, key: str, home: Path, workers: int = 0
                  ) -> Iterator[tuple[str, int]]:
    """``rapport serve`` in its own process (as deployed), on a free loopback port, with
    ``--workers`` when ``workers`` is given (0: the flag left out, for versions before
    it); yields its URL and process id. Its log goes to ``home/serve.log`` (a pipe
    nobody reads could fill and stall it)."""
    port = _free_port()
    env = dict(os.environ, RAPPORT_DATABASE_URL=url, RAPPORT_KEY=key, RAPPORT_HOME=str(home))
    log = home / "serve.log"
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        extra = ["--workers", str(workers)] if workers else []
        process = subprocess.Popen([sys.executable, "-m", "rapport.cli", "serve", "--port",
                                    str(port), *extra], env=env, stdout=sink, stderr=sink)
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
            yield base, process.pid
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


def table(backend: str, tally: Tally, stored: int, duration: float,
          cpu_ms: dict[str, float] | None = None) -> str:
    cpu_ms = cpu_ms or {}
    lines = [(f"{'backend':<9} {'kind':<10} {'requests':>8} {'req/s':>6} {'p50 ms':>8} "
              f"{'p95 ms':>8} {'max ms':>8} {'errors':>6} {'cpu ms':>7}")]
    for kind in EXPECTED:
        values = tally.latencies.get(kind, [])
        lines.append(f"{backend:<9} {kind:<10} {len(values):>8} {len(values) / duration:>6.1f} "
                     f"{percentile(values, .5):>8.1f} {percentile(values, .95):>8.1f} "
                     f"{max(values, default=float('nan')):>8.1f} "
                     f"{tally.errors.get(kind, 0):>6} {cpu_ms.get(kind, float('nan')):>7.1f}")
    lines.append(f"{backend:<9} submissions answered 303: {tally.submitted}, check-ins in the "
                 f"record: {stored}, lost: {max(0, tally.submitted - stored)}")
    if tally.reasons:
        lines.append(f"{backend:<9} errors: " + ", ".join(
            f"{n} {reason}" for reason, n in sorted(tally.reasons.items())))
    return "\n".join(lines)


def run_backend(backend: str, args: argparse.Namespace) -> str:
    key = base64.b64encode(os.urandom(32)).decode()
    # more than a user can possibly use, and spare sessions for the CPU replay
    cycles = int((args.warmup + args.duration) / args.think) + CPU_REPEATS + 3
    with tempfile.TemporaryDirectory() as tmp, \
            record_url(backend, Path(tmp), args.pg_admin) as url:
        store = Store(url, key=key)
        store.upgrade()
        started = time.perf_counter()
        vus = prepare(store, args.users, cycles)
        print(f"{backend}: record prepared in {time.perf_counter() - started:.1f} s "
              f"({args.users} users)", file=sys.stderr)
        with rapport_serve(url, key, Path(tmp), args.server_workers) as (base, pid):
            warm = run_load(base, vus, duration=args.warmup, think=args.think)
            load_start = os.getloadavg()[0]
            cpu_before, mine_before = process_tree_cpu(pid), time.process_time()
            tally = run_load(base, vus, duration=args.duration, think=args.think)
            server_cpu = process_tree_cpu(pid) - cpu_before
            generator_cpu = time.process_time() - mine_before
            load_end = os.getloadavg()[0]
            stored = stored_checkins(store, vus)  # before the replay adds its own
            cpu_ms = cpu_per_request(base, pid, vus[0])
        store.dispose()
    requests = sum(len(v) for v in tally.latencies.values())
    tally.submitted += warm.submitted  # every answered submission must be in the record
    return (f"{backend}: load average {load_start:.2f} at the start, {load_end:.2f} at the end "
            f"of the measured {args.duration:g} s; server CPU {server_cpu:.1f} s "
            f"({server_cpu * 1000 / max(1, requests):.1f} ms per request under load), "
            f"generator CPU {generator_cpu:.1f} s; warm-up errors {warm.error_count}\n"
            + table(backend, tally, stored, args.duration, cpu_ms))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=10.0,
                        help="seconds of load before the measured part (not counted)")
    parser.add_argument("--think", type=float, default=1.0, help="seconds between requests")
    parser.add_argument("--server-workers", type=int, default=0,
                        help="rapport serve --workers N (0: leave the flag out, as before "
                        "it existed; the server then picks its default)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-admin", default=PG_ADMIN,
                        help="PostgreSQL URL used to create and drop the load database")
    args = parser.parse_args()
    if (not 1 <= args.users <= THERAPISTS * CLIENTS or not 0 < args.duration <= 600
            or args.think < 0.1 or not 0 <= args.warmup <= 120):
        raise SystemExit(f"bounded: 1-{THERAPISTS * CLIENTS} users, up to 600 s, warm-up up "
                         "to 120 s, think >= 0.1 s")
    print(f"web load: {args.users} users, {args.warmup:g} s warm-up + {args.duration:g} s, "
          f"think {args.think:g} s, mix {MIX}; record {THERAPISTS} therapists x {CLIENTS} "
          f"clients x {HISTORY} sessions; server workers "
          f"{args.server_workers or 'default'}; generator: this process (pid {os.getpid()}); "
          f"load average before: {os.getloadavg()[0]:.2f}; cores: {os.cpu_count()}")
    for backend in args.backends.split(","):
        print(run_backend(backend.strip(), args), flush=True)


if __name__ == "__main__":
    main()
