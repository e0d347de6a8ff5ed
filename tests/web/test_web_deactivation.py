"""An admin deactivates a user: their browser sign-in and API tokens stop at once, their
open feedback forms close, and reactivation revives none of them."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import DAY, World, csrf_of, new_client, sign_in

from rapport.store.clients import add_client
from rapport.store.feedback import create_form
from rapport.store.logins import create_api_token
from rapport.store.permissions import UserRole
from rapport.store.responses import list_responses
from rapport.store.sessions import SessionRecord, add_session
from rapport.store.users import add_user


def test_deactivated_user_is_locked_out_everywhere(app: FastAPI, world: World,
                                                   signed_in: dict[str, TestClient]) -> None:
    with world.store.transaction("ada", interface="system") as tx:
        add_user(tx, "leaver", UserRole.THERAPIST, password="correct horse battery")
    with world.store.transaction("leaver", interface="system") as tx:
        token, _ = create_api_token(tx, "script")
    browser = sign_in(app, "leaver")
    bearer = {"authorization": f"Bearer {token}"}
    assert browser.get("/api/v1/me").status_code == 200
    assert browser.get("/api/v1/me", headers=bearer).status_code == 200

    ada = signed_in["ada"]
    answer = ada.put("/api/v1/users/leaver/active", json={"active": False},
                     headers={"x-csrf-token": csrf_of(ada)})
    assert answer.status_code == 200, answer.text
    assert browser.get("/api/v1/me").status_code == 401
    assert browser.get("/api/v1/me", headers=bearer).status_code == 401
    assert browser.get("/").status_code == 303  # to the login page

    again = ada.put("/api/v1/users/leaver/active", json={"active": True},
                    headers={"x-csrf-token": csrf_of(ada)})
    assert again.status_code == 200
    assert browser.get("/api/v1/me", headers=bearer).status_code == 401  # not revived
    assert browser.get("/api/v1/me").status_code == 401  # the ended sign-in stays ended
    assert sign_in(app, "leaver").get("/api/v1/me").status_code == 200  # a new one works


def test_reactivation_revives_no_feedback_form(app: FastAPI, world: World,
                                               signed_in: dict[str, TestClient]) -> None:
    with world.store.transaction("ada", interface="system") as tx:
        add_user(tx, "rae", UserRole.THERAPIST, password="correct horse battery")
    with world.store.transaction("rae", interface="system") as tx:
        add_client(tx, "C-RAE")
        number = add_session(tx, "C-RAE", SessionRecord(date=DAY))
        token = create_form(tx, "C-RAE", number, ["checkin"], minutes=60).token
    phone = new_client(app)
    assert phone.get(f"/f/{token}").status_code == 200
    ada = signed_in["ada"]
    for active in (False, True):
        answer = ada.put("/api/v1/users/rae/active", json={"active": active},
                         headers={"x-csrf-token": csrf_of(ada)})
        assert answer.status_code == 200, answer.text
    assert phone.get(f"/f/{token}").status_code == 410  # closed, and it stays closed
    with world.store.transaction("rae", interface="system") as tx:
        assert not list_responses(tx, "C-RAE")


def test_only_admins_deactivate(signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    answer = tom.put("/api/v1/users/tess/active", json={"active": False},
                     headers={"x-csrf-token": csrf_of(tom)})
    assert answer.status_code == 404
    assert signed_in["tess"].get("/api/v1/me").status_code == 200


def test_admins_cannot_deactivate_themselves(signed_in: dict[str, TestClient]) -> None:
    ada = signed_in["ada"]
    answer = ada.put("/api/v1/users/ada/active", json={"active": False},
                     headers={"x-csrf-token": csrf_of(ada)})
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_input"
