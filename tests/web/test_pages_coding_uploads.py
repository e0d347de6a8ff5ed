"""Projects from uploaded transcripts on the page and through the API (multipart), and the
project page's changes (add, reopen, delete), with signed-in browsers on SQLite and
PostgreSQL. A bad file is one error and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient
from web_world import World, csrf_of

from rapport.store.models import CodingEvent, CodingProject, CodingUnit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _files(*names: str, field: str = "files") -> list[tuple[str, tuple[str, bytes, str]]]:
    return [(field, (n, (EXAMPLES / n).read_bytes(), "text/plain")) for n in names]


def _count(world: World, model: type[object]) -> int:
    with world.store.transaction(None) as tx:
        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_an_admin_makes_a_project_of_uploads_on_the_page(
        world: World, signed_in: dict[str, TestClient]) -> None:
    ada, tom = signed_in["ada"], signed_in["tom"]
    form = ada.get("/coding").text
    assert 'name="transcripts"' in form and 'name="sessions"' not in form
    answer = ada.post("/coding", data={
        "csrf_token": csrf_of(ada), "name": "role-plays", "coders": "tom, sam",
        "client_speakers": "Maya"}, files=_files("good_listening.srt",
                                                 "rupture_repair.txt", field="transcripts"),
        follow_redirects=False)
    assert answer.status_code == 303, answer.text
    project = int(answer.headers["location"].rsplit("/", 1)[1])
    page = tom.get(f"/coding/{project}").text
    assert "transcript 1" in page and "(uploaded)" in page
    assert "Change the project" not in page  # tom codes it; ada made it
    view = tom.get(f"/api/v1/coding/projects/{project}").json()["data"]
    assert view["deidentified"] and [u["uploaded"] for u in view["units"]] == [True, True]
    unit = view["units"][0]["id"]
    turns = tom.get(f"/api/v1/coding/projects/{project}/units/{unit}").json()["data"]["turns"]
    assert turns and "Maya" not in " ".join(t["text"] for t in turns)
    assert "Change the project" in ada.get(f"/coding/{project}").text


def test_a_bad_file_on_the_page_is_one_error_and_nothing_stored(
        world: World, signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    before = _count(world, CodingProject), _count(world, CodingUnit)
    bad = [("transcripts", ("bad.vtt", b"WEBVTT\n\n00:00:05.000 --> x\nhi\n", "text/vtt"))]
    answer = tom.post("/coding", data={"csrf_token": csrf_of(tom), "name": "p",
                                       "coders": "sam"},
                      files=_files("rupture_repair.txt", field="transcripts") + bad)
    assert answer.status_code == 400
    assert "bad.vtt" in answer.text and 'role="alert"' in answer.text
    assert (_count(world, CodingProject), _count(world, CodingUnit)) == before


def test_the_api_takes_uploads_and_changes(world: World,
                                           signed_in: dict[str, TestClient]) -> None:
    tom, sam = signed_in["tom"], signed_in["sam"]
    headers = {"X-CSRF-Token": csrf_of(tom)}
    answer = tom.post("/api/v1/coding/projects/uploads", headers=headers, data={
        "name": "api uploads", "coders": "sam", "sessions": "C-001:1"},
        files=_files("rupture_repair.txt"))
    assert answer.status_code == 201, answer.text
    project = answer.json()["data"]
    units = sam.get(f"/api/v1/coding/projects/{project}").json()["data"]["units"]
    assert [u["uploaded"] for u in units] == [False, True]

    bad = tom.post("/api/v1/coding/projects/uploads", headers=headers, data={
        "name": "bad", "coders": "sam"}, files=_files("good_listening.srt"))
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_speaker"
    assert "good_listening.srt" in bad.json()["error"]

    added = tom.post(f"/api/v1/coding/projects/{project}/sessions", headers=headers,
                     data={"client": "Maya"}, files=_files("good_listening.srt"))
    assert added.status_code == 201, added.text
    assert tom.post(f"/api/v1/coding/projects/{project}/members", headers=headers,
                    json={"coders": ["tom"]}).status_code == 200
    unit = units[1]["id"]
    sam_headers = {"X-CSRF-Token": csrf_of(sam)}
    assert sam.post(f"/coding/{project}/units/{unit}/finish", headers=sam_headers,
                    follow_redirects=False).status_code == 303
    reopened = tom.post(f"/api/v1/coding/projects/{project}/units/{unit}/reopen",
                        headers=headers, json={"coder": "sam"})
    assert reopened.status_code == 200, reopened.text
    again = tom.post(f"/api/v1/coding/projects/{project}/units/{unit}/reopen",
                     headers=headers, json={"coder": "sam"})
    assert again.status_code == 400 and again.json()["code"] == "not_finished"
    history = sam.get(f"/api/v1/coding/projects/{project}/history").json()["data"]
    assert [e["kind"] for e in history] == ["sessions_added", "members_added", "reopened"]
    assert "reopened" in sam.get(f"/coding/{project}").text  # the page shows the history

    # sam codes it but did not make it: a change is "not found"
    assert sam.delete(f"/api/v1/coding/projects/{project}",
                      headers=sam_headers).status_code == 404
    units_before = _count(world, CodingUnit)
    assert tom.delete(f"/api/v1/coding/projects/{project}",
                      headers=headers).status_code == 200
    assert _count(world, CodingUnit) == units_before - 3
    with world.store.transaction(None) as tx:
        assert tx.db.scalar(sa.select(sa.func.count()).select_from(CodingEvent).where(
            CodingEvent.project_id == project)) == 0


def test_the_page_refuses_a_change_with_one_error(world: World,
                                                  signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    answer = tom.post("/api/v1/coding/projects", headers={"X-CSRF-Token": csrf_of(tom)},
                      json={"name": "plain", "sessions": [["C-001", 1]], "coders": ["sam"]})
    project = answer.json()["data"]
    events = _count(world, CodingEvent)
    # tess may not read C-001, and this project's turns were copied as they are
    refused = tom.post(f"/coding/{project}/members", data={
        "csrf_token": csrf_of(tom), "coders": "tess"})
    assert refused.status_code == 400 and "not_deidentified" not in refused.text
    assert "copied as they are" in refused.text
    assert _count(world, CodingEvent) == events


THREE = (b"Jo: How has the week been?\nMaya: Hard. I kept crying.\n"
         b"Lin: She says the week was hard and she cried a lot.\n"
         b"Jo: That sounds exhausting.\n")


def test_a_third_speaker_is_named_in_the_page_and_api_fields(
        world: World, signed_in: dict[str, TestClient]) -> None:
    # The error named the command line's --other and --roles FILE, which neither the page
    # nor the API has; both now take other speakers and say so in their own field names.
    tom = signed_in["tom"]
    three = [("transcripts", ("three.txt", THREE, "text/plain"))]
    form = {"csrf_token": csrf_of(tom), "name": "interpreted", "coders": "sam",
            "therapist": "Jo", "client_speakers": "Maya"}
    before = _count(world, CodingProject)
    unclear = tom.post("/coding", data=form, files=three)
    assert unclear.status_code == 400
    assert ("Client speaker labels: Lin; or Other speaker labels: Lin for a speaker who is "
            "neither") in unclear.text
    assert "--other" not in unclear.text and "--roles" not in unclear.text
    assert _count(world, CodingProject) == before
    made = tom.post("/coding", data=form | {"other_speakers": "Lin"}, files=three,
                    follow_redirects=False)
    assert made.status_code == 303, made.text

    headers = {"X-CSRF-Token": csrf_of(tom)}
    api = [("files", ("three.txt", THREE, "text/plain"))]
    fields = {"name": "interpreted api", "coders": "sam", "therapist": "Jo", "client": "Maya"}
    refused = tom.post("/api/v1/coding/projects/uploads", headers=headers, data=fields,
                       files=api)
    assert refused.status_code == 400, refused.text
    assert "client: Lin; or other: Lin for a speaker who is neither" in refused.json()["error"]
    assert "--other" not in refused.json()["error"]
    taken = tom.post("/api/v1/coding/projects/uploads", headers=headers,
                     data=fields | {"other": "Lin"}, files=api)
    assert taken.status_code == 201, taken.text
    sam, project = signed_in["sam"], taken.json()["data"]  # the coder reads the turns
    unit = sam.get(f"/api/v1/coding/projects/{project}").json()["data"]["units"][0]
    turns = sam.get(f"/api/v1/coding/projects/{project}/units/{unit['id']}"
                    ).json()["data"]["turns"]
    assert [t["role"] for t in turns] == ["therapist", "client", "other", "therapist"]
