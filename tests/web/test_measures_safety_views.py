"""Questionnaire views through the real app on SQLite and PostgreSQL: a change to an
administration with PHQ-9 item 9 endorsed is never shown as "recovered" (caseload, client
page, session page, API, the with-client page); a blank administration is never stored; a
client form never asks a question twice; the API takes numbers only; the change column
shows its value; a screener's and an alliance measure's cut-off keep their own names; a
feedback page of a missing session is 404."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World, csrf_of, new_client, new_client_of_tom

from rapport.measures.catalog import get_instrument
from rapport.store.feedback import forms_of_session
from rapport.store.logins import create_api_token
from rapport.store.responses import list_responses

PHQ9 = get_instrument("phq9")
GAD7 = get_instrument("gad7")
CAVEAT = "PHQ-9 item 9 endorsed (2): follow up"
ON_TOTAL = f"improved on the total, across the cut-off — {CAVEAT}"
CELEBRATION = "That change is bigger than the everyday ups and downs"


def client_of_tom(world: World, sessions: int = 5) -> str:
    return new_client_of_tom(world, sessions, prefix="M")


@pytest.fixture(scope="module")
def api(app: FastAPI, world: World) -> TestClient:
    """An API client with a token of tom's."""
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "measures-safety")
    client = TestClient(app, base_url="https://testserver")
    client.headers["authorization"] = f"Bearer {token}"
    return client


def post_response(api: TestClient, code: str, instrument: str, session: int,
                  answers: dict[str, object]) -> dict[str, object]:
    sent = api.post(f"/api/v1/clients/{code}/responses",
                    json={"instrument": instrument, "session": session, "answers": answers})
    assert sent.status_code == 201, sent.text
    return sent.json()["data"]  # type: ignore[no-any-return]


def phq9(*values: int) -> dict[str, object]:
    return dict(zip(PHQ9.item_ids, values, strict=True))


def client_form_path(tom: TestClient, code: str, number: int, *instruments: str) -> str:
    made = tom.post(f"/clients/{code}/sessions/{number}/feedback",
                    data={"instruments": list(instruments), "delivery": "link",
                          "csrf_token": csrf_of(tom)})
    assert made.status_code == 201, made.text[:500]
    path = re.search(r'value="https?://[^/"]+(/f/[A-Za-z0-9_-]{43})"', made.text)
    assert path, made.text[:500]
    return path.group(1)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def row_of(html: str, code: str) -> str:
    return html.split(f'<a href="/clients/{code}">', 1)[1].split("</tr>", 1)[0]


def progress_rows(html: str, instrument: str) -> list[list[str]]:
    """The client page's data table of one questionnaire, cell texts per row."""
    box = html.split(f'id="chart-{instrument}-box"', 1)[1].split("</figure>", 1)[0]
    body = box.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def session_rows(html: str) -> dict[str, list[str]]:
    table = html.split('class="data session-scores"', 1)[1].split("</table>", 1)[0]
    rows = [[text_of(c) for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.S)]
    return {row[0]: row for row in rows}


# -- bug 1: item 9 endorsed on the client's form: "on the total", the flag named ---------------
def test_item_9_on_the_clients_form_is_never_shown_as_recovered(
        world: World, signed_in: dict[str, TestClient], app: FastAPI, api: TestClient) -> None:
    code = client_of_tom(world)
    tom = signed_in["tom"]
    post_response(api, code, "phq9", 1, phq9(2, 2, 2, 2, 2, 0, 0, 0, 0))  # 10
    path = client_form_path(tom, code, 5, "phq9")
    answers = {f"phq9.{item}": "0" for item in PHQ9.item_ids[:8]} | {"phq9.phq9_9": "2"}
    sent = new_client(app).post(path, data=answers)
    assert sent.headers["location"] == "/feedback/thanks?talk=1"

    row = row_of(tom.get("/").text, code)
    assert "PHQ-9 2" in row and "recovered" not in row
    assert ON_TOTAL in text_of(row)
    assert "answered 2 (More than half the days): urgent" in row  # the flag, as before

    page = tom.get(f"/clients/{code}").text
    assert "recovered" not in page
    assert progress_rows(page, "phq9")[-1][4] == f"-8 ({ON_TOTAL})"

    session = tom.get(f"/clients/{code}/sessions/5").text
    assert "recovered" not in session
    assert session_rows(session)["PHQ-9"][4] == f"-8 ({ON_TOTAL})"

    report = api.get(f"/api/v1/clients/{code}/progress").json()["data"]["reports"][0]
    # the category keeps its published meaning; the new field carries the caveat
    assert (report["overall"]["category"], report["overall"]["safety_caveat"]) == (
        "recovered", CAVEAT)
    assert report["points"][1]["change"]["safety_caveat"] == CAVEAT
    assert report["points"][0]["change"] is None

    own = text_of(tom.get(f"/clients/{code}/with-client").text)
    assert CELEBRATION not in own
    assert "talk through your latest answers together" in own
    assert "item 9" not in own and "flag" not in own  # flags stay the therapist's


def test_without_item_9_recovery_is_still_called_so(
        world: World, signed_in: dict[str, TestClient], api: TestClient) -> None:
    code = client_of_tom(world)
    post_response(api, code, "phq9", 1, phq9(2, 2, 2, 2, 2, 0, 0, 0, 0))  # 10
    post_response(api, code, "phq9", 5, phq9(1, 1, 0, 0, 0, 0, 0, 0, 0))  # 2
    tom = signed_in["tom"]
    assert "recovered" in row_of(tom.get("/").text, code)
    assert progress_rows(tom.get(f"/clients/{code}").text, "phq9")[-1][4] == "-8 (recovered)"
    report = api.get(f"/api/v1/clients/{code}/progress").json()["data"]["reports"][0]
    assert report["overall"]["safety_caveat"] is None
    assert CELEBRATION in text_of(tom.get(f"/clients/{code}/with-client").text)


# -- bug 5: the change since first shows its value ---------------------------------------------
def test_change_since_first_shows_the_value_with_the_category(
        world: World, signed_in: dict[str, TestClient], api: TestClient) -> None:
    code = client_of_tom(world)
    post_response(api, code, "phq9", 1, phq9(2, 2, 2, 2, 2, 2, 2, 2, 0))  # 16
    post_response(api, code, "phq9", 2, phq9(2, 2, 2, 2, 2, 0, 0, 0, 0))  # 10
    post_response(api, code, "phq9", 3, phq9(2, 2, 2, 2, 2, 2, 1, 1, 0))  # 14
    rows = progress_rows(signed_in["tom"].get(f"/clients/{code}").text, "phq9")
    assert [row[4] for row in rows] == ["—", "-6 (improved)", "-2 (unchanged)"]
    session = session_rows(signed_in["tom"].get(f"/clients/{code}/sessions/2").text)
    assert session["PHQ-9"][4] == "-6 (improved)"


# -- bug 2: no answered item is never stored, on any path --------------------------------------
def test_a_blank_administration_is_refused_by_the_api_and_the_form(
        world: World, signed_in: dict[str, TestClient], api: TestClient) -> None:
    code = client_of_tom(world)
    for answers in ({}, dict.fromkeys(GAD7.item_ids)):
        refused = api.post(f"/api/v1/clients/{code}/responses",
                           json={"instrument": "gad7", "session": 4, "answers": answers})
        assert refused.status_code == 400, refused.text
        assert refused.json()["code"] == "no_answers"
        assert "no item of the GAD-7 is answered" in refused.json()["error"]
    tom = signed_in["tom"]
    form = {"instrument": "gad7", "csrf_token": csrf_of(tom),
            **{f"item_{item}": "" for item in GAD7.item_ids}}
    page = tom.post(f"/clients/{code}/sessions/4/questionnaire", data=form)
    assert page.status_code == 400
    assert "no item of the GAD-7 is answered" in page.text
    assert "Questionnaire saved and scored" not in page.text
    with world.store.transaction("tom", interface="system") as tx:
        assert list_responses(tx, code) == []
    # the real entry afterwards is stored
    post_response(api, code, "gad7", 4, dict.fromkeys(GAD7.item_ids, 1))


# -- bug 3: one form never asks the same question twice ----------------------------------------
@pytest.mark.parametrize("chosen", [["phq9", "phq2"], ["gad7", "gad2"]])
def test_a_form_with_a_screener_and_its_full_form_is_refused(
        world: World, signed_in: dict[str, TestClient], chosen: list[str]) -> None:
    code = client_of_tom(world)
    tom = signed_in["tom"]
    page = tom.post(f"/clients/{code}/sessions/1/feedback",
                    data={"instruments": chosen, "delivery": "link",
                          "csrf_token": csrf_of(tom)})
    assert page.status_code == 400
    assert "ask the same questions, so one form cannot hold both" in page.text
    assert "/f/" not in page.text
    with world.store.transaction("tom", interface="system") as tx:
        assert forms_of_session(tx, code, 1) == []  # nothing was created
    client_form_path(tom, code, 1, chosen[0])  # one of them alone is fine


# -- bug 4: JSON booleans and strings are not numbers -----------------------------------------
@pytest.mark.parametrize("bad", [{"phq9_9": False}, {"phq9_1": True}, {"phq9_1": "2"}])
def test_the_api_refuses_answers_that_are_not_numbers(
        world: World, api: TestClient, bad: dict[str, object]) -> None:
    code = client_of_tom(world)
    answers = phq9(1, 1, 1, 1, 1, 1, 1, 1, 0) | bad
    refused = api.post(f"/api/v1/clients/{code}/responses",
                       json={"instrument": "phq9", "session": 1, "answers": answers})
    assert refused.status_code == 422, refused.text
    item = next(iter(bad))
    assert refused.json()["error"].startswith(f"body.answers.{item}: ")
    with world.store.transaction("tom", interface="system") as tx:
        assert list_responses(tx, code) == []
    # integers and decimals are numbers
    data = post_response(api, code, "phq9", 1, phq9(1, 1, 1, 1, 1, 1, 1, 1, 0) | {"phq9_1": 1.0})
    assert data["total"] == 8.0


# -- bug 6: a screener's and an alliance measure's cut-off keep their own names ----------------
def test_screener_and_alliance_cut_offs_are_named_as_their_kind(
        world: World, signed_in: dict[str, TestClient], api: TestClient) -> None:
    code = client_of_tom(world)
    post_response(api, code, "phq2", 1, {"phq2_1": 2, "phq2_2": 2})  # 4: positive screen
    post_response(api, code, "srs", 1, {"srs_1": 7.5, "srs_2": 7.5, "srs_3": 7.5, "srs_4": 7.5})
    post_response(api, code, "phq9", 1, phq9(2, 2, 2, 2, 2, 0, 0, 0, 0))
    page = signed_in["tom"].get(f"/clients/{code}").text
    desc = dict(re.findall(r'<desc id="chart-(\w+)-d">(.*?)</desc>', page))
    assert "Dashed line: screening cut-off at 3." in desc["phq2"]
    assert "Dashed line: alert threshold at 36." in desc["srs"]
    assert "Dashed line: clinical cut-off at 10." in desc["phq9"]
    assert "clinical" not in desc["phq2"] + desc["srs"]
    assert progress_rows(page, "phq2")[0][3] == "positive screen"
    assert progress_rows(page, "srs")[0][3] == "below the alert threshold"
    session = session_rows(signed_in["tom"].get(f"/clients/{code}/sessions/1").text)
    assert session["PHQ-2"][2] == "positive screen"
    assert session["SRS"][2] == "below the alert threshold"
    assert session["PHQ-9"][2] == "Moderate depression"


# -- bug 7: the feedback page of a session that does not exist ---------------------------------
def test_the_feedback_page_of_a_missing_session_is_not_found(
        signed_in: dict[str, TestClient]) -> None:
    assert signed_in["tom"].get("/clients/C-001/sessions/77/feedback").status_code == 404
    assert signed_in["tom"].get("/clients/C-001/sessions/2/feedback").status_code == 200
