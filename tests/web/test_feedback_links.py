"""Feedback links and QR codes (issue 18, item 10): built from RAPPORT_PUBLIC_URL or the
address the server really listens on, never from the request's Host header, with a
warning on the page when a phone could not open them."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import DAY, PASSWORD, World, csrf_of

from rapport.errors import RapportInputError
from rapport.settings import get_settings
from rapport.store.sessions import SessionRecord, add_session
from rapport.web.app import create_app


def browser_at(app: FastAPI, base_url: str) -> TestClient:
    """tom signed in through a browser that reached the server at ``base_url``."""
    client = TestClient(app, base_url=base_url, follow_redirects=False)
    client.get("/login")
    answer = client.post("/login", data={
        "username": "tom", "password": PASSWORD,
        "csrf_token": client.cookies.get("rapport_login_csrf") or ""})
    assert answer.status_code == 303, answer.text[:300]
    return client


def created_page(world: World, client: TestClient, **headers: str) -> str:
    with world.store.transaction("tom", interface="system") as tx:
        number = add_session(tx, "C-001", SessionRecord(date=DAY))
    answer = client.post(f"/clients/C-001/sessions/{number}/feedback",
                         data={"instruments": ["checkin"], "delivery": "link",
                               "csrf_token": csrf_of(client)}, headers=headers)
    assert answer.status_code == 201, answer.text[:400]
    return answer.text


def link_of(page: str) -> str:
    match = re.search(r'id="form-link" type="text" readonly value="([^"]+)"', page)
    assert match, page[:2000]
    return match.group(1)


def test_the_host_header_never_makes_the_link(world: World, app: FastAPI) -> None:
    client = browser_at(app, "https://192.0.2.10:8443")
    page = created_page(world, client, host="evil.example")
    assert "evil.example" not in page
    assert link_of(page).startswith("https://192.0.2.10:8443/f/")
    assert 'id="unreachable"' not in page


def test_the_public_url_makes_the_link(world: World) -> None:
    settings = world.settings.model_copy(
        update={"public_url": "https://rapport.clinic.example"})
    app = create_app(settings, store=world.store)
    page = created_page(world, browser_at(app, "https://127.0.0.1:8000"),
                        host="evil.example")
    assert link_of(page).startswith("https://rapport.clinic.example/f/")
    assert 'id="unreachable"' not in page


def test_a_loopback_link_is_flagged_as_unreachable_from_a_phone(world: World,
                                                                app: FastAPI) -> None:
    page = created_page(world, browser_at(app, "https://127.0.0.1:8000"))
    assert link_of(page).startswith("https://127.0.0.1:8000/f/")
    assert 'id="unreachable"' in page and "RAPPORT_PUBLIC_URL" in page


@pytest.mark.parametrize("bad", ["rapport.clinic.example", "ftp://clinic.example",
                                 "https://clinic.example/?x=1", "https://"])
def test_a_public_url_that_is_not_an_http_address_is_refused(bad: str) -> None:
    with pytest.raises(RapportInputError, match="RAPPORT_PUBLIC_URL"):
        get_settings(public_url=bad)
