"""The populated web record every web test uses: users of every role, clients of two
therapists with a real analysis, sessions and a PHQ-9, and signed-in test clients.

Helpers live here (imported as ``web_world``) and the fixtures in ``conftest.py``, because
``from conftest import ...`` resolves to whichever test folder's conftest was imported first.
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from rapport.caseload import record_response
from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import score
from rapport.settings import Settings
from rapport.store.analyses import store_analysis
from rapport.store.clients import add_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.permissions import UserRole
from rapport.store.sessions import SessionRecord, add_session
from rapport.store.users import add_user, link_supervision

PASSWORD = "correct horse battery"
USERS = {"ada": UserRole.ADMIN, "tom": UserRole.THERAPIST, "tess": UserRole.THERAPIST,
         "sam": UserRole.SUPERVISOR, "sue": UserRole.SUPERVISOR, "rita": UserRole.RESEARCHER,
         "tia": UserRole.TRAINEE}
DAY = dt.date(2026, 1, 6)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@cache
def real_document() -> str:
    """The analysis document of examples/rupture_repair.txt (coded once per run)."""
    from rapport.ingest import load_sessions
    from rapport.pipeline import analyze

    (session,) = load_sessions(EXAMPLES / "rupture_repair.txt").sessions
    return analyze(session).to_json()


@dataclass
class World:
    store: Store
    settings: Settings
    analysis_id: int = 0
    other_analysis_id: int = 0
    clients: dict[str, str] = field(default_factory=dict)  # code -> owner


def populate(store: Store) -> World:
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "ada", UserRole.ADMIN, password=PASSWORD)
    with store.transaction("ada", interface="system") as tx:
        for name, role in USERS.items():
            if name != "ada":
                add_user(tx, name, role, password=PASSWORD, display_name=name.title())
        link_supervision(tx, "sam", "tom")
        link_supervision(tx, "sam", "tia")
    world = World(store=store, settings=Settings())
    phq9 = get_instrument("phq9")
    for owner, code in (("tom", "C-001"), ("tess", "C-900")):
        with store.transaction(owner, interface="system") as tx:
            add_client(tx, code, identity={"name": f"Person {code}"}, notes="invented")
            for kind in ConsentKind:
                add_consent(tx, code, kind, given_on=DAY)
            analysis = store_analysis(tx, code, 1, real_document(), session_date=DAY)
            add_session(tx, code, SessionRecord(number=2, date=DAY))
            record_response(tx, code, phq9, score(phq9, dict.fromkeys(phq9.item_ids, 1.0)),
                            session=1)
        world.clients[code] = owner
        if owner == "tom":
            world.analysis_id = analysis
        else:
            world.other_analysis_id = analysis
    return world


@contextmanager
def world_at(url: str, folder: Path) -> Iterator[World]:
    """A populated record at ``url`` with a fresh key (``folder``: its RAPPORT_HOME)."""
    key = base64.b64encode(os.urandom(32)).decode()
    store = Store(url, key=key)
    try:
        store.upgrade()
        world = populate(store)
        world.settings = Settings(home=folder, database_url=url, key=key)
        yield world
    finally:
        store.dispose()


_client_numbers = itertools.count(1)


def new_client_of_tom(world: World, sessions: int = 3, prefix: str = "S") -> str:
    """A fresh client of tom's (``S-001``, ``S-002``... unique in the run) with
    ``sessions`` dated sessions, for a test that must not meet another test's data."""
    code = f"{prefix}-{next(_client_numbers):03d}"
    with world.store.transaction("tom", interface="system") as tx:
        add_client(tx, code)
        for number in range(1, sessions + 1):
            add_session(tx, code, SessionRecord(number=number, date=DAY))
    return code


def new_client(app: FastAPI) -> TestClient:
    # https: the session cookie is Secure, and a cookie jar only returns it over TLS.
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def sign_in(app: FastAPI, username: str, password: str = PASSWORD) -> TestClient:
    client = new_client(app)
    page = client.get("/login")
    token = page.cookies.get("rapport_login_csrf") or client.cookies.get("rapport_login_csrf")
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token or ""})
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(client: TestClient) -> str:
    """The signed-in page's CSRF token, read from a page's form like a browser would."""
    import re

    page = client.get("/account/password")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


