"""Web fixtures: one populated record per module and backend, the app, signed-in clients.

``world`` holds every role the permission rules distinguish: the owning therapist (tom),
another therapist (tess), tom's supervisor (sam, no identity grant), an unlinked
supervisor (sue), a researcher (rita) and an admin (ada), with clients of tom and tess,
a real analysis document, sessions and questionnaires.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from backends import BACKENDS, backend_url
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import USERS, World, sign_in, world_at

from rapport.web.app import create_app


@pytest.fixture(scope="module", params=BACKENDS)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("web")
    with backend_url(request, folder) as url, world_at(url, folder) as world:
        yield world


@pytest.fixture(scope="module")
def app(world: World) -> FastAPI:
    return create_app(world.settings, store=world.store)


@pytest.fixture(scope="module")
def signed_in(app: FastAPI) -> dict[str, TestClient]:
    """One signed-in browser per user (signing in costs an argon2 verification)."""
    return {name: sign_in(app, name) for name in USERS}
