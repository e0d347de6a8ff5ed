"""The app answers: sign in, the start page, the API with the envelope."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_world import World


def test_signed_in_therapist_sees_own_clients(signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    page = tom.get("/")
    assert page.status_code == 200
    assert "C-001" in page.text and "C-900" not in page.text
    answer = tom.get("/api/v1/clients").json()
    assert answer["ok"] is True
    assert [c["code"] for c in answer["data"]] == ["C-001"]


def test_other_therapists_client_is_not_found(signed_in: dict[str, TestClient],
                                              world: World) -> None:
    answer = signed_in["tom"].get("/api/v1/clients/C-900")
    assert answer.status_code == 404
    assert answer.json() == {"ok": False, "error": answer.json()["error"],
                             "code": "not_found", "status": 404}
