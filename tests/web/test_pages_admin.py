"""Admin: users, passwords, supervision links and retention through forms with CSRF and
POST-redirect-GET; bad input shows an error and stores nothing; nobody else gets in."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import PASSWORD, World, csrf_of, sign_in

from rapport.store.clients import add_client
from rapport.store.logins import actor_for_api_token, create_api_token
from rapport.store.models import User
from rapport.store.permissions import UserRole
from rapport.store.retention import get_retention_days
from rapport.store.supervision_links import list_supervision_links
from rapport.store.users import MIN_PASSWORD, add_user, link_supervision, list_users

NEW_PASSWORD = "a long new password"


def usernames(world: World) -> list[str]:
    with world.store.transaction("ada", interface="system") as tx:
        return [u.username for u in list_users(tx)]


def links(world: World) -> set[tuple[str, str, bool]]:
    with world.store.transaction("ada", interface="system") as tx:
        return {(x.supervisor, x.supervisee, x.identity_granted)
                for x in list_supervision_links(tx)}


def alert_of(html: str) -> str:
    """The error paragraph of the page (role="alert")."""
    match = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert match, "no error shown"
    return match.group(1)


def retention_days(world: World) -> int | None:
    with world.store.transaction("ada", interface="system") as tx:
        return get_retention_days(tx)


@pytest.fixture(scope="module")
def ada(signed_in: dict[str, TestClient]) -> tuple[TestClient, str]:
    return signed_in["ada"], csrf_of(signed_in["ada"])


def test_admin_page_lists_users_and_links(ada: tuple[TestClient, str]) -> None:
    page = ada[0].get("/admin")
    assert page.status_code == 200
    for name in ("ada", "tom", "tess", "sam", "sue", "rita"):
        assert f'<th scope="row">{name}</th>' in page.text
    assert "<td>sam</td><td>tom</td><td>no</td>" in page.text
    assert page.text.count('name="csrf_token"') >= 3  # every form carries the token
    assert "C-001" not in page.text  # no client content


def test_add_user_redirects_and_the_user_can_sign_in(app: FastAPI, world: World,
                                                     ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    answer = client.post("/admin/users", data={
        "username": "nina", "role": "therapist", "display_name": "Nina",
        "password": NEW_PASSWORD, "repeat": NEW_PASSWORD, "csrf_token": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin?done=user"
    page = client.get(answer.headers["location"]).text
    assert "User added." in page and '<th scope="row">nina</th>' in page
    assert sign_in(app, "nina", NEW_PASSWORD).get("/").status_code == 200


@pytest.mark.parametrize(("form", "message"), [
    ({"username": "tom", "role": "therapist"}, "already exists"),
    ({"username": "Bad Name!", "role": "therapist"}, "invalid username"),
    ({"username": "olga", "role": "wizard"}, "unknown role"),
    ({"username": "olga", "role": "therapist", "password": "short", "repeat": "short"},
     "at least 10 characters"),
    ({"username": "olga", "role": "therapist", "password": " " * MIN_PASSWORD,
      "repeat": " " * MIN_PASSWORD}, "at least 10 characters"),
    ({"username": "olga", "role": "therapist", "repeat": "something else entirely"},
     "The two passwords differ."),
])
def test_bad_user_shows_error_and_stores_nothing(world: World, ada: tuple[TestClient, str],
                                                 form: dict[str, str], message: str) -> None:
    client, csrf = ada
    before = usernames(world)
    data = {"password": NEW_PASSWORD, "repeat": NEW_PASSWORD, "csrf_token": csrf} | form
    answer = client.post("/admin/users", data=data)
    assert answer.status_code == 400
    assert message in alert_of(answer.text)
    assert NEW_PASSWORD not in answer.text  # passwords are never echoed
    assert usernames(world) == before


def test_link_supervision_with_identity_grant(world: World,
                                              ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    answer = client.post("/admin/supervision", data={
        "supervisor": "sue", "supervisee": "tess", "identity_granted": "on",
        "csrf_token": csrf})
    assert answer.status_code == 303
    assert ("sue", "tess", True) in links(world)
    assert "<td>sue</td><td>tess</td><td>yes</td>" in client.get("/admin").text


@pytest.mark.parametrize(("supervisor", "supervisee", "message"), [
    ("tom", "tess", "tom is not a supervisor"),
    ("sam", "rita", "rita is not a therapist"),
    ("sam", "nobody", "no user named"),
    ("", "tess", "Choose both"),
])
def test_bad_link_shows_error_and_stores_nothing(world: World, ada: tuple[TestClient, str],
                                                 supervisor: str, supervisee: str,
                                                 message: str) -> None:
    client, csrf = ada
    before = links(world)
    answer = client.post("/admin/supervision", data={
        "supervisor": supervisor, "supervisee": supervisee, "csrf_token": csrf})
    assert answer.status_code == 400 and message in alert_of(answer.text)
    assert links(world) == before


def test_retention_setting(world: World, ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    answer = client.post("/admin/retention", data={"days": "3650", "csrf_token": csrf})
    assert answer.status_code == 303 and retention_days(world) == 3650
    assert "<strong>3650 days</strong>" in client.get("/admin").text
    for bad, message in (("0", "out of range"), ("ten", "whole number"),
                         ("99999", "out of range")):
        answer = client.post("/admin/retention", data={"days": bad, "csrf_token": csrf})
        assert answer.status_code == 400 and message in alert_of(answer.text)
        assert retention_days(world) == 3650


def test_forms_need_the_csrf_token(world: World, ada: tuple[TestClient, str]) -> None:
    before = usernames(world)
    answer = ada[0].post("/admin/users", data={
        "username": "mallory", "role": "admin", "password": NEW_PASSWORD,
        "repeat": NEW_PASSWORD})
    assert answer.status_code == 403 and usernames(world) == before


@pytest.mark.parametrize("name", ["tom", "sam", "rita"])
def test_non_admins_get_not_found(world: World, signed_in: dict[str, TestClient],
                                  name: str) -> None:
    client = signed_in[name]
    assert client.get("/admin").status_code == 404
    before = usernames(world)
    answer = client.post("/admin/users", data={
        "username": "mallory", "role": "admin", "password": PASSWORD, "repeat": PASSWORD,
        "csrf_token": csrf_of(client)})
    assert answer.status_code == 404 and usernames(world) == before


def test_deactivate_and_reactivate_from_the_page(app: FastAPI, world: World,
                                                 ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    client.post("/admin/users", data={
        "username": "quinn", "role": "therapist", "password": NEW_PASSWORD,
        "repeat": NEW_PASSWORD, "csrf_token": csrf})
    quinn = sign_in(app, "quinn", NEW_PASSWORD)
    page = client.get("/admin").text
    assert 'action="/admin/users/quinn/active"' in page
    assert 'action="/admin/users/ada/active"' not in page  # never yourself
    answer = client.post("/admin/users/quinn/active", data={"active": "no",
                                                            "csrf_token": csrf})
    assert answer.status_code == 303
    assert quinn.get("/").status_code == 303  # signed out: to the login page
    answer = client.post("/admin/users/quinn/active", data={"active": "yes",
                                                            "csrf_token": csrf})
    assert answer.status_code == 303
    assert sign_in(app, "quinn", NEW_PASSWORD).get("/").status_code == 200
    refused = client.post("/admin/users/ada/active", data={"active": "no", "csrf_token": csrf})
    assert refused.status_code == 400 and "yourself" in alert_of(refused.text)


def _supervised_pair(world: World, supervisor: str, therapist: str, code: str) -> None:
    """A supervisor linked to a therapist who has one client ``code``."""
    with world.store.transaction("ada", interface="system") as tx:
        add_user(tx, supervisor, UserRole.SUPERVISOR, password=PASSWORD)
        add_user(tx, therapist, UserRole.THERAPIST, password=PASSWORD)
        link_supervision(tx, supervisor, therapist)
    with world.store.transaction(therapist, interface="system") as tx:
        add_client(tx, code, identity={"name": "Una Linked"})


def test_end_a_supervision_from_the_page(app: FastAPI, world: World,
                                         ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    _supervised_pair(world, "sol", "tara", "C-SOL")
    sol = sign_in(app, "sol")
    assert sol.get("/clients/C-SOL").status_code == 200
    page = client.get("/admin").text
    assert '<input type="hidden" name="supervisor" value="sol">' in page
    tom = sign_in(app, "tom")
    refused = tom.post("/admin/supervision/end", data={
        "supervisor": "sol", "supervisee": "tara", "csrf_token": csrf_of(tom)})
    assert refused.status_code == 404 and ("sol", "tara", False) in links(world)
    answer = client.post("/admin/supervision/end", data={
        "supervisor": "sol", "supervisee": "tara", "csrf_token": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin?done=unlink"
    assert "Supervision ended" in client.get(answer.headers["location"]).text
    assert ("sol", "tara", False) not in links(world)
    assert sol.get("/clients/C-SOL").status_code == 404  # at once, in the same sign-in
    again = client.post("/admin/supervision/end", data={
        "supervisor": "sol", "supervisee": "tara", "csrf_token": csrf})
    assert again.status_code == 400 and "sol does not supervise tara" in alert_of(again.text)


def test_end_a_supervision_through_the_api(app: FastAPI, world: World,
                                           ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    _supervised_pair(world, "sid", "tali", "C-SID")
    sid = sign_in(app, "sid")
    assert sid.get("/api/v1/clients/C-SID").status_code == 200
    answer = client.delete("/api/v1/supervision/sid/tali", headers={"X-CSRF-Token": csrf})
    assert answer.status_code == 200 and answer.json() == {"ok": True, "data": None}
    assert sid.get("/api/v1/clients/C-SID").status_code == 404
    again = client.delete("/api/v1/supervision/sid/tali", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 404 and again.json()["code"] == "not_found"


def _hash_of(world: World, username: str) -> str | None:
    with world.store.transaction(None, interface="system") as tx:
        return tx.db.scalar(sa.select(User.password_hash).where(User.username == username))


def test_set_a_password_from_the_page(app: FastAPI, world: World,
                                      ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    with world.store.transaction("ada", interface="system") as tx:
        add_user(tx, "forgot", UserRole.THERAPIST, password=PASSWORD)
    old_sign_in = sign_in(app, "forgot")
    with world.store.transaction("forgot", interface="system") as tx:
        token, _ = create_api_token(tx, "script")
    page = client.get("/admin").text
    assert '<option value="forgot">forgot</option>' in page
    assert '<option value="ada">' not in page  # your own: the Change password page
    answer = client.post("/admin/password", data={
        "username": "forgot", "password": NEW_PASSWORD, "repeat": NEW_PASSWORD,
        "csrf_token": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/admin?done=password"
    assert "Password set." in client.get(answer.headers["location"]).text
    assert old_sign_in.get("/").status_code == 303  # signed out: to the login page
    with world.store.transaction(None, interface="system") as tx:
        assert actor_for_api_token(tx.db, token) is None
    assert sign_in(app, "forgot", NEW_PASSWORD).get("/").status_code == 200


@pytest.mark.parametrize(("form", "message"), [
    ({"password": "short", "repeat": "short"}, "at least 10 characters"),
    ({"password": " " * 12, "repeat": " " * 12}, "at least 10 characters"),
    ({"repeat": "something else entirely"}, "The two passwords differ."),
    ({"username": "ada"}, "Change password page"),
    ({"username": "nobody"}, "no user named"),
    ({"username": ""}, "Choose a user."),
])
def test_bad_password_form_shows_error_and_changes_nothing(
        world: World, ada: tuple[TestClient, str], form: dict[str, str], message: str) -> None:
    client, csrf = ada
    before = {name: _hash_of(world, name) for name in ("tom", "ada")}
    data = {"username": "tom", "password": NEW_PASSWORD, "repeat": NEW_PASSWORD,
            "csrf_token": csrf} | form
    answer = client.post("/admin/password", data=data)
    assert answer.status_code == 400 and message in alert_of(answer.text)
    assert NEW_PASSWORD not in answer.text
    assert {name: _hash_of(world, name) for name in ("tom", "ada")} == before


@pytest.mark.parametrize("name", ["tom", "sam", "rita"])
def test_only_admins_set_passwords(world: World, signed_in: dict[str, TestClient],
                                   name: str) -> None:
    client = signed_in[name]
    before = _hash_of(world, "tess")
    answer = client.post("/admin/password", data={
        "username": "tess", "password": NEW_PASSWORD, "repeat": NEW_PASSWORD,
        "csrf_token": csrf_of(client)})
    assert answer.status_code == 404 and _hash_of(world, "tess") == before


def test_the_api_refuses_a_password_of_spaces(world: World,
                                              ada: tuple[TestClient, str]) -> None:
    client, csrf = ada
    answer = client.post("/api/v1/users", headers={"X-CSRF-Token": csrf}, json={
        "username": "spacey", "role": "therapist", "password": " " * MIN_PASSWORD})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "weak_password"
    assert "spacey" not in usernames(world)


def test_the_account_page_refuses_a_password_of_spaces(app: FastAPI, world: World) -> None:
    with world.store.transaction("ada", interface="system") as tx:
        add_user(tx, "blank", UserRole.THERAPIST, password=PASSWORD)
    client = sign_in(app, "blank")
    before = _hash_of(world, "blank")
    answer = client.post("/account/password", data={
        "current": PASSWORD, "new": " " * 12, "repeat": " " * 12,
        "csrf_token": csrf_of(client)})
    assert answer.status_code == 400 and "at least 10 characters" in answer.text
    assert _hash_of(world, "blank") == before
