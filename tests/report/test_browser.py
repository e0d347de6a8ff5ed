"""The report in a real headless Chromium (Debian's, via Playwright; never downloaded).

Skipped only when Chromium is absent outside CI; in CI (``CI`` set) a missing Chromium
is a failure, because ``make test`` installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from report_sessions import chromium_or_skip, report_analysis

pytestmark = pytest.mark.browser

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu"]


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    out.write_text(report_analysis().to_html(), encoding="utf-8")
    return out.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
        yield b
        b.close()


def test_report_renders_without_console_errors_and_filter_works(browser, page_url: str
                                                                 ) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(page_url)
    assert page.title() == "Rapport report — report-demo"
    for selector in ("#key-figures .figure", "svg.timeline rect.tl-bar", "svg.talk-time",
                     "#moments .moment", "#ruptures tr.rupture", "#transcript .turn"):
        assert page.locator(selector).count() > 0, selector
    assert page.locator("#transcript .turn:visible").count() == 10
    page.select_option("#code-select", "rupture:withdrawal")
    visible = page.locator("#transcript .turn:visible")
    assert visible.count() == 3
    assert visible.first.get_attribute("id") == "turn-3"
    assert page.locator("#filter-count").inner_text() == "3 turns shown"
    page.select_option("#code-select", "")
    assert page.locator("#transcript .turn:visible").count() == 10
    # the injected script stayed text
    assert "<script>alert('x')</script>" in page.locator("#turn-1 .text").inner_text()
    assert errors == []
    assert requests == [page_url]
    page.close()


def test_report_prints_to_pdf_in_the_browser(browser, page_url: str, tmp_path: Path) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(page_url)
    page.emulate_media(media="print")
    assert page.locator("#code-filter").is_hidden()  # controls do not print
    pdf = page.pdf(path=str(tmp_path / "r.pdf"))
    assert pdf.startswith(b"%PDF")
    page.close()
