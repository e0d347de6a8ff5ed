"""The web app in a real headless Chromium (Debian's, driven by Playwright; never
downloaded) against a real uvicorn server on 127.0.0.1 and a SQLite record.

Flows: sign in, the caseload, upload a transcript and read its report, correct a code,
a feedback form answered on a phone-sized screen and on a kiosk, the supervisor's
read-only view, sign out. Skipped only when Chromium is absent outside CI.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
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
from web_world import EXAMPLES

from rapport.store.responses import list_responses

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("browser")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_sign_in_caseload_and_sign_out(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server)
    page.goto(server.url + "/login")
    page.get_by_label("Username").fill("tom")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."
    sign_in(page, server, "tom")
    assert page.url == server.url + "/"
    caseload = page.locator("main table").first
    assert "C-001" in caseload.inner_text()
    assert "C-900" not in page.content()  # tess's client
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    page.goto(server.url + "/")
    assert "/login" in page.url  # the sign-in really ended
    watch.clean()


def test_upload_a_transcript_and_read_its_report(browser: Any, server: LiveServer) -> None:
    number = add_empty_session(server)
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", "/upload")
    page.get_by_label("One of your clients").select_option("C-001")
    page.get_by_label("Session number").fill(str(number))
    page.get_by_label("Transcript file").set_input_files(str(EXAMPLES / "rupture_repair.txt"))
    page.get_by_role("button", name="Upload and analyse").click()
    page.wait_for_url(f"**/clients/C-001/sessions/{number}**")
    assert page.get_by_role("heading", name=f"Session {number}").count() == 1
    assert page.locator("#transcript .turn").count() > 10
    assert page.get_by_role("heading", name="Annotated transcript").count() == 1
    # the live filter narrows the transcript without a reload
    total = page.locator("#transcript .turn:visible").count()
    options = page.locator("#code-select option[value]:not([value=''])")
    page.select_option("#code-select", options.first.get_attribute("value"))
    assert 0 < page.locator("#transcript .turn:visible").count() < total
    watch.clean()


def test_correct_a_code(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", "/clients/C-001/sessions/1")
    summary = page.locator("summary", has_text="Correct a code")
    first = page.locator("#transcript .turn").filter(has=summary).first
    index = first.get_attribute("id").removeprefix("turn-")
    first.locator("summary", has_text="Correct a code").click()
    select = first.get_by_label(f"Correct a code of turn {index}")
    value = select.locator("option[value]:not([value=''])").first.get_attribute("value")
    select.select_option(value)
    first.get_by_role("button", name="Save correction").click()
    page.wait_for_load_state()
    corrected = page.locator(f"#turn-{index} .code.human")
    assert corrected.count() == 1 and "human" in corrected.inner_text()
    watch.clean()


def test_feedback_form_answered_on_a_phone(browser: Any, server: LiveServer) -> None:
    number = add_empty_session(server)
    therapist, watch = new_page(browser, server)
    sign_in(therapist, server, "tom", f"/clients/C-001/sessions/{number}/feedback")
    therapist.get_by_label("Check-in (not validated)", exact=False).check()
    therapist.get_by_label("On their phone", exact=False).check()
    therapist.get_by_role("button", name="Create the form").click()
    qr = therapist.get_by_role("img", name="QR code that opens the feedback form")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    link = therapist.get_by_label("Link to the form").input_value()
    assert link.startswith(server.url + "/f/") and "C-001" not in link
    watch.clean()

    phone, phone_watch = new_page(browser, server, viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    phone.goto(link)
    assert "C-001" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # the 0-10 scale is one row that fits the phone: eleven cells side by side, none
    # overlapping its neighbour, "not at all" and "completely" beneath its two ends
    first = phone.locator("fieldset.item").first
    boxes = [o.bounding_box() for o in first.locator(".option").all()]
    assert len(boxes) == 11 and len({round(b["y"]) for b in boxes}) == 1
    assert all(a["x"] + a["width"] <= b["x"] + 0.5 for a, b in pairwise(boxes))
    row = first.bounding_box()
    assert boxes[0]["x"] >= row["x"] and boxes[-1]["x"] + boxes[-1]["width"] <= row["x"] + row[
        "width"]
    assert first.locator(".anchors").inner_text().split("\n") == ["not at all", "completely"]
    assert first.get_by_label("0 - not at all").count() == 1  # the full label stays its name
    phone.get_by_role("button", name="Send my answers").click()  # nothing answered yet
    assert phone.get_by_role("alert").count() == 1
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    for fieldset in phone.locator("fieldset.item").all():
        fieldset.get_by_label("8", exact=True).check()  # tapping the label works
    phone.get_by_role("button", name="Send my answers").click()
    phone.wait_for_url("**/feedback/thanks")
    assert phone.get_by_role("heading", name="Thank you").count() == 1
    phone.goto(link)  # the link died
    assert phone.get_by_role("heading", name="This form is closed").count() == 1
    phone_watch.clean()
    with server.store.transaction("tom", interface="system") as tx:
        totals = [r.scores["total"] for r in list_responses(tx, "C-001", instrument_id="checkin")
                  if r.session_number == number]
    assert totals == [40.0]


def test_kiosk_returns_to_the_locked_screen(browser: Any, server: LiveServer) -> None:
    number = add_empty_session(server)
    tablet, watch = new_page(browser, server, viewport={"width": 820, "height": 1180},
                             has_touch=True)
    sign_in(tablet, server, "tom", f"/clients/C-001/sessions/{number}/feedback")
    tablet.get_by_label("On this device as a kiosk", exact=False).check()
    tablet.get_by_role("button", name="Create the form").click()
    tablet.wait_for_url("**/kiosk")
    # keyboard only: Tab to each group, arrow keys choose, Enter sends
    for fieldset in tablet.locator("fieldset.item").all():
        fieldset.locator("input").first.focus()
        tablet.keyboard.press("ArrowRight")
    tablet.keyboard.press("Tab")
    assert tablet.evaluate("document.activeElement.textContent") == "Send my answers"
    tablet.keyboard.press("Enter")
    tablet.wait_for_url("**/kiosk?sent=1")
    assert tablet.get_by_role("heading", name="Thank you").count() == 1
    tablet.goto(server.url + "/kiosk")
    assert tablet.get_by_role("heading", name="This tablet is locked").count() == 1
    tablet.goto(server.url + "/clients/C-001")
    assert "/login" in tablet.url  # no way to client data without signing in
    watch.clean()
    with server.store.transaction("tom", interface="system") as tx:
        totals = [r.scores["total"] for r in list_responses(tx, "C-001", instrument_id="checkin")
                  if r.session_number == number]
    assert totals == [5.0]  # ArrowRight from 0 chose 1 in each of the five items


def test_supervisor_sees_the_session_read_only(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server)
    sign_in(page, server, "sam", "/")
    assert "C-001" in page.locator("main").inner_text()
    page.goto(server.url + "/clients/C-001/sessions/1")
    assert page.locator("#transcript .turn").count() > 10
    assert page.get_by_text("Correct a code").count() == 0
    assert page.locator("form[action$='/corrections']").count() == 0
    assert page.get_by_role("link", name="Upload", exact=False).count() == 0
    assert page.get_by_role("link", name="Enter a questionnaire").count() == 0
    answer = page.goto(server.url + "/clients/C-001/sessions/1/feedback")
    assert answer is not None and answer.status == 404
    watch.clean()


def test_every_page_has_the_offline_favicon(browser: Any, server: LiveServer) -> None:
    page, watch = new_page(browser, server)
    page.goto(server.url + "/login")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert icon and icon.startswith("data:image/svg+xml")
    # the browser draws it without a request: decode it as an image in the page
    drawn = page.evaluate("""href => new Promise(done => { const img = new Image();
        img.onload = () => done(img.naturalWidth); img.onerror = () => done(0);
        img.src = href; })""", icon)
    assert drawn > 0
    watch.clean()
