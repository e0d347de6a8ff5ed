"""The API's answer shapes, pinned: ``{ok: true, data}`` on success and exactly
``{ok: false, error, code, status}`` on every error, and an OpenAPI document that says so
for every API route."""

from __future__ import annotations

from typing import Any

import pytest
from access_table import ACCESS
from fastapi import FastAPI
from fastapi.testclient import TestClient
from route_requests import Call, fill_path
from web_world import World, new_client

from rapport.store.logins import create_api_token


@pytest.fixture(scope="module")
def tom_api(app: FastAPI, world: World) -> TestClient:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "shape")
    client = new_client(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def assert_error(answer: Any, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert list(body) == ["ok", "error", "code", "status"]
    assert body["ok"] is False
    assert isinstance(body["error"], str) and body["error"]
    assert body["code"] == code
    assert type(body["status"]) is int and body["status"] == status


def test_401_shape(app: FastAPI) -> None:
    answer = new_client(app).get("/api/v1/me")
    assert_error(answer, 401, "unauthenticated")
    assert answer.headers["www-authenticate"] == "Bearer"


def test_403_shape(signed_in: dict[str, TestClient]) -> None:
    # A cookie sign-in writing without its CSRF token.
    assert_error(signed_in["tom"].post("/api/v1/tokens", json={"name": "x"}), 403, "csrf")


@pytest.mark.parametrize("path", ["/api/v1/clients/C-900", "/api/v1/clients/NO-SUCH",
                                  "/api/v1/analyses/999999", "/api/v1/no-such-route"])
def test_404_shape(tom_api: TestClient, path: str) -> None:
    assert_error(tom_api.get(path), 404, "not_found")


def test_404_is_the_same_for_hidden_and_missing(tom_api: TestClient) -> None:
    hidden, missing = tom_api.get("/api/v1/clients/C-900"), tom_api.get("/api/v1/clients/C-901")
    assert hidden.json()["error"].replace("C-900", "X") == \
        missing.json()["error"].replace("C-901", "X")


def test_405_shape(tom_api: TestClient) -> None:
    answer = tom_api.delete("/api/v1/clients")
    assert_error(answer, 405, "method_not_allowed")


def test_409_shape(tom_api: TestClient) -> None:
    assert_error(tom_api.post("/api/v1/clients", json={"code": "C-001"}), 409, "duplicate")


def test_creating_another_therapist_s_client_code_is_404(tom_api: TestClient) -> None:
    # C-900 is tess's: creating it must not confirm that it exists (409 would).
    taken = tom_api.post("/api/v1/clients", json={"code": "C-900"})
    assert_error(taken, 404, "not_found")
    assert_error(tom_api.get("/api/v1/clients/C-900"), 404, "not_found")


@pytest.mark.parametrize("body", [{"code": "has space"}, {}, {"code": 5},
                                  "not json at all"])
def test_422_shape(tom_api: TestClient, body: object) -> None:
    if isinstance(body, str):
        answer = tom_api.post("/api/v1/clients", content=body,
                              headers={"content-type": "application/json"})
    else:
        answer = tom_api.post("/api/v1/clients", json=body)
    assert_error(answer, 422, "invalid_request")


def test_422_for_a_path_parameter_of_the_wrong_type(tom_api: TestClient) -> None:
    assert_error(tom_api.get("/api/v1/analyses/not-a-number"), 422, "invalid_request")


def test_errors_carry_the_security_headers(tom_api: TestClient) -> None:
    answer = tom_api.get("/api/v1/clients/C-900")
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert "default-src 'self'" in answer.headers["content-security-policy"]


API_READS = sorted(path for (method, path) in ACCESS
                   if method == "GET" and path.startswith("/api/"))


@pytest.mark.parametrize("path", API_READS)
def test_success_envelope(tom_api: TestClient, world: World, path: str) -> None:
    answer = tom_api.get(fill_path(path, Call(world, tom_api, "tom")))
    if answer.status_code == 404:  # tom's role may not read it: then it is an error shape
        assert_error(answer, 404, "not_found")
        return
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "application/json"
    body = answer.json()
    assert list(body) == ["ok", "data"] and body["ok"] is True


def test_write_success_envelope(tom_api: TestClient) -> None:
    answer = tom_api.post("/api/v1/tokens", json={"name": "envelope"})
    assert answer.status_code == 201
    assert list(answer.json()) == ["ok", "data"]
    assert answer.json()["data"]["token"].startswith("rpt_")


# -- the OpenAPI document ------------------------------------------------------------------
def test_openapi_documents_every_api_route_with_the_error_body(app: FastAPI) -> None:
    schema = new_client(app).get("/openapi.json").json()
    documented = {(method.upper(), path) for path, item in schema["paths"].items()
                  for method in item}
    api_routes = {key for key in ACCESS if key[1].startswith("/api/")}
    assert documented == api_routes  # and no page is in the API document
    error_ref = "#/components/schemas/ErrorBody"
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status in ("401", "404", "422"):
                response = operation["responses"].get(status)
                assert response, f"{method} {path}: {status} not documented"
                assert response["content"]["application/json"]["schema"] == \
                    {"$ref": error_ref}, (method, path, status)
    body = schema["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"ok", "error", "code", "status"}
    assert set(body["required"]) == {"error", "code", "status"}


def test_openapi_success_answers_are_envelopes(app: FastAPI) -> None:
    schema = new_client(app).get("/openapi.json").json()
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            ok = [s for s in operation["responses"] if s.startswith("2")]
            assert len(ok) == 1, (method, path)
            ref = operation["responses"][ok[0]]["content"]["application/json"]["schema"]
            envelope = components[ref["$ref"].rsplit("/", 1)[1]]
            assert set(envelope["properties"]) == {"ok", "data"}, (method, path)
            assert envelope["required"] == ["data"], (method, path)
