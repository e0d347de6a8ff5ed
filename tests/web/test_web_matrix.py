"""The security matrix: every role against every route and method, on SQLite and PostgreSQL.

The expected access comes from access_table.ACCESS, written independently of the code that
enforces it. Allowed calls must work (2xx; pages may redirect), anonymous calls get 401
(API) or a redirect to the login page, and everyone else gets 404 -- never 403 (that would
confirm the thing exists) and never 500. A refused write must leave the record unchanged.

Each case signs in afresh through ``start_web_session`` (the function the login form uses;
an argon2 verification per case would be slow) so that cases such as "sign out" or "change
password" cannot disturb each other; test_web_auth.py covers the login form itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from access_table import (
    ACCESS,
    ADMIN,
    CLIENT_COMMENT,
    CLIENT_READ,
    CLIENT_WRITE,
    CLINICIAN,
    CODING_ADJUDICATOR,
    CODING_MAKER,
    CODING_MANAGER,
    CODING_MEMBER,
    PRACTICE_REVIEWER,
    PRACTISER,
    PUBLIC,
    RESEARCHER,
    SIGNED_IN,
    THERAPIST,
    TIAS_PRACTICE,
    TIAS_REVIEWER,
)
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_requests import Call, fill_path, request_kwargs, snapshot, writes_since
from web_world import USERS, World, new_client

from rapport.store.logins import create_api_token, start_web_session
from rapport.web.routes import route_table

ANONYMOUS = "anonymous"
#: Token variants sign in with ``Authorization: Bearer`` instead of the cookie.
TOKEN_ROLES = {"tom+token": "tom", "sam+token": "sam"}
ROLES = [ANONYMOUS, *USERS, *TOKEN_ROLES]

#: Who each rule admits (users from conftest.World).
ALLOWED: dict[str, frozenset[str | None]] = {
    PUBLIC: frozenset([*USERS, None]),
    SIGNED_IN: frozenset(USERS),
    CLIENT_READ: frozenset({"tom", "sam"}),
    CLIENT_WRITE: frozenset({"tom"}),
    CLIENT_COMMENT: frozenset({"tom", "sam"}),
    THERAPIST: frozenset({"tom", "tess"}),
    CLINICIAN: frozenset({"tom", "tess", "sam", "sue"}),
    RESEARCHER: frozenset({"rita"}),
    ADMIN: frozenset({"ada"}),
    CODING_MEMBER: frozenset({"tom", "sam"}),
    CODING_ADJUDICATOR: frozenset({"tom"}),
    CODING_MANAGER: frozenset({"tom", "ada"}),
    CODING_MAKER: frozenset(USERS) - {"tia"},
    PRACTISER: frozenset({"tom", "tess", "tia"}),
    PRACTICE_REVIEWER: frozenset({"sam", "sue", "ada"}),
    TIAS_PRACTICE: frozenset({"tia", "sam", "ada"}),
    TIAS_REVIEWER: frozenset({"sam", "ada"}),
}


def test_access_table_names_every_route(app: FastAPI) -> None:
    routes = {(r.method, r.path) for r in route_table(app)}
    missing = sorted(routes - set(ACCESS))
    stale = sorted(set(ACCESS) - routes)
    assert not missing, f"routes without a row in tests/web/access_table.py: {missing}"
    assert not stale, f"rows in tests/web/access_table.py for routes that are gone: {stale}"


def test_every_rule_is_known() -> None:
    assert set(ACCESS.values()) <= set(ALLOWED), set(ACCESS.values()) - set(ALLOWED)


@dataclass(frozen=True)
class Browser:
    """One role's way in: a cookie sign-in (with its CSRF token) or an API token."""

    username: str | None
    session_cookie: str | None = None
    csrf: str | None = None
    api_token: str | None = None

    def headers(self, method: str) -> dict[str, str]:
        if self.api_token:
            return {"Authorization": f"Bearer {self.api_token}"}
        if self.csrf and method != "GET":
            return {"X-CSRF-Token": self.csrf}
        return {}


@pytest.fixture
def api_tokens(world: World) -> dict[str, str]:
    # Fresh tokens for each case: a password change (a route of the matrix too) revokes
    # every token of its user, by design.
    tokens = {}
    for role, username in TOKEN_ROLES.items():
        with world.store.transaction(username, interface="system") as tx:
            tokens[role], _ = create_api_token(tx, f"matrix-{role}")
    return tokens


def browser_of(role: str, world: World, api_tokens: dict[str, str]) -> Browser:
    if role == ANONYMOUS:
        return Browser(None)
    if role in TOKEN_ROLES:
        return Browser(TOKEN_ROLES[role], api_token=api_tokens[role])
    from rapport.store.models import User

    with world.store.transaction(role, interface="web") as tx:
        actor = tx.me()
        assert tx.db.get(User, actor.id) is not None
        cookie, sign_in = start_web_session(tx, actor)
    return Browser(role, session_cookie=cookie, csrf=sign_in.csrf_token)


@pytest.fixture(scope="module", autouse=True)
def jobs_stay_queued(app: FastAPI, world: World) -> None:
    """Queued analyses are not run here: a runner writing in the background would blur
    which request wrote what (the row counts and audit rows compared below)."""
    from rapport.jobs.runner import JobRunner

    app.state.jobs = JobRunner(world.store, {}, autostart=False)


@pytest.fixture
def fresh_client(app: FastAPI) -> Iterator[TestClient]:
    with new_client(app) as client:
        yield client


CASES = [pytest.param(role, method, path, id=f"{role}-{method}-{path}")
         for (method, path) in sorted(ACCESS) for role in ROLES]


@pytest.mark.parametrize(("role", "method", "path"), CASES)
def test_role_against_route(role: str, method: str, path: str, world: World,
                            fresh_client: TestClient, api_tokens: dict[str, str]) -> None:
    browser = browser_of(role, world, api_tokens)
    if browser.session_cookie:
        fresh_client.cookies.set("rapport_session", browser.session_cookie)
    call = Call(world, fresh_client, browser.username)
    kwargs = request_kwargs(method, path, call)  # first: it may choose path values
    url = fill_path(path, call)
    before = snapshot(world)
    answer = fresh_client.request(method, url, headers=browser.headers(method), **kwargs)
    status = answer.status_code
    where = f"{role} {method} {url}: {status} {answer.text[:300]}"
    assert status != 500, where
    assert status != 403, where  # "exists but not yours" must never be told apart
    api = path.startswith("/api/")
    if browser.username in ALLOWED[ACCESS[method, path]]:
        redirect_ok = not api and status == 303 and (
            method != "GET" or not answer.headers["location"].startswith("/login"))
        assert 200 <= status < 300 or redirect_ok, where
        if api:
            assert answer.json()["ok"] is True, where
        return
    if browser.username is None:
        if api:
            assert status == 401, where
            assert answer.json()["code"] == "unauthenticated", where
        else:
            assert status == 303, where
            assert answer.headers["location"].startswith("/login?next="), where
    else:
        assert status == 404, where
        if api:
            body = answer.json()
            assert (body["ok"], body["code"], body["status"]) == (False, "not_found", 404), \
                where
    if method != "GET":
        after = snapshot(world)
        assert after.counts == before.counts, where
        assert writes_since(world, before) == [], where
