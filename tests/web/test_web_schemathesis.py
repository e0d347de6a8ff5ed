"""Schemathesis against the API's own OpenAPI schema, in process (ASGI, no network).

Generated requests for every API operation, as a therapist (tom) and as an admin (ada)
with API tokens: no answer may be a server error, every status must be one the schema
documents, and every body must match the documented schema (the success envelope or the
one error shape). Examples are bounded and derandomised so the run is repeatable and
short; SQLite only (the matrix and injection tests cover PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from web_world import World, world_at

from rapport.store.logins import create_api_token
from rapport.web.app import create_app

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    with world_at(f"sqlite:///{folder / 'rapport.sqlite3'}", folder) as world:
        yield world


@pytest.fixture(scope="module")
def fuzz_app(fuzz_world: World) -> FastAPI:
    return create_app(fuzz_world.settings, store=fuzz_world.store)


def operations(app: FastAPI) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 25, "the API lost operations?"
    return found


def bearer(world: World, username: str) -> dict[str, str]:
    # A fresh token per example: a generated DELETE /tokens/{id} may revoke an older one.
    with world.store.transaction(username, interface="system") as tx:
        token, _ = create_api_token(tx, "schemathesis")
    return {"Authorization": f"Bearer {token}"}


def fuzz(world: World, app: FastAPI, username: str, examples: int) -> None:
    """Every operation, ``examples`` generated requests each, as ``username``."""
    for operation in operations(app):

        @given(case=operation.as_strategy())
        @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck), phases=[Phase.generate])
        def one(case: Any) -> None:
            if case.method == "PUT" and case.path.endswith("/active"):
                # Generated names could switch off the admin running the test itself.
                case.path_parameters = {"username": "rita"}
            headers = bearer(world, username)
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS, headers=headers)

        one()


def test_api_as_therapist(fuzz_world: World, fuzz_app: FastAPI) -> None:
    fuzz(fuzz_world, fuzz_app, "tom", examples=10)


def test_api_as_admin(fuzz_world: World, fuzz_app: FastAPI) -> None:
    fuzz(fuzz_world, fuzz_app, "ada", examples=5)
