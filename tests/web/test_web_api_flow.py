"""The flow docs/api.md documents, with an API token: add a client and consent, upload a
transcript, record a questionnaire, read progress; and what a bad upload leaves behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import EXAMPLES, World

from rapport.store.logins import create_api_token

API = "/api/v1"


@pytest.fixture(scope="module")
def tom_api(app: FastAPI, world: World) -> TestClient:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "docs-flow")
    client = TestClient(app, base_url="https://testserver")
    client.headers["authorization"] = f"Bearer {token}"
    return client


def test_documented_flow(tom_api: TestClient) -> None:
    assert tom_api.post(f"{API}/clients", json={"code": "C-042"}).status_code == 201
    assert tom_api.post(f"{API}/clients/C-042/consents",
                        json={"kind": "analysis", "given_on": "2026-11-20"}).status_code == 201
    with (EXAMPLES / "rupture_repair.txt").open("rb") as f:
        uploaded = tom_api.post(f"{API}/clients/C-042/sessions/1/analyses",
                                files={"file": ("rupture_repair.txt", f)})
    assert uploaded.status_code == 202, uploaded.text  # queued: the job is the answer
    job = uploaded.json()["data"]
    assert job["state"] in ("queued", "running") and job["client"] == "C-042"
    assert tom_api.app.state.jobs.wait_idle(120)  # type: ignore[attr-defined]
    done = tom_api.get(f"{API}/jobs/{job['id']}").json()["data"]
    assert (done["state"], done["progress"]) == ("done", 100), done
    analysis_id = done["result"]["analysis_id"]
    document = tom_api.get(f"{API}/analyses/{analysis_id}").json()["data"]
    assert document["turns"] and "profile" in document["sections"]
    answers = {f"phq9_{i}": v for i, v in enumerate([1, 2, 1, 1, 0, 1, 1, 0, 0], start=1)}
    scored = tom_api.post(f"{API}/clients/C-042/responses",
                          json={"instrument": "phq9", "session": 1, "answers": answers})
    assert scored.json()["data"]["total"] == 7
    again = tom_api.post(f"{API}/clients/C-042/responses",
                         json={"instrument": "phq9", "session": 1, "answers": answers})
    assert (again.status_code, again.json()["code"]) == (409, "duplicate")
    progress = tom_api.get(f"{API}/clients/C-042/progress").json()["data"]
    assert [r["short_name"] for r in progress["reports"]] == ["PHQ-9"]


def test_bad_upload_stores_nothing(tom_api: TestClient, tmp_path: Path) -> None:
    tom_api.post(f"{API}/clients", json={"code": "C-043"})
    tom_api.post(f"{API}/clients/C-043/consents",
                 json={"kind": "analysis", "given_on": "2026-11-20"})
    answer = tom_api.post(f"{API}/clients/C-043/sessions/1/analyses",
                          files={"file": ("notes.txt", b"no speaker labels in here at all\n")})
    assert answer.status_code == 400
    body = answer.json()
    assert body["ok"] is False and body["status"] == 400 and "notes.txt" in body["error"]
    assert tom_api.get(f"{API}/clients/C-043/sessions").json()["data"] == []
    assert tom_api.get(f"{API}/clients/C-043/analyses").json()["data"] == []


def test_upload_without_consent_is_refused_before_analysis(tom_api: TestClient) -> None:
    tom_api.post(f"{API}/clients", json={"code": "C-044"})
    with (EXAMPLES / "rupture_repair.txt").open("rb") as f:
        answer = tom_api.post(f"{API}/clients/C-044/sessions/1/analyses",
                              files={"file": ("rupture_repair.txt", f)})
    assert answer.status_code == 400
    assert "consent" in answer.json()["error"]
