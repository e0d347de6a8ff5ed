"""The practice room over HTTP, on both backends: the API's answers and refusals, and the
pages a trainee and her supervisor use (the browser flow is in test_browser_practice.py)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World, csrf_of

from rapport.practice import VERDICTS, load_drills
from rapport.store.logins import create_api_token
from rapport.store.models import PracticeAttempt

API = "/api/v1/practice"


def _api(app: FastAPI, world: World, username: str) -> TestClient:
    with world.store.transaction(username, interface="system") as tx:
        token, _ = create_api_token(tx, f"practice-{username}")
    client = TestClient(app, base_url="https://testserver")
    client.headers["authorization"] = f"Bearer {token}"
    return client


def _count(world: World) -> int:
    with world.store.transaction(None, interface="system") as tx:
        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(PracticeAttempt)) or 0)


def test_drills_lists_the_library(app: FastAPI, world: World) -> None:
    answer = _api(app, world, "tia").get(f"{API}/drills").json()["data"]
    assert [d["id"] for d in answer] == [d.id for d in load_drills()]
    assert set(answer[0]) == {"id", "skill", "title"}
    one = _api(app, world, "tia").get(f"{API}/drills", params={"skill": "boundaries"})
    assert {d["skill"] for d in one.json()["data"]} == {"boundaries"}


def test_an_attempt_is_judged_stored_and_counted(app: FastAPI, world: World) -> None:
    tia = _api(app, world, "tia")
    before = tia.get(f"{API}/progress").json()["data"]
    answer = tia.post(f"{API}/attempts", json={
        "drill_id": "empathy-02", "reply": "It sounds like you feel really let down."})
    assert answer.status_code == 201, answer.text
    data = answer.json()["data"]
    assert data["drill_id"] == "empathy-02" and data["verdict"] in VERDICTS
    assert isinstance(data["id"], int) and data["judge_version"]
    assert set(data["feedback"]) == {"did", "needed", "exemplar", "next_step"}
    assert all(set(c) == {"code", "confidence"} for c in data["codes"])
    after = tia.get(f"{API}/progress").json()["data"]
    assert after["attempts"] == before["attempts"] + 1
    empathy = next(s for s in after["skills"] if s["skill"] == "empathy")
    assert empathy["attempts"] >= 1
    assert "empathy-02" not in [d["id"] for d in after["next_drills"]]


@pytest.mark.parametrize(("body", "status", "code"), [
    ({"drill_id": "nope-99", "reply": "That sounds hard."}, 400, "unknown_drill"),
    ({"drill_id": "empathy-01", "reply": "   "}, 400, "empty_reply"),
    ({"drill_id": "empathy-01", "reply": "a" * 2001}, 400, "reply_too_long"),
    ({"drill_id": "empathy-01"}, 422, "invalid_request"),
])
def test_a_bad_attempt_is_one_clear_error_and_stores_nothing(
        app: FastAPI, world: World, body: dict[str, str], status: int, code: str) -> None:
    before = _count(world)
    answer = _api(app, world, "tia").post(f"{API}/attempts", json=body)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert answer.json()["error"]
    assert _count(world) == before


def test_progress_of_another_user_is_for_their_supervisor(app: FastAPI, world: World
                                                          ) -> None:
    _api(app, world, "tia").post(f"{API}/attempts", json={
        "drill_id": "validation-01", "reply": "Of course you are angry after that."})
    seen = _api(app, world, "sam").get(f"{API}/progress", params={"user": "tia"})
    assert seen.status_code == 200 and seen.json()["data"]["user"] == "tia"
    assert seen.json()["data"]["attempts"] >= 1
    for outsider in ("sue", "tom", "rita"):
        refused = _api(app, world, outsider).get(f"{API}/progress", params={"user": "tia"})
        assert (refused.status_code, refused.json()["code"]) == (404, "not_found")


def test_the_trainee_pages_answer_a_drill(app: FastAPI, world: World,
                                          signed_in: dict[str, TestClient]) -> None:
    tia = signed_in["tia"]
    assert tia.get("/").headers["location"] == "/practice"
    home = tia.get("/practice")
    assert home.status_code == 200 and "Next drills" in home.text
    first = re.search(r'href="/practice/drills/([a-z_]+-\d\d)" class="button"', home.text)
    assert first, home.text[:2000]
    drill = tia.get(f"/practice/drills/{first.group(1)}")
    assert drill.status_code == 200 and 'name="reply"' in drill.text
    csrf = csrf_of(tia)
    empty = tia.post(f"/practice/drills/{first.group(1)}",
                     data={"reply": " ", "csrf_token": csrf})
    assert empty.status_code == 422 and "the reply is empty" in empty.text
    sent = tia.post(f"/practice/drills/{first.group(1)}",
                    data={"reply": "It sounds like this has worn you down.",
                          "csrf_token": csrf})
    assert sent.status_code == 303
    feedback = tia.get(sent.headers["location"])
    assert feedback.status_code == 200
    for heading in ("What the reply did", "What the moment needed",
                    "One reply that would do it", "Next step"):
        assert heading in feedback.text
    assert "It sounds like this has worn you down." in tia.get("/practice/history").text


def test_the_supervisor_sees_her_trainees_progress(app: FastAPI, world: World,
                                                   signed_in: dict[str, TestClient]) -> None:
    _api(app, world, "tia").post(f"{API}/attempts", json={
        "drill_id": "autonomy-01", "reply": "Would it be OK if I shared an idea?"})
    people = signed_in["sam"].get("/practice/people")
    assert people.status_code == 200 and "/practice/people/tia" in people.text
    assert "/practice/people/tom" in people.text  # sam supervises tom too
    detail = signed_in["sam"].get("/practice/people/tia")
    assert detail.status_code == 200 and "Would it be OK if I shared an idea?" in detail.text
    assert signed_in["sue"].get("/practice/people/tia").status_code == 404
    assert "/practice/people/tia" not in signed_in["sue"].get("/practice/people").text


def test_a_trainee_sees_no_client_data(signed_in: dict[str, TestClient]) -> None:
    tia = signed_in["tia"]
    for path in ("/clients/C-001", "/clients/C-001/sessions/1", "/supervision", "/upload",
                 "/api/v1/clients/C-001", "/research", "/admin"):
        assert tia.get(path).status_code == 404, path
    assert tia.get("/api/v1/clients").json()["data"] == []
    assert tia.get("/api/v1/alerts").json()["data"] == []
    nav = tia.get("/practice").text
    assert 'href="/practice"' in nav and 'href="/coding"' not in nav
