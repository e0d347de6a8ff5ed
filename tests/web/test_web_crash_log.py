"""A crash is answered 500 and logged by exception type only (issue 18, item 11): no
message, no traceback, since either can quote client text. Starlette re-raises a crash
for the server to log; uvicorn would log the whole traceback, so it must not escape."""

from __future__ import annotations

import logging

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import World

from rapport.web.app import create_app

SECRET = "Person C-001 said something only their therapist may read"


@pytest.fixture(scope="module")
def crashing_app(world: World) -> FastAPI:
    app = create_app(world.settings, store=world.store)

    def boom() -> None:
        raise RuntimeError(SECRET)

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    return app


@pytest.mark.parametrize("path", ["/boom", "/api/v1/boom"])
def test_a_crash_is_logged_by_type_only(crashing_app: FastAPI, path: str,
                                        caplog: pytest.LogCaptureFixture) -> None:
    # raise_server_exceptions: what escapes the app here is what uvicorn would log.
    client = TestClient(crashing_app, base_url="https://testserver")
    with caplog.at_level(logging.DEBUG):
        answer = client.get(path)
    assert answer.status_code == 500 and SECRET not in answer.text
    logged = [(r.getMessage(), r.exc_info, r.exc_text) for r in caplog.records]
    crashes = [m for m, _, _ in logged if "RuntimeError" in m]
    assert crashes == [f"unhandled RuntimeError on GET {path}"]  # once, type and path
    assert not [r for r in logged if SECRET in str(r) or r[1]]
