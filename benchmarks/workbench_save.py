"""Coding workbench: how fast one code is saved with many coders coding at once.

Builds a record with one 100-turn session (an invented, model-coded analysis document) and
a coding project with ``--coders`` coders (each a supervisor of the session's therapist, so
the project is not de-identified), serves it with ``rapport serve`` on loopback, and has
every coder code every turn of the session (the coding screen's autosave call,
``POST /api/v1/coding/projects/P/units/U/codes``, one per key press, with an API token),
either as fast as the server answers or ``--think`` seconds apart (a person reads a turn
before pressing a key). Reports the save latency (p50, p95, max) and checks that every
code is in the record. Loopback only, bounded (coders x turns requests).

    python benchmarks/workbench_save.py --coders 20 --turns 100 --think 1 \
        --backends sqlite,postgres

Results and the command: docs/workbench.md ("Speed").
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx
import sqlalchemy as sa
from web_load import PG_ADMIN, percentile, rapport_serve, record_url

from rapport.store.analyses import store_analysis
from rapport.store.clients import add_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.logins import create_api_token
from rapport.store.models import CodingLabel
from rapport.store.permissions import UserRole
from rapport.store.users import add_user, link_supervision


def document(turns: int) -> str:
    rows = []
    for i in range(turns):
        role = "therapist" if i % 2 == 0 else "client"
        text = f"Invented turn {i}: {'how was the week' if role == 'therapist' else 'fine'}."
        rows.append({"index": i, "role": role, "speaker": role[0].upper(), "text": text,
                     "words": 6, "start": 3.0 * i, "end": 3.0 * i + 2.5, "codes": {}})
    return json.dumps({
        "schema_version": "1.0", "rapport_version": "0.1.0",
        "session": {"id": "bench", "date": None, "language": "en", "metadata": {}},
        "speakers": [{"name": "T", "role": "therapist"}, {"name": "C", "role": "client"}],
        "turns": rows, "models": [], "metrics": {}, "sections": {}, "warnings": []})


def prepare(store: Store, coders: int, turns: int) -> tuple[int, int, list[str]]:
    """The project id, its unit id and one API token per coder."""
    from rapport.store.coding import show_project
    from rapport.workbench.codebook import relationship_codebook
    from rapport.workbench.projects import ProjectRequest, create_project

    names = [f"coder{i:02d}" for i in range(coders)]
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "admin", UserRole.ADMIN)
    with store.transaction("admin", interface="system") as tx:
        add_user(tx, "tom", UserRole.THERAPIST)
        for name in names:
            add_user(tx, name, UserRole.SUPERVISOR)
            link_supervision(tx, name, "tom")
    with store.transaction("tom", interface="system") as tx:
        add_client(tx, "B-001")
        add_consent(tx, "B-001", ConsentKind.ANALYSIS, given_on=dt.datetime.now(dt.UTC).date())
        store_analysis(tx, "B-001", 1, document(turns))
        project = create_project(tx, ProjectRequest(
            name="bench", codebook=relationship_codebook(), sessions=[("B-001", 1)],
            coders=names))
        unit = show_project(tx, project).units[0].id
    tokens = []
    for name in names:
        with store.transaction(name, interface="system") as tx:
            tokens.append(create_api_token(tx, "bench")[0])
    return project, unit, tokens


async def code_all(base: str, url: str, token: str, turns: int, latencies: list[float],
                   errors: list[str], think: float) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        for i in range(turns):
            labels = (["affirm"] if i % 4 == 0 else []) if i % 2 == 0 else (
                ["emotional_disclosure"] if i % 3 == 0 else [])
            started = time.perf_counter()
            answer = await client.post(url, json={"turn_index": i, "labels": labels})
            latencies.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                errors.append(f"{answer.status_code} {answer.text[:100]}")
            if think:
                await asyncio.sleep(think)


async def run(base: str, url: str, tokens: list[str], turns: int, think: float
              ) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    await asyncio.gather(*(code_all(base, url, t, turns, latencies, errors, think)
                           for t in tokens))
    return latencies, errors, time.perf_counter() - started


def run_backend(backend: str, args: argparse.Namespace) -> str:
    key = base64.b64encode(os.urandom(32)).decode()
    with tempfile.TemporaryDirectory() as tmp, \
            record_url(backend, Path(tmp), args.pg_admin) as url:
        store = Store(url, key=key)
        store.upgrade()
        project, unit, tokens = prepare(store, args.coders, args.turns)
        path = f"/api/v1/coding/projects/{project}/units/{unit}/codes"
        with rapport_serve(url, key, Path(tmp)) as (base, _pid):
            latencies, errors, took = asyncio.run(run(base, path, tokens, args.turns,
                                                      args.think))
        with store.transaction(None, interface="system") as tx:
            stored = int(tx.db.scalar(sa.select(sa.func.count()).select_from(CodingLabel))
                         or 0)
        store.dispose()
    rate = len(latencies) / took
    return (f"{backend:<9} {args.think:>5.1f} {args.coders:>6} {len(latencies):>6} {rate:>7.1f} "
            f"{percentile(latencies, .5):>8.1f} {percentile(latencies, .95):>8.1f} "
            f"{max(latencies):>8.1f} {len(errors):>6} {stored:>7}"
            + (f"\n  first error: {errors[0]}" if errors else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coders", type=int, default=20)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each coder waits between key presses (0: as fast as "
                        "the server answers)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--pg-admin", default=PG_ADMIN)
    args = parser.parse_args()
    print(f"{'backend':<9} {'think':>5} {'coders':>6} {'saves':>6} {'saves/s':>7} {'p50 ms':>8} "
          f"{'p95 ms':>8} {'max ms':>8} {'errors':>6} {'stored':>7}")
    for backend in args.backends.split(","):
        print(run_backend(backend, args))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
