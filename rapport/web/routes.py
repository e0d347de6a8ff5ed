"""Every (method, path) the app answers, flattened across included routers.

The security tests build their role x route matrix from this, so a new route cannot be
added without an access rule for it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute


@dataclass(frozen=True, order=True)
class RouteInfo:
    method: str
    path: str
    name: str


def _walk(routes: Iterable[Any], prefix: str) -> Iterable[RouteInfo]:
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:  # an included router (FastAPI keeps it as one object)
            yield from _walk(original.routes, prefix + route.include_context.prefix)
        elif isinstance(route, APIRoute):
            for method in sorted((route.methods or set()) - {"HEAD"}):
                yield RouteInfo(method, prefix + route.path, route.name)


def route_table(app: FastAPI) -> list[RouteInfo]:
    """Application routes (not the static files mount or the OpenAPI document)."""
    return sorted(_walk(app.router.routes, ""))
