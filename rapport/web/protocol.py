"""uvicorn's HTTP/1.1 protocol with an absolute deadline for each request's headers.

uvicorn's keep-alive timer is cancelled by every byte that arrives, so a client sending
one byte every few seconds could keep a connection half-open for ever. Here each request
gets ``header_seconds`` from the moment the server starts waiting for it (the connection
opening, or the previous answer completing) until its headers are complete; after that a
partial request is answered 408 and the connection closed, and an idle kept-alive
connection is simply closed (uvicorn's own keep-alive is set past this deadline:
:func:`rapport.web.serve.connection_options`). The body's deadline is kept by
:class:`rapport.web.receiving.ReceiveBody`.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

TIMEOUT_ANSWER = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                  b"content-length: 33\r\nconnection: close\r\n\r\n"
                  b"408: the request took too long.\r\n")


def with_header_deadline(header_seconds: float) -> type[H11Protocol]:
    """The protocol class for uvicorn's ``http=`` with this deadline."""
    return type("HeaderDeadlineProtocol", (HeaderDeadlineProtocol,),
                {"header_seconds": header_seconds})


class HeaderDeadlineProtocol(H11Protocol):
    header_seconds: float = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.await_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        self.stop_header_timer()
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.conn.their_state is not h11.IDLE:  # the headers are in
            self.stop_header_timer()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self.await_headers()

    def await_headers(self) -> None:
        self.stop_header_timer()
        self.header_timer = self.loop.call_later(self.header_seconds, self.headers_too_late)

    def stop_header_timer(self) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def headers_too_late(self) -> None:
        self.header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        partial = bool(self.conn.trailing_data[0])
        if partial:  # an idle keep-alive connection is simply closed
            self.transport.write(TIMEOUT_ANSWER)
        self.transport.close()


class ServedProtocol(HeaderDeadlineProtocol):
    """The protocol of ``rapport serve``: uvicorn's worker processes import it by name
    (a class made at run time cannot be sent to them), so each reads the deadline from
    the settings in its own environment, once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_seconds = _configured_header_seconds()


@cache
def _configured_header_seconds() -> float:
    from rapport.settings import get_settings

    return get_settings().web_header_seconds
