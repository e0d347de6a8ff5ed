"""An admin deactivates a user: their browser sign-in and API tokens stop at once."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World, csrf_of, sign_in

from rapport.store.logins import create_api_token
from rapport.store.permissions import UserRole
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
    assert browser.get("/api/v1/me", headers=bearer).status_code == 200  # token revived
    assert browser.get("/api/v1/me").status_code == 401  # the ended sign-in stays ended


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
