"""Safety flags through the real app on SQLite and PostgreSQL (issue 15, items 1-4): item 9
left blank from the API, the therapist's form and the client's form; flags of every
questionnaire first on every clinician page and API view whatever the filter; a remote
form's risk answer on the therapist's and supervisor's caseload at once; acknowledging
with a note, audited, keeping the flag and its history."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World, csrf_of, new_client, new_client_of_tom

from rapport.measures.catalog import get_instrument
from rapport.store.logins import create_api_token

PHQ9 = get_instrument("phq9")
ITEM9 = "item 9 (thoughts that you would be better off dead, or of hurting yourself)"
UNANSWERED = f"PHQ-9 {ITEM9} not answered — ask directly"


@pytest.fixture(scope="module")
def api(app: FastAPI, world: World) -> dict[str, TestClient]:
    """API clients with tokens for tom and his supervisor sam."""
    clients = {}
    for name in ("tom", "sam"):
        with world.store.transaction(name, interface="system") as tx:
            token, _ = create_api_token(tx, f"safety-{name}")
        client = TestClient(app, base_url="https://testserver")
        client.headers["authorization"] = f"Bearer {token}"
        clients[name] = client
    return clients


def caseload_rows(html: str) -> list[tuple[str, str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<tr( class="has-safety")?>\s*<th scope="row"><a href="/clients/'
                      r'([^"]+)">', body)


def row_of(html: str, code: str) -> str:
    return html.split(f'<a href="/clients/{code}">', 1)[1].split("</tr>", 1)[0]


# -- item 1: item 9 blank from every web entry path --------------------------------------------
def test_item_9_blank_through_the_api_is_urgent(api: dict[str, TestClient],
                                                world: World) -> None:
    code = new_client_of_tom(world)
    answers = dict.fromkeys(PHQ9.item_ids[:8], 3)  # item 9 left out
    scored = api["tom"].post(f"/api/v1/clients/{code}/responses",
                             json={"instrument": "phq9", "session": 1, "answers": answers})
    assert scored.status_code == 201, scored.text
    data = scored.json()["data"]
    assert data["total"] is None
    assert [(f["reason"], f["message"]) for f in data["safety_flags"]] == [
        ("unanswered", UNANSWERED)]
    flags = api["tom"].get(f"/api/v1/clients/{code}/safety-flags").json()["data"]
    assert [(f["state"], f["rule"], f["message"]) for f in flags] == [
        ("open", "safety.risk_item_unanswered", UNANSWERED)]


def test_item_9_blank_on_the_therapists_form_is_urgent(world: World,
                                                       signed_in: dict[str, TestClient]
                                                       ) -> None:
    code = new_client_of_tom(world)
    tom = signed_in["tom"]
    form = {"instrument": "phq9", "csrf_token": csrf_of(tom),
            **{f"item_{i}": "3" for i in PHQ9.item_ids[:8]}, "item_phq9_9": ""}
    sent = tom.post(f"/clients/{code}/sessions/1/questionnaire", data=form)
    assert sent.status_code == 303, sent.text[:500]
    page = tom.get(sent.headers["location"]).text
    assert f"SAFETY: {UNANSWERED}" in page
    assert "open safety flag" in page.split("<h1>", 1)[1].split("</section>", 1)[0]


def test_item_9_blank_on_the_clients_form_is_stored_and_urgent(
        world: World, signed_in: dict[str, TestClient], app: FastAPI) -> None:
    code = new_client_of_tom(world)
    tom = signed_in["tom"]
    made = tom.post(f"/clients/{code}/sessions/1/feedback",
                    data={"instruments": ["phq9"], "delivery": "link",
                          "csrf_token": csrf_of(tom)})
    path = re.search(r'value="https?://[^/"]+(/f/[A-Za-z0-9_-]{43})"', made.text)
    assert path, made.text[:500]
    answers = {f"phq9.{i}": "1" for i in PHQ9.item_ids[:8]}  # item 9 not answered
    sent = new_client(app).post(path.group(1), data=answers)
    assert sent.status_code == 303 and sent.headers["location"] == "/feedback/thanks"
    home = tom.get("/").text
    assert (' class="has-safety"', code) in caseload_rows(home)
    assert UNANSWERED in row_of(home, code)


# -- item 2: flags of every questionnaire first, whatever the filter ---------------------------
def test_a_filter_never_hides_a_flag_in_the_api_or_the_pages(
        api: dict[str, TestClient], world: World, signed_in: dict[str, TestClient]) -> None:
    code = new_client_of_tom(world)
    tom_api = api["tom"]
    answers = dict.fromkeys(PHQ9.item_ids, 1)  # item 9 answered 1
    tom_api.post(f"/api/v1/clients/{code}/responses",
                 json={"instrument": "phq9", "session": 1, "answers": answers})
    tom_api.post(f"/api/v1/clients/{code}/responses",
                 json={"instrument": "gad7", "session": 2,
                       "answers": dict.fromkeys(get_instrument("gad7").item_ids, 1)})
    for who in ("tom", "sam"):
        progress = api[who].get(f"/api/v1/clients/{code}/progress",
                                params={"instrument": "gad7"}).json()["data"]
        assert [r["instrument"] for r in progress["reports"]] == ["gad7"]
        assert [(f["instrument"], f["state"]) for f in progress["safety_flags"]] == [
            ("phq9", "open")]
        first = progress["alerts"][0]
        assert (first["rule"], first["state"]) == ("safety.risk_item", "open")
        assert ITEM9 in first["message"] and "phq9_9" not in first["message"]
    # every clinician page about the client shows the open flag before its own content
    tom = signed_in["tom"]
    for url, before in ((f"/clients/{code}", "Progress"),
                        (f"/clients/{code}/sessions/2", "Questionnaires of this session"),
                        (f"/clients/{code}/sessions/2/questionnaire", "Questionnaire</label>"),
                        (f"/clients/{code}/sessions/2/feedback", "Questionnaires (one")):
        page = tom.get(url).text
        assert ITEM9 in page, url
        assert page.index(ITEM9) < page.index(before), url
    for who in ("tom", "sam"):
        page = signed_in[who].get("/supervision").text
        assert f'<a href="/clients/{code}#safety">{code}</a>' in page
        assert page.index(ITEM9) < page.index("About the ranges")


# -- item 3: remote form -> caseload at once; acknowledgement ----------------------------------
def test_a_remote_risk_answer_reaches_both_caseloads_and_is_acknowledged(
        world: World, signed_in: dict[str, TestClient], app: FastAPI,
        api: dict[str, TestClient]) -> None:
    code = new_client_of_tom(world)
    tom, sam = signed_in["tom"], signed_in["sam"]
    made = tom.post(f"/clients/{code}/sessions/1/feedback",
                    data={"instruments": ["phq9"], "delivery": "link",
                          "csrf_token": csrf_of(tom)})
    path = re.search(r'value="https?://[^/"]+(/f/[A-Za-z0-9_-]{43})"', made.text)
    assert path
    phone = new_client(app)
    sent = phone.post(path.group(1), data={**{f"phq9.{i}": "0" for i in PHQ9.item_ids},
                                           "phq9.phq9_9": "2"})
    assert sent.headers["location"] == "/feedback/thanks?talk=1"
    thanks = phone.get(sent.headers["location"]).text
    assert "emergency" in thanks and ITEM9 not in thanks  # the client sees no alert
    message = f"PHQ-9 {ITEM9} answered 2 (More than half the days): urgent"
    for who in (tom, sam):  # at once, on both caseloads, on top and in words
        home = who.get("/").text
        row = row_of(home, code)
        assert message in row and 'class="alert-safety"' in row
        assert caseload_rows(home)[0][0]  # the top row carries an open flag
    flag = api["tom"].get(f"/api/v1/clients/{code}/safety-flags").json()["data"][0]
    assert flag["state"] == "open" and flag["acknowledgements"] == []
    # tom acknowledges on the client page: the flag stays, marked, with its history
    done = tom.post(f"/clients/{code}/safety-flags/acknowledge",
                    data={"flag": flag["flag"], "action": "assessed",
                          "note": "phoned the client; safety plan reviewed",
                          "csrf_token": csrf_of(tom)})
    assert done.status_code == 303 and done.headers["location"] == f"/clients/{code}#safety"
    page = tom.get(f"/clients/{code}").text
    assert "Safety — acknowledged" in page and message in page
    assert ("tom (therapist): <strong>risk assessment done</strong> — phoned the client; "
            "safety plan reviewed") in page
    home = sam.get("/").text
    assert message in row_of(home, code) and "Safety — acknowledged" in row_of(home, code)
    assert ("", code) in caseload_rows(home)  # no longer marked as an open flag
    # sam adds to the history through the API; nothing is replaced
    more = api["sam"].post(f"/api/v1/clients/{code}/safety-flags/acknowledgements",
                           json={"flag": flag["flag"], "action": "discussed",
                                 "note": "reviewed with tom in supervision"})
    assert more.status_code == 201, more.text
    again = api["tom"].get(f"/api/v1/clients/{code}/safety-flags").json()["data"][0]
    assert again["state"] == "acknowledged" and again["message"].startswith(message)
    assert [(a["by"], a["role"], a["action"]) for a in again["acknowledgements"]] == [
        ("tom", "therapist", "assessed"), ("sam", "supervisor", "discussed")]
    alerts = api["tom"].get("/api/v1/alerts").json()["data"]
    mine = [a for a in alerts if a["client"] == code]
    assert [(a["flag"], a["state"]) for a in mine] == [(flag["flag"], "acknowledged")]
    audit = api["tom"].get("/api/v1/audit").json()["data"]
    assert sum(r["entity"] == "safety-ack" and r["action"] == "create" for r in audit) >= 2


def test_a_bad_acknowledgement_is_answered_on_the_page(
        world: World, signed_in: dict[str, TestClient], api: dict[str, TestClient]) -> None:
    code = new_client_of_tom(world)
    api["tom"].post(f"/api/v1/clients/{code}/responses",
                    json={"instrument": "phq9", "session": 1,
                          "answers": dict.fromkeys(PHQ9.item_ids, 1)})
    flag = api["tom"].get(f"/api/v1/clients/{code}/safety-flags").json()["data"][0]["flag"]
    tom = signed_in["tom"]
    empty = tom.post(f"/clients/{code}/safety-flags/acknowledge",
                     data={"flag": flag, "action": "assessed", "note": " ",
                           "csrf_token": csrf_of(tom)})
    assert empty.status_code == 400 and "Not saved: the note is empty" in empty.text
    unknown = tom.post(f"/clients/{code}/safety-flags/acknowledge",
                       data={"flag": flag.replace("phq9_9", "phq9_1"), "action": "assessed",
                             "note": "x", "csrf_token": csrf_of(tom)})
    assert unknown.status_code == 404
    other = api["tom"].post("/api/v1/clients/C-900/safety-flags/acknowledgements",
                            json={"flag": flag, "action": "assessed", "note": "x"})
    assert other.status_code == 404  # tess's client: not tom's to see
    # "not risk" is for a transcript coder's false alarm, never for a client's own answer
    assert 'value="not_risk"' not in tom.get(f"/clients/{code}").text
    client_own = api["tom"].post(f"/api/v1/clients/{code}/safety-flags/acknowledgements",
                                 json={"flag": flag, "action": "not_risk", "note": "x"})
    assert client_own.status_code == 400
    assert "only for risk language found in a transcript" in client_own.json()["error"]
    state = api["tom"].get(f"/api/v1/clients/{code}/safety-flags").json()["data"][0]
    assert state["state"] == "open" and state["acknowledgements"] == []
