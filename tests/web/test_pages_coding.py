"""The workbench's pages and API with signed-in browsers, on SQLite and PostgreSQL: blind
and model-assisted projects, codes checked against the codebook, members only."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from fastapi.testclient import TestClient
from web_world import World, csrf_of

from rapport.store.models import CodingLabel


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
