"""Admin: users, supervision links and retention through forms with CSRF and
POST-redirect-GET; bad input shows an error and stores nothing; nobody else gets in."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import PASSWORD, World, csrf_of, sign_in

from rapport.store.retention import get_retention_days
from rapport.store.supervision_links import list_supervision_links
from rapport.store.users import list_users

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
