"""The workbench's pages and API with signed-in browsers, on SQLite and PostgreSQL: blind
and model-assisted projects, codes checked against the codebook, members only."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from fastapi.testclient import TestClient
from web_world import World, csrf_of

from rapport.store.models import CodingLabel, CodingProject


def _make(client: TestClient, mode: str) -> tuple[int, int]:
    answer = client.post("/api/v1/coding/projects", headers={"X-CSRF-Token": csrf_of(client)},
                         json={"name": f"{mode} pilot", "sessions": [["C-001", 1]],
                               "coders": ["tom", "sam"], "mode": mode})
    assert answer.status_code == 201, answer.text
    project = answer.json()["data"]
    unit = client.get(f"/api/v1/coding/projects/{project}").json()["data"]["units"][0]["id"]
    return project, unit


def _labels(world: World) -> int:
    with world.store.transaction(None) as tx:
        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(CodingLabel)) or 0)


def _projects(world: World) -> int:
    with world.store.transaction(None) as tx:
        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(CodingProject)) or 0)


def test_blind_hides_the_model_and_assisted_shows_it(world: World,
                                                    signed_in: dict[str, TestClient]) -> None:
    tom, sam = signed_in["tom"], signed_in["sam"]
    blind, blind_unit = _make(tom, "blind")
    turns = sam.get(f"/api/v1/coding/projects/{blind}/units/{blind_unit}").json()["data"]
    assert turns["turns"] and all("model" not in t for t in turns["turns"])
    assert "model:" not in sam.get(f"/coding/{blind}/units/{blind_unit}").text
    assisted, unit = _make(tom, "assisted")
    turns = sam.get(f"/api/v1/coding/projects/{assisted}/units/{unit}").json()["data"]
    assert any(t["model"] for t in turns["turns"])  # the stored analysis has model codes
    page = sam.get(f"/coding/{assisted}/units/{unit}").text
    assert "Model-assisted" in page and "model:" in page
    headers = {"X-CSRF-Token": csrf_of(sam)}
    saved = sam.post(f"/api/v1/coding/projects/{assisted}/units/{unit}/codes",
                     headers=headers, json={"turn_index": 0, "labels": []})
    assert saved.status_code == 200, saved.text
    with world.store.transaction(None) as tx:
        modes = set(tx.db.scalars(sa.select(CodingLabel.mode)))
    assert modes == {"assisted"}  # the only codes saved so far, made in the assisted project


def test_a_code_not_in_the_codebook_is_refused_and_nothing_stored(
        world: World, signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    project, unit = _make(tom, "blind")
    before = _labels(world)
    answer = tom.post(f"/api/v1/coding/projects/{project}/units/{unit}/codes",
                      headers={"X-CSRF-Token": csrf_of(tom)},
                      json={"turn_index": 0, "labels": ["not_a_code"]})
    assert answer.status_code == 400
    assert answer.json()["code"] == "bad_code"
    assert _labels(world) == before


def test_the_list_shows_only_ones_own_projects(signed_in: dict[str, TestClient]) -> None:
    project, _ = _make(signed_in["tom"], "blind")
    assert f'href="/coding/{project}"' in signed_in["sam"].get("/coding").text
    for outsider in ("tess", "rita", "sue"):
        page = signed_in[outsider].get("/coding").text
        assert f'href="/coding/{project}"' not in page
        assert signed_in[outsider].get(f"/coding/{project}").status_code == 404


def test_the_api_exports_for_adjudicators_only(signed_in: dict[str, TestClient]) -> None:
    tom, sam = signed_in["tom"], signed_in["sam"]
    project, unit = _make(tom, "blind")
    for i in range(2):  # sam codes two turns; the "sam" code table shows them
        answer = sam.post(f"/api/v1/coding/projects/{project}/units/{unit}/codes",
                          headers={"X-CSRF-Token": csrf_of(sam)},
                          json={"turn_index": i, "labels": []})
        assert answer.status_code == 200, answer.text
    # tom codes the unit too: its codes are hidden from him until he finishes (blind)
    finished = tom.post(f"/coding/{project}/units/{unit}/finish",
                        headers={"X-CSRF-Token": csrf_of(tom)}, follow_redirects=False)
    assert finished.status_code == 303, finished.text
    url = f"/api/v1/coding/projects/{project}/export"
    table = tom.get(url, params={"format": "csv", "coding": "sam"}).json()["data"]
    assert table["media_type"] == "text/csv" and table["encoding"] == "utf-8"
    header, *rows = table["content"].splitlines()
    assert header.startswith("session_id,turn_index,role,speaker,text,")
    assert rows[0].split(",")[1] == "0"
    parquet = tom.get(url, params={"format": "parquet", "coding": "sam"}).json()["data"]
    assert parquet["encoding"] == "base64"
    assert base64.b64decode(parquet["content"])[:4] == b"PAR1"
    untimed = tom.get(url, params={"format": "eaf", "unit": unit})  # the session has no times
    assert untimed.status_code == 400 and untimed.json()["code"] == "untimed"
    assert tom.get(url, params={"format": "pdf"}).status_code == 422
    bad = tom.get(url, params={"format": "csv", "coding": "nobody"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_coding"
    assert sam.get(url).status_code == 404  # a coder, not an adjudicator


def test_agreement_of_codes_nobody_used_is_na_with_the_reason(
        signed_in: dict[str, TestClient]) -> None:
    # tom and sam code the therapist turns only, then finish: every client code is "0"
    # throughout on both sides, so its kappa and alpha are undefined, never 1.000.
    tom, sam = signed_in["tom"], signed_in["sam"]
    project, unit = _make(tom, "blind")
    turns = tom.get(f"/api/v1/coding/projects/{project}/units/{unit}").json()["data"]["turns"]
    therapist = [t["index"] for t in turns if t["role"] == "therapist"]
    for who in (tom, sam):
        for i in therapist:
            labels = ["affirm"] if i == therapist[0] else []
            answer = who.post(f"/api/v1/coding/projects/{project}/units/{unit}/codes",
                              headers={"X-CSRF-Token": csrf_of(who)},
                              json={"turn_index": i, "labels": labels})
            assert answer.status_code == 200, answer.text
        finished = who.post(f"/coding/{project}/units/{unit}/finish",
                            headers={"X-CSRF-Token": csrf_of(who)}, follow_redirects=False)
        assert finished.status_code == 303, finished.text
    (pair,) = [p for p in tom.get(f"/api/v1/coding/projects/{project}/agreement")
               .json()["data"] if {p["a"], p["b"]} == {"sam", "tom"}]
    codes = {c["code"]: c for c in pair["codes"]}
    for name in ("withdrawal", "confrontation", "self_disclosure"):
        assert codes[name]["n"] > 0 and codes[name]["accuracy"] == 1.0
        assert codes[name]["kappa"] is None and codes[name]["alpha"] is None, name
        assert codes[name]["undefined"] == ("only one value used by both coders: "
                                            "neither coding gave this code")
    assert codes["affirm"]["kappa"] == 1.0 and codes["affirm"]["undefined"] is None
    page = tom.get(f"/coding/{project}/agreement").text
    row = page.split('data-code="withdrawal"')[1].split("</tr>")[0]
    assert 'class="kappa">n/a' in row and 'class="alpha">n/a' in row
    assert "neither coding gave this code" in row
    assert "1.000" not in row


def test_a_coder_named_twice_is_refused_by_api_and_page(
        world: World, signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    before = _projects(world)
    answer = tom.post("/api/v1/coding/projects", headers={"X-CSRF-Token": csrf_of(tom)},
                      json={"name": "bad5", "sessions": [["C-001", 1]],
                            "coders": ["tom", "sam", "tom"], "mode": "blind"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == "bad_project"
    assert "tom is named twice as a coder" in answer.text
    page = tom.post("/coding", data={"csrf_token": csrf_of(tom), "name": "bad5",
                                     "sessions": "C-001:1", "coders": "tom, tom"},
                    follow_redirects=False)
    assert page.status_code == 400 and "tom is named twice as a coder" in page.text
    assert _projects(world) == before
