"""The availability attacks of issue 18 against a real ``rapport serve`` on loopback.

Each attack is measured from outside, with raw sockets, against a fresh SQLite record:

- slow POSTs: ``--slow`` connections POST to ``/login``, each sending its headers and then
  one byte of body every 2 s; meanwhile an ordinary ``GET /login`` is timed (or times out
  after ``--wait`` seconds);
- slow headers: one connection sends a header byte every 2 s; how long until the server
  closes it (or ``--wait``);
- a huge declared body: ``POST /login`` announcing 150 MB, sending as fast as it can;
  how many bytes the server took before it answered, and the answer;
- a huge JSON body: ``--json-mb`` MB of JSON to ``POST /api/v1/clients`` without signing
  in; time to the answer and the answer;
- a long valid upload: tom uploads a ``--turns``-turn transcript; meanwhile another
  therapist (tess) loads her dashboard once a second: the slowest of those answers, any
  error, and how long tom's upload request took (0 skips it).

Run it once with this checkout and once with another ``rapport`` first on ``PYTHONPATH``
(the code before issue 18) to compare; figures and commands in docs/security.md.

    python benchmarks/web_attacks.py
    PYTHONPATH=/path/to/older/checkout python benchmarks/web_attacks.py
"""

from __future__ import annotations

import argparse
import base64
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import rapport
from rapport.store.database import Store
from rapport.store.permissions import UserRole
from rapport.store.users import add_user

PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(folder: Path) -> Iterator[int]:
    """A fresh record with one therapist, served by ``rapport serve`` in its own process."""
    url = f"sqlite:///{folder / 'attacks.sqlite3'}"
    key = base64.b64encode(os.urandom(32)).decode()
    store = Store(url, key=key)
    store.upgrade()
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "ada", UserRole.ADMIN, password="correct horse battery")
    with store.transaction("ada", interface="system") as tx:
        for name in ("tom", "tess"):
            add_user(tx, name, UserRole.THERAPIST, password=PASSWORD)
    store.dispose()
    port = _free_port()
    env = dict(os.environ, RAPPORT_DATABASE_URL=url, RAPPORT_KEY=key, RAPPORT_HOME=str(folder))
    with (folder / "serve.log").open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "rapport.cli", "serve", "--port",
                                    str(port)], env=env, stdout=sink, stderr=sink,
                                   cwd=folder)  # not a checkout: PYTHONPATH decides
        try:
            deadline = time.monotonic() + 120
            while status_of_get(port, timeout=2) != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("rapport serve did not start")
                time.sleep(0.2)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def connect(port: int, timeout: float) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=timeout)


def first_line(sock: socket.socket) -> str:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return "closed"
        data += chunk
    return data.split(b"\r\n", 1)[0].decode("latin-1")


def status_of_get(port: int, timeout: float) -> int:
    try:
        with connect(port, timeout) as sock:
            sock.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            line = first_line(sock)
    except OSError:
        return 0
    return int(line.split()[1]) if line.startswith("HTTP/") else 0


def slow_posts(port: int, count: int, wait: float) -> tuple[str, str]:
    """(GET /login while ``count`` slow POSTs are open, what the slow POSTs got)."""
    stop = threading.Event()
    answers: list[str] = []
    socks: list[socket.socket] = []

    def trickle(sock: socket.socket) -> None:
        try:
            sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                         b"application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
            sock.settimeout(2)
            while not stop.is_set():
                sock.sendall(b"u")
                try:
                    data = sock.recv(4096)
                except TimeoutError:
                    continue
                answers.append(data.split(b"\r\n", 1)[0].decode("latin-1") or "closed")
                return
        except OSError:
            if not stop.is_set():
                answers.append("reset")
                return
        answers.append("still waiting")

    threads = []
    for _ in range(count):
        sock = connect(port, wait)
        socks.append(sock)
        threads.append(threading.Thread(target=trickle, args=(sock,), daemon=True))
        threads[-1].start()
    time.sleep(1.0)
    started = time.monotonic()
    status = status_of_get(port, timeout=wait)
    took = time.monotonic() - started
    get = f"{status} in {took:.2f} s" if status else f"no answer in {wait:.0f} s"
    time.sleep(max(0.0, 3.0 - took))
    stop.set()
    for sock in socks:
        sock.close()
    for thread in threads:
        thread.join(timeout=5)
    kinds = sorted({a.split(" ", 2)[1] if a.startswith("HTTP/") else a for a in answers})
    counts = {k: sum(1 for a in answers if a.startswith(("HTTP/1.1 " + k, k))) for k in kinds}
    return get, ", ".join(f"{n} {k}" for k, n in counts.items())


def slow_headers(port: int, wait: float) -> str:
    with connect(port, wait) as sock:
        sock.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        sock.settimeout(2)
        started = time.monotonic()
        while time.monotonic() - started < wait:
            try:
                sock.sendall(b"X")
                data = sock.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                return f"reset after {time.monotonic() - started:.1f} s"
            line = data.split(b"\r\n", 1)[0].decode("latin-1") or "closed"
            return f"{line} after {time.monotonic() - started:.1f} s"
    return f"still open after {wait:.0f} s"


def push(port: int, head: bytes, size: int, wait: float) -> str:
    """Send ``head`` and then ``size`` bytes of body as fast as the server takes them,
    stopping at its first answer; the answer, how much was sent, how long it took."""
    block = b"0," * 500_000
    with connect(port, wait) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        sent, answer, started = 0, b"", time.monotonic()
        while sent < size and time.monotonic() - started < wait:
            try:
                answer += sock.recv(4096)
                if answer:
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            try:
                sent += sock.send(block[:size - sent])
            except BlockingIOError:
                time.sleep(0.01)
            except OSError:
                break
        sock.settimeout(wait)
        if not answer:
            try:
                answer = sock.recv(4096)
            except OSError:
                answer = b""
    line = answer.split(b"\r\n", 1)[0].decode("latin-1") or "no answer"
    return f"{line} after {sent / 1e6:.0f} MB sent, {time.monotonic() - started:.2f} s"


def huge_declared_body(port: int, wait: float) -> str:
    size = 150_000_000
    return push(port, b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                b"application/x-www-form-urlencoded\r\nContent-Length: "
                + str(size).encode() + b"\r\n\r\n", size, wait)


def huge_json(port: int, megabytes: int, wait: float) -> str:
    size = megabytes * 1_000_000
    return push(port, b"POST /api/v1/clients HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                b"application/json\r\nContent-Length: " + str(size).encode()
                + b"\r\n\r\n", size, wait)


def browser(port: int, username: str) -> Any:
    """An httpx client signed in as ``username`` through the login form. The cookies are
    Secure (a browser keeps them for loopback); httpx would not send them over plain
    HTTP, so they are carried by hand."""
    import httpx

    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600,
                          follow_redirects=False)
    csrf = client.get("/login").cookies.get("rapport_login_csrf") or ""
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": csrf},
                         headers={"Cookie": f"rapport_login_csrf={csrf}"})
    session = answer.cookies.get("rapport_session")
    if answer.status_code != 303 or not session:
        raise SystemExit(f"cannot sign in as {username}: {answer.status_code}")
    client.headers["Cookie"] = f"rapport_session={session}"
    return client


def long_upload(port: int, turns: int) -> tuple[str, str]:
    """(tess's slowest dashboard and errors while tom's upload runs, tom's upload)."""
    import re

    tom, tess = browser(port, "tom"), browser(port, "tess")
    text = "".join(f"Therapist: How did turn {i} feel for you this week?\n"
                   f"Client: It was hard, and I kept thinking about it on day {i}.\n"
                   for i in range(turns // 2))
    page = tom.get("/upload").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    fields = {"csrf_token": csrf.group(1) if csrf else "", "new_client": "C-LONG",
              "consent": "yes", "session": "1"}
    done = threading.Event()
    outcome: list[str] = []

    def send() -> None:
        started = time.monotonic()
        answer = tom.post("/upload", data=fields,
                          files={"file": ("long.txt", text.encode(), "text/plain")})
        location = answer.headers.get("location", "")
        while location.startswith("/jobs/"):  # the job page sends it on when it is done
            time.sleep(1)
            answer = tom.get(location)
            location = answer.headers.get("location", "") if answer.status_code == 303 \
                else ("" if "Analysing" not in answer.text else location)
        outcome.append(f"{answer.status_code} -> {location or 'page'} after "
                       f"{time.monotonic() - started:.0f} s")
        done.set()

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    slowest, errors = 0.0, []
    while not done.is_set():
        started = time.monotonic()
        try:
            status = tess.get("/").status_code
        except Exception as exc:  # a timeout is a result here
            status, errors = 0, [*errors, type(exc).__name__]
        slowest = max(slowest, time.monotonic() - started)
        if status != 200:
            errors.append(str(status))
        done.wait(1)
    sender.join()
    seen = f"slowest {slowest:.2f} s" + (f", errors: {', '.join(errors)}" if errors else "")
    return seen, outcome[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--slow", type=int, default=8, help="slow POST connections")
    parser.add_argument("--wait", type=float, default=20, help="seconds before a timeout")
    parser.add_argument("--json-mb", type=int, default=30, help="size of the JSON body")
    parser.add_argument("--turns", type=int, default=20_000,
                        help="turns of the long upload (0: skip it)")
    args = parser.parse_args()
    rows: list[tuple[str, str]] = [("rapport", str(Path(rapport.__file__).parent))]
    with tempfile.TemporaryDirectory() as folder, serve(Path(folder)) as port:
        get, slow = slow_posts(port, args.slow, args.wait)
        rows += [(f"GET /login during {args.slow} slow POSTs", get),
                 ("the slow POSTs got", slow)]
        rows.append(("headers sent 1 byte / 2 s", slow_headers(port, args.wait)))
        rows.append(("POST /login declaring 150 MB", huge_declared_body(port, args.wait)))
        rows.append((f"{args.json_mb} MB JSON to /api/v1/clients, no sign-in",
                     huge_json(port, args.json_mb, args.wait)))
        if args.turns:
            seen, upload = long_upload(port, args.turns)
            rows += [(f"tess's dashboard during a {args.turns}-turn upload", seen),
                     ("tom's upload (to the session page)", upload)]
        rows.append(("GET /login afterwards", f"{status_of_get(port, args.wait)}"))
    width = max(len(name) for name, _ in rows)
    print(f"| {'attack':<{width}} | result |\n|{'-' * (width + 2)}|--------|")
    for name, result in rows:
        print(f"| {name:<{width}} | {result} |")


if __name__ == "__main__":
    main()
