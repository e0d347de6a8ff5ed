"""Accessibility (WCAG 2.1 AA) of the client's feedback form and the caseload dashboard,
checked in a real Chromium with project-written checks (a11y_checks.js): accessible names,
fieldsets with legends, text alternatives, contrast of the computed colours, lang, heading
order; plus keyboard-only completion, visible focus and reflow at 320 px."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import (
    PHONE,
    LiveServer,
    add_empty_session,
    chromium,
    new_page,
    populated_server,
    sign_in,
)

from rapport.store.feedback import create_form

pytestmark = pytest.mark.browser

CHECKS = (Path(__file__).with_name("a11y_checks.js")).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("a11y")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def form_url(server: LiveServer, *instruments: str) -> str:
    number = add_empty_session(server)
    with server.store.transaction("tom", interface="system") as tx:
        token = create_form(tx, "C-001", number, list(instruments), minutes=30).token
    return f"{server.url}/f/{token}"


def problems(page: Any) -> list[str]:
    found: list[str] = page.evaluate(CHECKS)
    return found


def test_the_checks_find_planted_problems(browser: Any, server: LiveServer) -> None:
    page, _ = new_page(browser, server)
    page.set_content('<html><body><h1>T</h1><h3>skipped</h3><input id="x">'
                     '<img src="data:,"><svg width="9" height="9"></svg>'
                     '<p style="color:#999">faint</p></body></html>')
    found = "\n".join(problems(page))
    for expected in ("no lang", "no accessible name: input#x", "img without alt",
                     "svg without a text alternative", "heading skips a level",
                     'contrast 2.85:1 for "faint"'):
        assert expected in found, found


@pytest.mark.parametrize("instruments", [("checkin",), ("phq9", "gad7")])
def test_feedback_form_passes_on_a_phone(browser: Any, server: LiveServer,
                                          instruments: tuple[str, ...]) -> None:
    page, watch = new_page(browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(form_url(server, *instruments))
    assert problems(page) == []
    page.get_by_role("button", name="Send my answers").click()  # all unanswered
    assert page.locator("fieldset[aria-describedby]").count() > 0
    assert problems(page) == []  # the error state too
    watch.clean()


def test_feedback_form_reflows_at_320_px(browser: Any, server: LiveServer) -> None:
    page, _ = new_page(browser, server, viewport={"width": 320, "height": 640})
    page.goto(form_url(server, "checkin"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_feedback_form_by_keyboard_alone(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server)
    page.goto(form_url(server, "checkin"))
    groups = page.locator("fieldset.item").count()
    answered = 0
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate("({tag: document.activeElement.tagName, "
                                "type: document.activeElement.type, "
                                "text: document.activeElement.textContent})")
        if focused["type"] == "radio":
            outline = page.evaluate("parseFloat(getComputedStyle(document.activeElement)"
                                    ".outlineWidth)")
            assert outline >= 2, "focus is not visible"
            page.keyboard.press("ArrowRight")  # chooses the next option (1)
            answered += 1
        if focused["tag"] == "BUTTON" and focused["text"] == "Send my answers":
            break
    assert answered == groups
    page.keyboard.press("Enter")
    page.wait_for_url("**/feedback/thanks")
    assert problems(page) == []
    watch.clean()


def test_dashboard_passes(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", "/")
    assert problems(page) == []
    watch.clean()


def test_therapist_feedback_pages_and_kiosk_pass(browser: Any, server: LiveServer) -> None:
    number = add_empty_session(server)
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", f"/clients/C-001/sessions/{number}/feedback")
    assert problems(page) == []
    page.get_by_role("button", name="Create the form").click()
    assert page.get_by_role("img", name="QR code that opens the feedback form").count() == 1
    assert problems(page) == []
    page.goto(server.url + "/kiosk")
    assert problems(page) == []
    watch.clean()
