"""Response headers every answer carries, and the cookie flags in one place."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

import anyio
from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

CallNext = Callable[[Request], Awaitable[Response]]


class SecurityHeaders(BaseHTTPMiddleware):
    """CSP with a per-request nonce, no framing, no referrer, no caching of client data.

    Pages are served from the same origin only: no CDN, no third-party script or font.
    """

    async def dispatch(self, request: Request, call_next: CallNext) -> Response:
        nonce = secrets.token_urlsafe(16)
        request.state.csp_nonce = nonce
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response


def set_cookie(response: Response, name: str, value: str, *, secure: bool,
               max_age: int | None = None) -> None:
    """HttpOnly, SameSite=Strict, Secure unless the server runs with --insecure-lan."""
    response.set_cookie(name, value, max_age=max_age, path="/", secure=secure,
                        httponly=True, samesite="strict")


def delete_cookie(response: Response, name: str, *, secure: bool) -> None:
    response.delete_cookie(name, path="/", secure=secure, httponly=True, samesite="strict")


class ConcurrencyLimit:
    """At most ``limit`` requests inside the app at once; the rest wait on the event loop.

    Each request hops between worker threads (identity, transaction, handler, commit). With
    SQLite every transaction takes the write lock, and a request waiting for the lock holds
    a thread; if waiting requests took every thread, the lock holder could not get one to
    finish and commit: a deadlock until the busy timeout. Keeping fewer requests in flight
    than there are worker threads (anyio's default: 40) rules that out, on PostgreSQL's
    connection pool (5 + 10) as well.
    """

    def __init__(self, app: ASGIApp, limit: int = 8) -> None:
        self.app = app
        self.slots = anyio.Semaphore(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self.slots:
            await self.app(scope, receive, send)
