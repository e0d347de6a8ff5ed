"""What every API route shares: the success envelope, the error responses it documents."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from fastapi import APIRouter
from pydantic import BaseModel

from rapport.web.errors import ErrorBody

PREFIX = "/api/v1"

#: Error answers every authenticated route may give, for the OpenAPI schema.
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "A value the record refuses (see ``code``)."},
    401: {"model": ErrorBody, "description": "No valid sign-in or API token."},
    403: {"model": ErrorBody, "description": "Missing or invalid CSRF token (cookies only)."},
    404: {"model": ErrorBody, "description": "Does not exist, or not yours to see."},
    409: {"model": ErrorBody, "description": "Conflicts with the record (e.g. a duplicate)."},
    422: {"model": ErrorBody, "description": "The request does not match the schema."},
}


T = TypeVar("T")


class Ok(BaseModel, Generic[T]):
    """A successful answer."""

    ok: bool = True
    data: T


def api_router(tag: str) -> APIRouter:
    return APIRouter(prefix=PREFIX, tags=[tag], responses=ERRORS)
