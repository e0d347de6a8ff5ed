"""Marking a questionnaire entered in error from the session page and the API (SQLite and
PostgreSQL): the score leaves the page and the client's progress, stays listed with who,
when and why, the session takes the right one; refusals re-show the page with the reason
and write nothing; a supervisor gets no control and a 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World, csrf_of, new_client_of_tom

from rapport.caseload import record_response
from rapport.measures import get_instrument, score
from rapport.store.logins import create_api_token
from rapport.store.responses import list_entered_in_error, list_responses

GAD7 = get_instrument("gad7")
PHQ9 = get_instrument("phq9")


def _stored(world: World, code: str, answers: list[float], instrument=GAD7,  # type: ignore[no-untyped-def]
            session: int = 1) -> int:
    with world.store.transaction("tom", interface="system") as tx:
        return record_response(tx, code, instrument,
                               score(instrument, dict(zip(instrument.item_ids, answers,
                                                          strict=True))), session=session)


def _mark(client: TestClient, code: str, response_id: int, reason: str,
          session: int = 1) -> Any:
    return client.post(f"/clients/{code}/sessions/{session}/responses/{response_id}/"
                       "entered-in-error", data={"reason": reason,
                                                 "csrf_token": csrf_of(client)},
                       follow_redirects=False)


def _client_scores(client: TestClient, code: str) -> str:
    """The client page's score tables (its charts' tables of scores by session)."""
    page = client.get(f"/clients/{code}").text
    return " ".join(re.findall(r"<table.*?</table>", page, re.S))


def test_the_session_page_marks_a_wrong_score_and_keeps_it_listed(
        world: World, signed_in: dict[str, TestClient]) -> None:
    code = new_client_of_tom(world, 1, prefix="E")
    wrong = _stored(world, code, [3.0] * 7)
    tom = signed_in["tom"]
    page = tom.get(f"/clients/{code}/sessions/1").text
    assert f"/responses/{wrong}/entered-in-error" in page
    assert "Mark GAD-7 entered in error" in page
    assert ">21<" in _client_scores(tom, code)

    answer = _mark(tom, code, wrong, "answers of another client's form")
    assert answer.status_code == 303
    assert answer.headers["location"].endswith(f"?marked={wrong}#scores")
    after = tom.get(answer.headers["location"]).text
    assert "marked entered in error" in after
    table = re.search(r'<table class="data session-scores">.*?</table>', after, re.S)
    assert table is None  # no questionnaire of this session counts any more
    marked = re.search(r'<table class="data session-errors">.*?</table>', after, re.S)
    assert marked is not None and "answers of another client&#39;s form" in marked.group(0)
    assert ">GAD-7<" in marked.group(0) and ">21.0<" in marked.group(0)
    # the client page's scores no longer hold it; the right answers can be entered
    assert ">21<" not in _client_scores(tom, code)
    right = _stored(world, code, [1.0, 0, 1, 0, 1, 0, 1])
    with world.store.transaction("tom", interface="system") as tx:
        assert [r.id for r in list_responses(tx, code)] == [right]
        assert [r.id for r in list_entered_in_error(tx, code)] == [wrong]

    # the supervisor reads the history but gets no control, and cannot post one
    sam = signed_in["sam"]
    seen = sam.get(f"/clients/{code}/sessions/1").text
    assert "answers of another client" in seen and "entered-in-error" not in seen.split(
        "session-errors")[0]
    assert _mark(sam, code, right, "no").status_code == 404


def test_an_open_flag_or_a_blank_reason_re_shows_the_page_and_writes_nothing(
        world: World, signed_in: dict[str, TestClient]) -> None:
    code = new_client_of_tom(world, 1, prefix="E")
    flagged = _stored(world, code, [1.0] * 8 + [2.0], instrument=PHQ9)
    tom = signed_in["tom"]
    answer = _mark(tom, code, flagged, "wrong client")
    assert answer.status_code == 409
    assert "Not marked: response" in answer.text and "has an open safety flag" in answer.text
    assert f"acknowledge flag questionnaire:{flagged}:phq9_9 first" in answer.text
    blank = _mark(tom, code, flagged, "   ")
    assert blank.status_code in (400, 409)
    with world.store.transaction("tom", interface="system") as tx:
        assert list_entered_in_error(tx, code) == []
    # a response of another session is not this page's to mark
    assert _mark(tom, code, flagged, "x", session=2).status_code == 404


@pytest.fixture(scope="module")
def api(app: FastAPI, world: World) -> TestClient:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "entered-in-error")
    client = TestClient(app, base_url="https://testserver")
    client.headers["authorization"] = f"Bearer {token}"
    return client


def test_the_api_marks_and_lists_with_the_mark(world: World, api: TestClient) -> None:
    code = new_client_of_tom(world, 1, prefix="E")
    wrong = _stored(world, code, [2.0] * 7)
    url = f"/api/v1/clients/{code}/responses/{wrong}/entered-in-error"
    assert api.post(url, json={"reason": ""}).status_code == 422
    done = api.post(url, json={"reason": "typed twice"})
    assert done.status_code == 200, done.text
    assert done.json()["data"]["entered_in_error"]["reason"] == "typed twice"
    again = api.post(url, json={"reason": "typed twice"})
    assert (again.status_code, again.json()["code"]) == (409, "conflict")
    listed = api.get(f"/api/v1/clients/{code}/responses").json()["data"]
    assert listed == []
    every = api.get(f"/api/v1/clients/{code}/responses",
                    params={"include_entered_in_error": "true"}).json()["data"]
    assert [(r["id"], r["entered_in_error"]["by"]) for r in every] == [(wrong, "tom")]
