"""Sign-in security: cookie flags, CSRF, login throttling, sign-out, expiry, password change,
deactivated users, the ``next`` redirect and the audit trail of API calls.

Times are moved by editing the record's rows (a sign-in's timestamps, a lockout's end),
never by sleeping. Each brute-force test uses its own client address, because failures
also count against the address and the module shares one record.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
from access_table import ACCESS, CLIENT_COMMENT, CLIENT_READ, CLIENT_WRITE
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_requests import Call, fill_path
from web_world import PASSWORD, World, csrf_of, new_client, sign_in

from rapport.store.logins import create_api_token
from rapport.store.models import AuditEntry, Client, LoginThrottle, User, WebSession
from rapport.store.permissions import UserRole
from rapport.store.users import add_user


def client_at(app: FastAPI, address: str) -> TestClient:
    """A browser at ``address`` (the lockout also counts per address)."""
    return TestClient(app, base_url="https://testserver", follow_redirects=False,
                      client=(address, 50000))


def login_token(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200, page.text[:300]
    token = client.cookies.get("rapport_login_csrf")
    assert token
    return token


def try_login(client: TestClient, username: str, password: str, **extra: str) -> int:
    token = login_token(client)
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf_token": token, **extra})
    return answer.status_code


def add_person(world: World, username: str, role: UserRole = UserRole.THERAPIST) -> None:
    with world.store.transaction("ada", interface="system") as tx:
        add_user(tx, username, role, password=PASSWORD)


def set_rows(world: World, statement: sa.Update) -> None:
    with world.store.transaction(None, interface="system") as tx:
        tx.db.execute(statement)


def session_cookie(client: TestClient) -> str:
    value = client.cookies.get("rapport_session")
    assert value
    return value


# -- cookies ---------------------------------------------------------------------------------
def _set_cookie(headers: list[str], name: str) -> str:
    (line,) = [h for h in headers if h.startswith(f"{name}=")]
    return line


def test_session_cookie_flags(app: FastAPI) -> None:
    client = new_client(app)
    token = login_token(client)
    answer = client.post("/login", data={"username": "tom", "password": PASSWORD,
                                         "csrf_token": token})
    assert answer.status_code == 303
    cookie = _set_cookie(answer.headers.get_list("set-cookie"), "rapport_session")
    attributes = {part.strip().split("=")[0].lower(): part.strip()
                  for part in cookie.split(";")[1:]}
    assert "secure" in attributes and "httponly" in attributes, cookie
    assert attributes["samesite"].lower() == "samesite=strict", cookie
    assert attributes["path"] == "Path=/", cookie
    assert "domain" not in attributes, cookie  # host-only: never sent to sibling hosts
    assert len(session_cookie(client)) >= 40  # 32 random bytes, url-safe


def test_login_csrf_cookie_flags(app: FastAPI) -> None:
    page = new_client(app).get("/login")
    cookie = _set_cookie(page.headers.get_list("set-cookie"), "rapport_login_csrf").lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_stored_sign_in_is_a_digest_not_the_cookie(app: FastAPI, world: World) -> None:
    client = sign_in(app, "tom")
    cookie = session_cookie(client)
    with world.store.transaction(None, interface="system") as tx:
        hashes = set(tx.db.scalars(sa.select(WebSession.token_hash)))
    assert cookie not in hashes  # a copy of the database gives no usable cookie


# -- CSRF ------------------------------------------------------------------------------------
def _token_count(world: World) -> int:
    with world.store.transaction(None, interface="system") as tx:
        from rapport.store.models import ApiToken

        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(ApiToken)) or 0)


@pytest.mark.parametrize("given", [None, "", "not-the-token"])
def test_api_write_with_cookie_needs_csrf(app: FastAPI, world: World,
                                          given: str | None) -> None:
    client = sign_in(app, "tom")
    before = _token_count(world)
    headers = {} if given is None else {"X-CSRF-Token": given}
    answer = client.post("/api/v1/tokens", json={"name": "csrf"}, headers=headers)
    assert answer.status_code == 403
    assert answer.json()["code"] == "csrf"
    assert _token_count(world) == before
    answer = client.post("/api/v1/tokens", json={"name": "csrf"},
                         headers={"X-CSRF-Token": csrf_of(client)})
    assert answer.status_code == 201


def test_csrf_token_of_another_sign_in_is_refused(app: FastAPI) -> None:
    tom, tess = sign_in(app, "tom"), sign_in(app, "tess")
    answer = tom.post("/api/v1/tokens", json={"name": "x"},
                      headers={"X-CSRF-Token": csrf_of(tess)})
    assert answer.status_code == 403


@pytest.mark.parametrize("given", [None, "", "forged"])
def test_form_post_needs_csrf(app: FastAPI, given: str | None) -> None:
    client = sign_in(app, "tom")
    form = {"current": PASSWORD, "new": "x" * 12, "repeat": "x" * 12}
    if given is not None:
        form["csrf_token"] = given
    answer = client.post("/account/password", data=form)
    assert answer.status_code == 403
    assert "csrf" in answer.text.lower() or "reload" in answer.text.lower()
    answer = client.post("/logout", data={} if given is None else {"csrf_token": given})
    assert answer.status_code == 403
    assert client.get("/api/v1/me").status_code == 200  # still signed in


def test_form_field_csrf_is_accepted(app: FastAPI) -> None:
    client = sign_in(app, "tom")
    answer = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert answer.status_code == 303


def test_api_token_needs_no_csrf(app: FastAPI, world: World) -> None:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "script")
    client = new_client(app)
    answer = client.post("/api/v1/tokens", json={"name": "from-script"},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 201, answer.text


def test_cookie_and_bearer_together_uses_the_token_and_no_csrf(app: FastAPI,
                                                               world: World) -> None:
    with world.store.transaction("tess", interface="system") as tx:
        token, _ = create_api_token(tx, "mixed")
    client = sign_in(app, "tom")
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.json()["data"]["username"] == "tess"
    assert answer.json()["data"]["via"] == "token"


@pytest.mark.parametrize(("cookie", "field"), [(None, "abc"), ("abc", None), ("abc", "abd"),
                                               ("", "")])
def test_login_form_double_submit(app: FastAPI, cookie: str | None,
                                  field: str | None) -> None:
    client = client_at(app, "10.9.0.1")
    if cookie is not None:
        client.cookies.set("rapport_login_csrf", cookie)
    form = {"username": "tom", "password": PASSWORD}
    if field is not None:
        form["csrf_token"] = field
    answer = client.post("/login", data=form)
    assert answer.status_code == 403
    assert "rapport_session" not in client.cookies


# -- brute force -----------------------------------------------------------------------------
def test_lockout_per_user_even_with_the_right_password(app: FastAPI, world: World) -> None:
    add_person(world, "brute1")
    limit = world.settings.login_max_failures
    attacker = client_at(app, "10.1.0.1")
    for _ in range(limit):
        assert try_login(attacker, "brute1", "wrong password") == 401
    assert try_login(attacker, "brute1", PASSWORD) == 429
    # The lock is on the user: another address cannot get in either.
    elsewhere = client_at(app, "10.1.0.2")
    assert try_login(elsewhere, "brute1", PASSWORD) == 429
    assert "rapport_session" not in elsewhere.cookies
    # An unknown user is locked the same way (the answer does not tell users apart).
    for _ in range(limit):
        assert try_login(client_at(app, f"10.1.1.{_}"), "nobody-here", "x") == 401
    assert try_login(client_at(app, "10.1.2.1"), "nobody-here", "x") == 429
    with world.store.transaction(None, interface="system") as tx:
        locked = tx.db.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "login-locked", AuditEntry.detail == "user=brute1"))
    assert locked


def test_a_name_that_is_nobody_s_is_not_kept_in_the_audit_log(app: FastAPI,
                                                               world: World) -> None:
    # Someone who types their password into the name box must not find it in the
    # append-only audit log for ever: only a user's name is kept.
    typed = "my-secret-Passw0rd"
    assert try_login(client_at(app, "10.9.0.1"), typed, "whatever") == 401
    with world.store.transaction(None, interface="system") as tx:
        details = list(tx.db.scalars(sa.select(AuditEntry.detail).where(
            AuditEntry.action.in_(("login-failed", "login-locked")))))
    assert not any(typed.lower() in d for d in details)
    assert "user=(no such user)" in details


def test_lockout_per_address(app: FastAPI, world: World) -> None:
    add_person(world, "brute2")
    limit = world.settings.login_max_failures
    attacker = client_at(app, "10.2.0.1")
    for i in range(limit):  # a different name each time: only the address adds up
        assert try_login(attacker, f"guess{i}", "wrong password") == 401
    assert try_login(attacker, "brute2", PASSWORD) == 429
    assert try_login(client_at(app, "10.2.0.2"), "brute2", PASSWORD) == 303


def test_lockout_expires(app: FastAPI, world: World) -> None:
    add_person(world, "brute3")
    limit = world.settings.login_max_failures
    attacker = client_at(app, "10.3.0.1")
    for _ in range(limit):
        try_login(attacker, "brute3", "wrong password")
    assert try_login(attacker, "brute3", PASSWORD) == 429
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    set_rows(world, sa.update(LoginThrottle).where(LoginThrottle.key.in_(
        ["user:brute3", "ip:10.3.0.1"])).values(locked_until=past))
    assert try_login(attacker, "brute3", PASSWORD) == 303


def test_failures_below_the_limit_do_not_lock(app: FastAPI, world: World) -> None:
    add_person(world, "brute4")
    client = client_at(app, "10.4.0.1")
    for _ in range(world.settings.login_max_failures - 1):
        assert try_login(client, "brute4", "wrong password") == 401
    assert try_login(client, "brute4", PASSWORD) == 303


def test_unknown_usernames_take_as_long_as_known_ones(app: FastAPI, world: World) -> None:
    """A wrong password costs an argon2 verification; an unknown (or inactive) username
    must cost one too, or the answer's timing tells which usernames exist. The margin is
    wide: without the decoy verification the ratio is about 0.05."""
    import time

    add_person(world, "timed")

    def seconds(username: str, i: int) -> float:
        client = client_at(app, f"10.8.{len(username)}.{i}")
        token = login_token(client)
        start = time.perf_counter()
        status = client.post("/login", data={"username": username, "password": "wrong!",
                                             "csrf_token": token}).status_code
        assert status == 401
        return time.perf_counter() - start

    known = sorted(seconds("timed", i) for i in range(3))[1]
    unknown = min(seconds(f"nobody{i}", i) for i in range(3))
    assert unknown > 0.3 * known, (unknown, known)


# -- sign-out and expiry ---------------------------------------------------------------------
def reuse(app: FastAPI, cookie: str) -> TestClient:
    client = new_client(app)
    client.cookies.set("rapport_session", cookie)
    return client


def assert_signed_out(app: FastAPI, cookie: str) -> None:
    client = reuse(app, cookie)
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_logout_ends_the_sign_in(app: FastAPI) -> None:
    client = sign_in(app, "tom")
    cookie = session_cookie(client)
    answer = client.post("/logout", headers={"X-CSRF-Token": csrf_of(client)})
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert_signed_out(app, cookie)  # the old cookie is dead on the server, not just cleared


def _age(world: World, cookie: str, **values: dt.datetime) -> None:
    from rapport.store.logins import token_digest

    set_rows(world, sa.update(WebSession).where(WebSession.token_hash == token_digest(cookie))
             .values(**values))


def test_idle_expiry(app: FastAPI, world: World) -> None:
    cookie = session_cookie(sign_in(app, "tom"))
    now = dt.datetime.now(dt.UTC)
    idle = dt.timedelta(minutes=world.settings.web_idle_minutes)
    _age(world, cookie, last_seen_at=now - idle + dt.timedelta(minutes=1))
    assert reuse(app, cookie).get("/api/v1/me").status_code == 200  # touched: fresh again
    _age(world, cookie, last_seen_at=now - idle - dt.timedelta(minutes=1))
    assert_signed_out(app, cookie)
    _age(world, cookie, last_seen_at=now)  # once expired, it stays ended
    assert_signed_out(app, cookie)


def test_idle_sign_out_is_never_early(app: FastAPI, world: World) -> None:
    # last_seen_at is written at most once a minute, so a sign-in whose stored last use
    # is 30 s past the idle limit may have been used 30 s ago: it must still work.
    cookie = session_cookie(sign_in(app, "tom"))
    now = dt.datetime.now(dt.UTC)
    idle = dt.timedelta(minutes=world.settings.web_idle_minutes)
    _age(world, cookie, last_seen_at=now - idle - dt.timedelta(seconds=30))
    assert reuse(app, cookie).get("/api/v1/me").status_code == 200


def test_absolute_expiry(app: FastAPI, world: World) -> None:
    cookie = session_cookie(sign_in(app, "tom"))
    now = dt.datetime.now(dt.UTC)
    limit = dt.timedelta(hours=world.settings.web_absolute_hours)
    _age(world, cookie, created_at=now - limit - dt.timedelta(minutes=1), last_seen_at=now)
    assert_signed_out(app, cookie)


# -- password change -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pat(world: World) -> str:
    add_person(world, "pat")
    return "pat"


def change(client: TestClient, current: str, new: str, repeat: str) -> tuple[int, str]:
    answer = client.post("/account/password", data={
        "current": current, "new": new, "repeat": repeat, "csrf_token": csrf_of(client)})
    return answer.status_code, answer.text


@pytest.mark.parametrize(("current", "new", "repeat", "problem"), [
    ("wrong password!", "a new long password", "a new long password", "current password"),
    (PASSWORD, "short", "short", "at least"),
    (PASSWORD, "a new long password", "another long one", "differ"),
])
def test_password_change_refusals(app: FastAPI, world: World, pat: str, current: str,
                                  new: str, repeat: str, problem: str) -> None:
    client = sign_in(app, pat)
    with world.store.transaction(None, interface="system") as tx:
        before = tx.db.scalar(sa.select(User.password_hash).where(User.username == pat))
    status, text = change(client, current, new, repeat)
    assert status == 400 and problem in text
    with world.store.transaction(None, interface="system") as tx:
        assert tx.db.scalar(sa.select(User.password_hash).where(User.username == pat)) \
            == before


def test_wrong_current_passwords_count_toward_the_lockout(app: FastAPI,
                                                         world: World) -> None:
    add_person(world, "guessed")
    browser = client_at(app, "10.17.0.1")  # a stolen sign-in, guessing the password
    assert try_login(browser, "guessed", PASSWORD) == 303
    with world.store.transaction(None, interface="system") as tx:
        before = tx.db.scalar(sa.select(User.password_hash).where(User.username == "guessed"))
    new = "a brand new passphrase"
    for _ in range(world.settings.login_max_failures):
        assert change(browser, "a wrong guess", new, new)[0] == 400
    status, text = change(browser, PASSWORD, new, new)  # the right one, too late
    assert status == 429 and "Too many" in text
    with world.store.transaction(None, interface="system") as tx:
        assert tx.db.scalar(sa.select(User.password_hash).where(
            User.username == "guessed")) == before
    # the same lockout as failed logins: the user cannot sign in anywhere meanwhile
    assert try_login(client_at(app, "10.17.0.2"), "guessed", PASSWORD) == 429


def test_password_change_signs_out_other_browsers(app: FastAPI, world: World) -> None:
    add_person(world, "pia")
    here, there = sign_in(app, "pia"), sign_in(app, "pia")
    there_cookie = session_cookie(there)
    with world.store.transaction("pia", interface="system") as tx:
        token, _ = create_api_token(tx, "pia-script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert new_client(app).get("/api/v1/me", headers=bearer).status_code == 200
    new = "a brand new passphrase"
    status, text = change(here, PASSWORD, new, new)
    assert status == 200, text
    assert here.get("/api/v1/me").status_code == 200  # this browser stays signed in
    assert_signed_out(app, there_cookie)
    assert new_client(app).get("/api/v1/me", headers=bearer).status_code == 401  # revoked
    somewhere = client_at(app, "10.5.0.1")
    assert try_login(somewhere, "pia", PASSWORD) == 401  # the old one no longer works
    assert try_login(client_at(app, "10.5.0.2"), "pia", new) == 303


# -- deactivated users -----------------------------------------------------------------------
def test_deactivated_user_loses_cookie_and_token(app: FastAPI, world: World) -> None:
    add_person(world, "dee")
    browser = sign_in(app, "dee")
    with world.store.transaction("dee", interface="system") as tx:
        token, _ = create_api_token(tx, "dee-script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert new_client(app).get("/api/v1/me", headers=bearer).status_code == 200
    # No store function deactivates users yet: set the flag as an admin tool would.
    set_rows(world, sa.update(User).where(User.username == "dee").values(active=False))
    assert browser.get("/api/v1/me").status_code == 401
    assert new_client(app).get("/api/v1/me", headers=bearer).status_code == 401
    assert try_login(client_at(app, "10.6.0.1"), "dee", PASSWORD) == 401


def test_revoked_token_stops_working(app: FastAPI, world: World) -> None:
    with world.store.transaction("tom", interface="system") as tx:
        token, view = create_api_token(tx, "to-revoke")
    bearer = {"Authorization": f"Bearer {token}"}
    client = new_client(app)
    assert client.delete(f"/api/v1/tokens/{view.id}", headers=bearer).status_code == 200
    assert client.get("/api/v1/me", headers=bearer).status_code == 401


@pytest.mark.parametrize("header", ["Bearer ", "Bearer rpt_made_up", "Basic dG9tOnB3",
                                    "Bearer " + "A" * 5000])
def test_bad_authorization_is_401(app: FastAPI, header: str) -> None:
    answer = new_client(app).get("/api/v1/me", headers={"Authorization": header})
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"


# -- the redirect after login ----------------------------------------------------------------
OFFSITE = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example",
           "/\t/evil.example", "/\n/evil.example", "http:evil.example", "javascript:alert(1)",
           "evil.example", " //evil.example"]


@pytest.mark.parametrize("target", OFFSITE)
def test_next_never_leaves_the_site(app: FastAPI, target: str) -> None:
    page = new_client(app).get("/login", params={"next": target})
    hidden = re.search(r'name="next" value="([^"]*)"', page.text)
    assert hidden and hidden.group(1) == "/"


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "/\t/evil.example"])
def test_login_never_redirects_off_site(app: FastAPI, target: str) -> None:
    # The form's hidden field can be edited: the POST checks ``next`` again.
    client = client_at(app, "10.7.0.1")
    token = login_token(client)
    answer = client.post("/login", data={"username": "tom", "password": PASSWORD,
                                         "csrf_token": token, "next": target})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_next_within_the_site_is_kept(app: FastAPI) -> None:
    client = client_at(app, "10.7.0.2")
    token = login_token(client)
    answer = client.post("/login", data={"username": "tom", "password": PASSWORD,
                                         "csrf_token": token,
                                         "next": "/api/v1/clients?x=1"})
    assert answer.headers["location"] == "/api/v1/clients?x=1"


def test_page_redirect_to_login_keeps_the_target(app: FastAPI) -> None:
    answer = new_client(app).get("/account/password")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/account/password"


# -- audit -----------------------------------------------------------------------------------
CLIENT_DATA_READS = sorted(path for (method, path), rule in ACCESS.items()
                           if method == "GET" and rule in (CLIENT_READ, CLIENT_WRITE,
                                                           CLIENT_COMMENT))


@pytest.fixture(scope="module")
def tom_token(world: World) -> str:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "audit")
    return token


@pytest.fixture(scope="module")
def tom_browser(app: FastAPI) -> TestClient:
    return sign_in(app, "tom")


def assert_read_is_audited(world: World, client: TestClient, path: str,
                           interface: str) -> None:
    with world.store.transaction(None, interface="system") as tx:
        uid = tx.db.scalar(sa.select(Client.uid).where(Client.code == "C-001"))
        last = tx.db.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0
    answer = client.get(fill_path(path, Call(world, client, "tom")))
    assert answer.status_code == 200, answer.text[:300]
    with world.store.transaction(None, interface="system") as tx:
        rows = tx.db.execute(sa.select(AuditEntry.interface, AuditEntry.subject).where(
            AuditEntry.id > last, AuditEntry.actor == "tom")).all()
    assert (interface, uid) in {(r.interface, r.subject) for r in rows}, (path, rows)


@pytest.mark.parametrize("path", [p for p in CLIENT_DATA_READS if p.startswith("/api/")])
def test_api_reads_of_client_data_are_audited(app: FastAPI, world: World, tom_token: str,
                                              tom_browser: TestClient, path: str) -> None:
    script = new_client(app)
    script.headers["Authorization"] = f"Bearer {tom_token}"
    assert_read_is_audited(world, script, path, "api")
    assert_read_is_audited(world, tom_browser, path, "web")


@pytest.mark.parametrize("path", [p for p in CLIENT_DATA_READS if not p.startswith("/api/")])
def test_page_views_of_client_data_are_audited(world: World, tom_browser: TestClient,
                                               path: str) -> None:
    assert_read_is_audited(world, tom_browser, path, "web")


def test_api_write_is_audited_as_api(app: FastAPI, world: World, tom_token: str) -> None:
    client = new_client(app)
    answer = client.post("/api/v1/clients", json={"code": "C-AUD", "name": "Audited"},
                         headers={"Authorization": f"Bearer {tom_token}"})
    assert answer.status_code == 201
    with world.store.transaction(None, interface="system") as tx:
        uid = tx.db.scalar(sa.select(Client.uid).where(Client.code == "C-AUD"))
        row = tx.db.execute(sa.select(AuditEntry).where(
            AuditEntry.subject == uid, AuditEntry.action == "create")).scalar_one()
        assert (row.actor, row.interface, row.entity) == ("tom", "api", "client")
        assert "Audited" not in row.detail  # no client text in the audit log
