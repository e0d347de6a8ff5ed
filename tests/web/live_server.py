"""A real uvicorn server in a thread on 127.0.0.1, for browser tests and the load smoke test.

The listening socket is bound (port 0) before the server starts, so there is no window in
which another process could take the port. No access log: URLs can carry feedback tokens.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from web_world import DAY, PASSWORD, populate

from rapport.settings import Settings
from rapport.store.database import Store
from rapport.store.sessions import SessionRecord, add_session


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:PORT, no trailing slash
    store: Store
    settings: Settings


@contextmanager
def live_server(settings: Settings, store: Store, *, secure_cookies: bool = True
                ) -> Iterator[LiveServer]:
    """Serve the app for ``store`` until the block ends."""
    import uvicorn

    from rapport.web.app import create_app
    from rapport.web.serve import server_config

    app = create_app(settings, store=store, secure_cookies=secure_cookies)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = server_config(app, settings)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name=f"uvicorn-{port}")
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", store=store, settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def populated_server(folder: Path, **settings: Any) -> Iterator[LiveServer]:
    """A fresh SQLite record in ``folder`` with conftest's world (tom, sam, C-001 ...),
    served on loopback (``settings`` override the defaults)."""
    import base64
    import os

    url = f"sqlite:///{folder / 'rapport.sqlite3'}"
    key = base64.b64encode(os.urandom(32)).decode()
    store = Store(url, key=key)
    store.upgrade()
    populate(store)
    try:
        with live_server(Settings(home=folder, database_url=url, key=key, **settings),
                         store) as live:
            yield live
    finally:
        store.dispose()


#: Debian's chromium, never a downloaded one; no background traffic to Google.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking",
                 "--disable-component-update", "--disable-gpu"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (skips outside CI when it is not installed)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))
    from playwright.sync_api import sync_playwright
    from report_sessions import chromium_or_skip

    executable = chromium_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            yield browser
        finally:
            browser.close()


PHONE = {"width": 390, "height": 844}
Page = Any  # playwright.sync_api.Page (typed loosely here)


class Watch:
    """Script errors (CSP violations included), sub-resources that failed to load, and
    requests to any other host, for one page. A page's own 4xx status (a refused login,
    a dead form) is an answer, not an error, and the browser's favicon probe is ignored."""

    def __init__(self, page: Page, origin: str) -> None:
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith((origin, "data:"))
                else self.foreign.append(r.url))
        page.on("response", self._response)

    def _console(self, message: Any) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(message.text)

    def _response(self, response: Any) -> None:
        request = response.request
        if (response.status >= 400 and request.resource_type != "document"
                and not request.url.endswith("/favicon.ico")):
            self.errors.append(f"{response.status} {request.url}")

    def clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign


def new_page(browser: Any, server: LiveServer, **context: Any) -> tuple[Page, Watch]:
    page = browser.new_context(**context).new_page()
    return page, Watch(page, server.url)


def sign_in(page: Page, server: LiveServer, username: str, path: str = "/") -> None:
    page.goto(server.url + path)
    assert "/login" in page.url
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()[:500]


def add_empty_session(server: LiveServer) -> int:
    with server.store.transaction("tom", interface="system") as tx:
        return add_session(tx, "C-001", SessionRecord(date=DAY))
