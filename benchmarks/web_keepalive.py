"""Idle connections: does a request on a connection kept open by the client fail when it
meets the server closing that connection?

An HTTP/1.1 server closes a kept-alive connection after it has been idle a while; a client
that sends its next request at that moment has it reset (``ReadError``) or unanswered
(``RemoteProtocolError``). This probe starts a real ``rapport serve`` (as web_load.py
does), then for each idle time of the grid opens ``--pairs`` connections at once, each
sending ``GET /login``, waiting the idle time (± ``--jitter``, drawn uniformly) and sending
it again on the same client, and counts how the second request ended. It runs the grid
twice: with httpx's default pool (idle connections dropped by the client after 5 s) and
with a client that keeps idle connections for ever (as ``requests``/urllib3 does). On an
idle machine the two ends rarely meet; ``--busy N`` keeps N processes spinning on the CPU
meanwhile, as the load benchmark's server, database and generator do. Loopback only.
Results: docs/performance.md ("Idle connections").

    python benchmarks/web_keepalive.py --pairs 150 --busy 3
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import multiprocessing
import os
import random
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from web_load import rapport_serve  # this folder is on sys.path when run as a script

from rapport.store.database import Store

#: Idle times (each ± --jitter) around uvicorn's default keep-alive (5 s), httpx's pool
#: expiry (5 s) and the header deadline (10 s).
GRID = (3.0, 4.8, 4.9, 5.0, 7.5, 9.8, 9.9, 10.0, 12.5)
#: The two kinds of client: httpx's default pool, and one that never drops a connection.
CLIENTS = {"httpx default (drops idle after 5 s)": 5.0, "kept for ever (requests-like)": None}


async def _pair(base: str, idle: float, expiry: float | None) -> str:
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1,
                          keepalive_expiry=expiry)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10.0) as http:
        first = await http.get("/login")
        if first.status_code != 200:
            return f"first answered {first.status_code}"
        await asyncio.sleep(idle)
        try:
            second = await http.get("/login")
        except httpx.HTTPError as exc:
            return type(exc).__name__
        return "ok" if second.status_code == 200 else f"answered {second.status_code}"


async def _round(base: str, idle: float, pairs: int, jitter: float, expiry: float | None,
                 rng: random.Random) -> Counter[str]:
    waits = [max(0.0, idle + rng.uniform(-jitter, jitter)) for _ in range(pairs)]
    return Counter(await asyncio.gather(*(_pair(base, w, expiry) for w in waits)))


def _spin() -> None:
    while True:
        pass


@contextmanager
def busy(processes: int) -> Iterator[None]:
    """``processes`` processes spinning on the CPU until the block ends."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(processes)]
    for spinner in spinners:
        spinner.start()
    try:
        yield
    finally:
        for spinner in spinners:
            spinner.terminate()
            spinner.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=40, help="connections per idle time")
    parser.add_argument("--jitter", type=float, default=0.05, help="± seconds on each idle")
    parser.add_argument("--busy", type=int, default=0,
                        help="processes spinning on the CPU during the probe (a loaded machine)")
    parser.add_argument("--server-workers", type=int, default=0,
                        help="rapport serve --workers N (0: its default)")
    args = parser.parse_args()
    if not 1 <= args.pairs <= 200 or not 0 <= args.jitter <= 1 or not 0 <= args.busy <= 16:
        raise SystemExit("bounded: 1-200 pairs, jitter 0-1 s, 0-16 busy processes")
    rng = random.Random(7)
    key = base64.b64encode(os.urandom(32)).decode()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'idle.sqlite3'}"
        store = Store(url, key=key)
        store.upgrade()
        store.dispose()
        with rapport_serve(url, key, Path(tmp), args.server_workers) as (base, _pid), \
                busy(args.busy):
            print(f"idle connections: {args.pairs} pairs per idle time, jitter "
                  f"±{args.jitter:g} s, server workers {args.server_workers or 'default'}, "
                  f"{args.busy} busy processes, cores {os.cpu_count()}")
            print(f"{'client':<40} {'idle s':>6}  outcomes of the second request")
            for name, expiry in CLIENTS.items():
                for idle in GRID:
                    got = asyncio.run(_round(base, idle, args.pairs, args.jitter, expiry, rng))
                    shown = ", ".join(f"{n} {k}" for k, n in sorted(got.items()))
                    print(f"{name:<40} {idle:>6.1f}  {shown}", flush=True)


if __name__ == "__main__":
    main()
