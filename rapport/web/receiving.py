"""Receive each request's body in full, within limits, before the app sees the request.

This is the outermost middleware, outside :class:`~rapport.web.security.ConcurrencyLimit`,
so a client that sends its body slowly never holds one of the app's few places: it waits
here, costing one small task on the event loop, until its body has arrived or its time is
up. Three limits, all per process:

- size: a body larger than its limit is refused with 413 as soon as ``Content-Length`` or
  the bytes counted so far show it, before any parsing, sign-in check or password hash;
- time: the whole body must arrive within ``web_body_seconds`` (408, and the connection
  closes), however steadily the bytes trickle in;
- slow clients per address: at most ``web_max_receiving_per_address`` requests from one
  address may be *still receiving* at once (429). A body that arrives in one piece, as a
  browser's form or a script's JSON does, never counts, so a load test from loopback is
  not limited, only connections that leave the server waiting.

The headers' own deadline lives in :mod:`rapport.web.protocol`.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rapport.settings import Settings

#: Routes that accept a transcript upload; they may carry up to the file limit plus 1 MB.
UPLOAD_PATHS = re.compile(r"^/(upload|api/v1/clients/[^/]+/sessions/[^/]+/analyses)/?$")
#: The route that accepts a recording: its own limit (RAPPORT_MAX_MEDIA_BYTES plus 1 MB).
MEDIA_PATHS = re.compile(r"^/upload/recording/?$")
MEGABYTE = 1_000_000


@dataclass(frozen=True)
class ReceiveLimits:
    general_bytes: int
    upload_bytes: int
    body_seconds: float
    per_address: int
    media_bytes: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> ReceiveLimits:
        return cls(general_bytes=settings.web_max_body_bytes,
                   upload_bytes=settings.max_file_bytes + MEGABYTE,
                   body_seconds=settings.web_body_seconds,
                   per_address=settings.web_max_receiving_per_address,
                   media_bytes=settings.max_media_bytes + MEGABYTE)

    def bytes_for(self, path: str) -> int:
        if MEDIA_PATHS.match(path):
            return self.media_bytes
        return self.upload_bytes if UPLOAD_PATHS.match(path) else self.general_bytes


class RefusedError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


async def refuse(scope: Scope, send: Send, refusal: RefusedError) -> None:
    """The API's error shape (or a short text page), closing the connection: the rest of a
    refused body is never read."""
    if scope["path"].startswith("/api/"):
        body = json.dumps({"ok": False, "error": refusal.message, "code": refusal.code,
                           "status": refusal.status}).encode()
        kind = b"application/json"
    else:
        body = f"{refusal.status}: {refusal.message}\n".encode()
        kind = b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": refusal.status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), (b"cache-control", b"no-store"),
                            (b"x-content-type-options", b"nosniff"),
                            (b"content-security-policy", b"default-src 'none'")]})
    await send({"type": "http.response.body", "body": body})


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class ReceiveBody:
    """Read the whole body under the limits above, then hand the request on."""

    def __init__(self, app: ASGIApp, limits: ReceiveLimits) -> None:
        self.app = app
        self.limits = limits
        self.receiving: Counter[str] = Counter()  # slow requests per address, now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body = await self.read_body(scope, receive)
        except RefusedError as refusal:
            await refuse(scope, send, refusal)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: only http.disconnect comes

        await self.app(scope, replay, send)

    async def read_body(self, scope: Scope, receive: Receive) -> bytes:
        limit = self.limits.bytes_for(scope["path"])
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            raise too_large(limit)
        first = await receive()
        chunks: list[bytes] = [first.get("body", b"")]
        if not first.get("more_body", False):
            check_size(len(chunks[0]), limit)
            return chunks[0]
        address = scope["client"][0] if scope.get("client") else "unknown"
        if self.receiving[address] >= self.limits.per_address:
            raise RefusedError(429, "throttled", "too many requests from this address are still "
                          "sending; wait for them to finish")
        self.receiving[address] += 1
        try:
            return await self.read_rest(receive, chunks, limit)
        finally:
            self.receiving[address] -= 1
            if not self.receiving[address]:
                del self.receiving[address]

    async def read_rest(self, receive: Receive, chunks: list[bytes], limit: int) -> bytes:
        size = len(chunks[0])
        check_size(size, limit)
        with anyio.move_on_after(self.limits.body_seconds) as scope:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    raise RefusedError(400, "bad_input", "the client went away")
                chunk = message.get("body", b"")
                size += len(chunk)
                check_size(size, limit)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        if scope.cancelled_caught:
            raise RefusedError(408, "timeout", f"the request did not arrive within "
                          f"{self.limits.body_seconds:g} seconds")
        return b"".join(chunks)


def too_large(limit: int) -> RefusedError:
    return RefusedError(413, "too_large", f"the request is larger than {limit} bytes")


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise too_large(limit)
