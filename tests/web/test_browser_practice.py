"""The practice room in a real headless Chromium against a real server (SQLite record):
trainee tia answers drills on a phone-sized screen and on a desktop, reads the feedback
and her progress; her supervisor sam sees it; client pages do not exist for her."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from live_server import PHONE, LiveServer, chromium, new_page, populated_server, sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("practice")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _fits(page: Any, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def _answer_next_drill(page: Any, width: int, reply: str) -> str:
    """From /practice: open the first queued drill, answer it, land on the feedback."""
    page.goto(page.url.split("/practice")[0] + "/practice")
    _fits(page, width)
    first = page.locator("ol.drill-queue a.button")
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/practice/drills/*")
    _fits(page, width)
    assert page.locator(".moment-now").inner_text().startswith("Client:")
    box = page.get_by_label("Your reply to the client")
    assert box.bounding_box()["width"] <= width
    box.fill(reply)
    page.get_by_role("button", name="Get feedback").click()
    page.wait_for_url("**/practice/attempts/*")
    _fits(page, width)
    for heading in ("What the reply did", "What the moment needed",
                    "One reply that would do it", "Next step"):
        assert page.get_by_role("heading", name=heading).count() == 1
    verdict = page.locator("h2.verdict").inner_text()
    assert verdict in ("Met", "Partly met", "Not met yet")
    assert reply in page.locator("blockquote.reply").inner_text()
    return title


@pytest.mark.parametrize(("viewport", "mobile"), [(PHONE, True), (DESKTOP, False)],
                         ids=["phone", "desktop"])
def test_a_trainee_practises_and_sees_progress(browser: Any, server: LiveServer,
                                               viewport: dict[str, int], mobile: bool
                                               ) -> None:
    extra = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if mobile else {}
    page, watch = new_page(browser, server, viewport=viewport, **extra)
    sign_in(page, server, "tia")
    assert page.url.endswith("/practice")  # a trainee starts in the practice room
    assert page.get_by_role("link", name="Practice").count() == 1
    assert page.get_by_role("link", name="Caseload").count() == 0
    before = page.locator("table.practice-progress tbody td:nth-child(2)").all_inner_texts()
    first = _answer_next_drill(page, viewport["width"],
                               "It sounds like this has been wearing you down for a while.")
    second = _answer_next_drill(page, viewport["width"],
                                "Would it be OK if I asked a bit more about that?")
    assert first != second  # the queue moved on
    page.goto(server.url + "/practice")
    after = page.locator("table.practice-progress tbody td:nth-child(2)").all_inner_texts()
    assert sum(map(int, after)) == sum(map(int, before)) + 2
    page.get_by_role("link", name="History").click()
    assert page.locator("table.practice-history tbody tr").count() >= 2
    _fits(page, viewport["width"])
    watch.clean()


def test_the_supervisor_sees_the_trainees_progress(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, server, "sam", "/practice/people")
    _fits(page, PHONE["width"])
    row = page.locator("table.practice-people tr", has_text="tia")
    assert row.count() == 1
    row.get_by_role("link").click()
    page.wait_for_url("**/practice/people/tia")
    assert page.locator("table.practice-history tbody tr").count() >= 2
    page.locator("table.practice-history a").first.click()
    page.wait_for_url("**/practice/attempts/*")
    assert "by tia" in page.content()
    _fits(page, PHONE["width"])
    watch.clean()


def test_a_trainee_gets_not_found_on_client_pages(browser: Any, server: LiveServer) -> None:
    page, _ = new_page(browser, server)
    sign_in(page, server, "tia")
    for path in ("/clients/C-001", "/clients/C-001/sessions/1", "/supervision", "/upload",
                 "/coding/1"):
        answer = page.goto(server.url + path)
        assert answer is not None and answer.status == 404, path
        # the refusal may echo the code asked for, never anything of the client's
        assert "Person C-001" not in page.content() and "PHQ-9" not in page.content()


def test_practice_pages_pass_the_accessibility_checks(browser: Any, server: LiveServer
                                                      ) -> None:
    from pathlib import Path

    checks = Path(__file__).with_name("a11y_checks.js").read_text(encoding="utf-8")
    page, watch = new_page(browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(page, server, "tia")
    assert page.evaluate(checks) == [], page.url
    page.locator("ol.drill-queue a.button").click()
    page.wait_for_url("**/practice/drills/*")
    assert page.evaluate(checks) == [], page.url
    page.get_by_role("button", name="Get feedback").click()  # empty: the browser refuses
    assert "/practice/drills/" in page.url
    page.get_by_label("Your reply to the client").fill("That sounds really hard.")
    page.get_by_role("button", name="Get feedback").click()
    page.wait_for_url("**/practice/attempts/*")
    assert page.evaluate(checks) == [], page.url
    page.goto(server.url + "/practice/history")
    assert page.evaluate(checks) == [], page.url
    other, other_watch = new_page(browser, server)
    sign_in(other, server, "sam", "/practice/people/tia")
    assert other.evaluate(checks) == [], other.url
    watch.clean()
    other_watch.clean()
