"""Researchers read de-identified transcripts of consenting clients, nothing else."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from web_world import World

from rapport.store.analyses import store_analysis
from rapport.store.clients import add_client
from rapport.store.consents import ConsentKind, add_consent, withdraw_consent

DAY = __import__("datetime").date(2026, 2, 3)
NAMES = ("Melissa Grant", "Dr. Okafor", "Jenna", "Tallahassee", "555-201-7788")


def _document() -> str:
    turns = [("Dr. Okafor", "therapist", "Hello Melissa, how was the week?"),
             ("Melissa Grant", "client", ("My sister Jenna moved to Tallahassee. "
              "Call her at 555-201-7788 if you like."))]
    return json.dumps({
        "schema_version": "1.0", "rapport_version": "0.1.0",
        "session": {"id": "melissa-week-3", "date": "2026-02-03", "language": "en",
                    "metadata": {"source": "melissa.vtt"}},
        "speakers": [{"name": "Dr. Okafor", "role": "therapist"},
                     {"name": "Melissa Grant", "role": "client"}],
        "turns": [{"index": i, "role": role, "speaker": who, "text": text, "words": 5,
                   "codes": {"disclosure": {"value": True, "confidence": 0.8,
                                            "evidence": [text], "source": "m@1"}}}
                  for i, (who, role, text) in enumerate(turns)],
        "models": ["m@1"], "metrics": {"talk.client_share": 0.6}, "sections": {},
        "warnings": []})


@pytest.fixture(scope="module")
def planted(world: World) -> int:
    with world.store.transaction("tom", interface="system") as tx:
        add_client(tx, "C-RES")
        for kind in (ConsentKind.ANALYSIS, ConsentKind.RESEARCH):
            add_consent(tx, "C-RES", kind, given_on=DAY)
        return store_analysis(tx, "C-RES", 1, _document())


def test_researcher_reads_only_deidentified_text(signed_in: dict[str, TestClient],
                                                 planted: int) -> None:
    rita = signed_in["rita"]
    listed = rita.get("/api/v1/research/analyses").json()["data"]
    assert planted in {a["id"] for a in listed}
    assert all(a["client_ref"].startswith("p-") for a in listed)
    assert "C-RES" not in json.dumps(listed)
    answer = rita.get(f"/api/v1/research/analyses/{planted}")
    assert answer.status_code == 200
    body = answer.text
    for name in (*NAMES, "C-RES", "melissa"):
        assert name.lower() not in body.lower(), name
    data = answer.json()["data"]
    assert [t["role"] for t in data["turns"]] == ["therapist", "client"]
    assert "[CLIENT]" in data["turns"][0]["text"]
    assert data["turns"][1]["codes"]["disclosure"] == {"value": True, "confidence": 0.8,
                                                       "source": "m@1"}
    assert data["deidentified"]  # counts per type, never the text


def test_withdrawn_consent_hides_the_analysis(world: World,
                                              signed_in: dict[str, TestClient]) -> None:
    with world.store.transaction("tom", interface="system") as tx:
        add_client(tx, "C-WD")
        for kind in (ConsentKind.ANALYSIS, ConsentKind.RESEARCH):
            add_consent(tx, "C-WD", kind, given_on=DAY)
        analysis = store_analysis(tx, "C-WD", 1, _document())
        withdraw_consent(tx, "C-WD", ConsentKind.RESEARCH, on=DAY)
    assert signed_in["rita"].get(f"/api/v1/research/analyses/{analysis}").status_code == 404
    assert analysis not in {a["id"] for a in
                            signed_in["rita"].get("/api/v1/research/analyses").json()["data"]}


@pytest.mark.parametrize("user", ["tom", "sam", "ada"])
def test_only_researchers(user: str, signed_in: dict[str, TestClient], planted: int) -> None:
    assert signed_in[user].get(f"/api/v1/research/analyses/{planted}").status_code == 404
    assert signed_in[user].get("/api/v1/research/analyses").status_code == 404
