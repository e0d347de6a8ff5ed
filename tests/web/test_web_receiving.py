"""Slow and huge requests against a live uvicorn server (issue 18, items 1 and 3).

Raw sockets, because an HTTP client library would not send a request this badly. The
server runs with short deadlines (1 s for headers, 2 s for a body) and a 2 MB file limit
so that every case ends in a few seconds; each answer is awaited with a socket timeout
well beyond the deadline, so a server without the limit fails the test instead of
hanging it.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import LiveServer, populated_server

FILE_LIMIT = 2_000_000  # RAPPORT_MAX_FILE_BYTES here; uploads may carry 1 MB more
WAIT = 15.0  # seconds an answer may take before the test calls it a hang


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("receiving"), max_file_bytes=FILE_LIMIT,
                          web_header_seconds=1, web_body_seconds=2,
                          web_max_receiving_per_address=4, web_max_concurrent=8) as live:
        yield live


def connect(server: LiveServer) -> socket.socket:
    port = int(server.url.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=WAIT)


def head(method: str, path: str, **headers: str | int) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def status_of(sock: socket.socket) -> int:
    """The status of the answer on ``sock`` (its first line), or 0 if it was closed."""
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return 0
        data += chunk
    return int(data.split(b" ", 2)[1])


# --- item 3: huge bodies are refused before they are read, parsed or authenticated ----

@pytest.mark.parametrize("path", ["/login", "/api/v1/clients", "/upload"])
def test_a_declared_huge_body_is_refused_before_it_is_sent(server: LiveServer,
                                                           path: str) -> None:
    with connect(server) as sock:
        sock.sendall(head("POST", path, content_type="application/json",
                          content_length=150_000_000))
        started = time.monotonic()
        assert status_of(sock) == 413  # answered while the body has not even started
        assert time.monotonic() - started < WAIT / 2


def test_a_streamed_body_is_counted_and_refused_past_one_megabyte(server: LiveServer
                                                                  ) -> None:
    # Chunked: no Content-Length to refuse by. Unauthenticated, so without the count the
    # body would be read whole, parsed, and answered 401.
    with connect(server) as sock:
        sock.sendall(head("POST", "/api/v1/clients", content_type="application/json",
                          transfer_encoding="chunked"))
        chunk = b"[" + b"0," * 50_000  # 100 kB of valid-looking JSON
        try:
            for _ in range(20):  # 2 MB, twice the general limit
                sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before the body ended
        assert status_of(sock) == 413


def test_upload_routes_take_the_file_limit_and_no_more(server: LiveServer) -> None:
    body = b"x" * (FILE_LIMIT + 500_000)  # over 1 MB, within the upload allowance
    with connect(server) as sock:
        sock.sendall(head("POST", "/upload", content_type="text/plain",
                          content_length=len(body)) + body)
        assert status_of(sock) not in (0, 413)  # read in full, then refused for sign-in
    with connect(server) as sock:
        sock.sendall(head("POST", "/upload", content_type="text/plain",
                          content_length=FILE_LIMIT + 1_000_001))
        assert status_of(sock) == 413
    with connect(server) as sock:  # the same body anywhere else is too large
        sock.sendall(head("POST", "/login", content_type="text/plain",
                          content_length=len(body)))
        assert status_of(sock) == 413


# --- item 1: slow clients cannot freeze the app ----------------------------------------

def test_headers_that_trickle_in_get_408_at_the_deadline(server: LiveServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        sock.settimeout(0.3)
        answer = b""
        while not answer and time.monotonic() - started < WAIT:
            try:
                sock.sendall(b"X")  # one byte of a header name, every 0.3 s
                answer = sock.recv(4096)
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        assert answer.startswith(b"HTTP/1.1 408"), answer[:40]
        assert time.monotonic() - started < 1 + 5  # the 1 s deadline, not the trickle


def test_a_body_that_trickles_in_gets_408_at_the_deadline(server: LiveServer) -> None:
    with connect(server) as sock:
        sock.sendall(head("POST", "/login", content_type="application/x-www-form-urlencoded",
                          content_length=1000) + b"u")
        started = time.monotonic()
        sock.settimeout(0.3)
        answer = b""
        while not answer and time.monotonic() - started < WAIT:
            try:
                sock.sendall(b"u")
                answer = sock.recv(4096)
            except TimeoutError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                break
        assert answer.startswith(b"HTTP/1.1 408"), answer[:40]


def test_eight_slow_posts_leave_the_app_answering_everyone_else(server: LiveServer) -> None:
    # The attack: as many slow logins as the app has places (8). Each sends its headers
    # and one byte of body, then nothing. Four from this address are allowed to wait
    # for their bodies (outside the app's places); the rest are refused at once.
    slow = [connect(server) for _ in range(8)]
    try:
        for sock in slow:
            sock.sendall(head("POST", "/login",
                              content_type="application/x-www-form-urlencoded",
                              content_length=100) + b"u")
        time.sleep(0.2)  # let the server take them all in before measuring
        started = time.monotonic()
        with connect(server) as sock:
            sock.sendall(head("GET", "/login", connection="close"))
            assert status_of(sock) == 200
        with connect(server) as sock:  # a POST whose body arrives whole is never throttled
            form = b"csrf=none"
            sock.sendall(head("POST", "/logout", connection="close", content_length=len(form),
                              content_type="application/x-www-form-urlencoded") + form)
            assert status_of(sock) not in (0, 408, 413, 429)
        assert time.monotonic() - started < 1.5  # well before the 2 s body deadline
        statuses = [status_of(sock) for sock in slow]
        assert sorted(statuses) == [408] * 4 + [429] * 4
    finally:
        for sock in slow:
            sock.close()


def test_the_server_still_serves_after_the_attacks(server: LiveServer) -> None:
    with connect(server) as sock:
        sock.sendall(head("GET", "/login", connection="close"))
        assert status_of(sock) == 200


# --- idle kept-alive connections close at the header deadline, not at uvicorn's 5 s ----

def read_answer(sock: socket.socket) -> int:
    """Read one whole answer (headers and its Content-Length body) and return its status,
    leaving the connection ready for the next request; 0 if the server closed it."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                return 0
            data += chunk
    except ConnectionResetError:
        return 0
    head_part, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head_part.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(4096)
    return int(head_part.split(b" ", 2)[1])


def test_an_idle_connection_is_closed_at_the_header_deadline(server: LiveServer) -> None:
    with connect(server) as sock:
        sock.sendall(head("GET", "/login"))
        assert read_answer(sock) == 200
        started = time.monotonic()
        assert sock.recv(4096) == b""  # closed by the server, without an answer
        assert time.monotonic() - started < 1 + 5  # this server's 1 s deadline


def test_an_idle_connection_outlives_httpx_default_pool_expiry(tmp_path: Path) -> None:
    # uvicorn's own keep-alive (5 s) used to close idle connections exactly when httpx's
    # pool (5 s) still reused them, and a request sent at that moment was reset. Now the
    # header deadline (9 s here) is the only idle limit: a connection idle 6.5 s still
    # carries a request.
    with populated_server(tmp_path, web_header_seconds=9) as live, connect(live) as sock:
        sock.sendall(head("GET", "/login"))
        assert read_answer(sock) == 200
        time.sleep(6.5)
        try:
            sock.sendall(head("GET", "/login"))
        except (BrokenPipeError, ConnectionResetError):
            pytest.fail("the idle connection was closed before the header deadline")
        assert read_answer(sock) == 200
