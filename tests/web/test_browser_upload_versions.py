"""Uploading a transcript again, in a real headless Chromium against a real server: the
question comes back on the form, the file is chosen again and both versions are kept,
and the session page opens either. Skipped only when Chromium is absent outside CI."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from live_server import LiveServer, add_empty_session, chromium, new_page, populated_server, sign_in
from web_world import DAY, EXAMPLES

pytestmark = pytest.mark.browser

TRANSCRIPT = str(EXAMPLES / "rupture_repair.txt")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("browser-versions")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _upload(page: Any, number: int) -> None:
    page.get_by_label("One of your clients").select_option("C-001")
    page.get_by_label("Session number").fill(str(number))
    page.get_by_label("Date of the session (optional)").fill(DAY.isoformat())
    page.get_by_label("Transcript file", exact=True).set_input_files(TRANSCRIPT)
    page.get_by_role("button", name="Upload and analyse").click()


def test_upload_again_asks_then_keeps_both_versions(browser: Any, server: LiveServer) -> None:
    number = add_empty_session(server)
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", "/upload")
    _upload(page, number)
    page.wait_for_url(f"**/clients/C-001/sessions/{number}")
    page.goto(server.url + "/upload")
    _upload(page, number)
    question = page.get_by_role("alert")
    assert f"session {number} of C-001 already has an analysis made" in question.inner_text()
    page.get_by_label("Transcript file (again)").set_input_files(TRANSCRIPT)
    page.get_by_role("button", name="Keep both versions and upload").click()
    page.wait_for_url(f"**/clients/C-001/sessions/{number}")
    versions = page.locator("#versions li")
    assert versions.count() == 2 and "This is the newest." in page.content()
    versions.nth(1).get_by_role("link").click()
    page.wait_for_url(f"**/clients/C-001/sessions/{number}?analysis=*")
    assert "This is an earlier version" in page.locator("#versions").inner_text()
    assert page.locator("#transcript .turn").count() > 10
    watch.clean()
