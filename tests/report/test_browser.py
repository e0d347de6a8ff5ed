"""The report in a real headless Chromium (Debian's, via Playwright; never downloaded).

Skipped only when Chromium is absent outside CI; in CI (``CI`` set) a missing Chromium
is a failure, because ``make test`` installs it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_sessions import chromium_or_skip, report_analysis

from rapport.report.pdf import paper_for, with_page_size, write_pdf

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


@pytest.mark.parametrize(("paper", "size_mm", "media_box"), [
    ("a4", (210.0, 297.0), (595, 842)), ("letter", (215.9, 279.4), (612, 792))])
def test_the_printed_report_starts_with_a_one_page_summary(
        browser, tmp_path: Path, paper: str, size_mm: tuple[float, float],
        media_box: tuple[int, int]) -> None:
    html = report_analysis().to_html()
    out = tmp_path / f"{paper}.pdf"
    write_pdf(html, out, paper=paper)  # the command's own path: Chromium on the command line
    sizes = {tuple(round(float(v)) for v in box.split()[2:])
             for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", out.read_bytes())}
    assert sizes == {media_box}
    # the summary (risk, key figures, timeline) fits the first page's printable height
    px = 96 / 25.4
    width, height = ((size_mm[0] - 24) * px, (size_mm[1] - 28) * px)  # 12 mm / 14 mm margins
    page = browser.new_page(viewport={"width": round(width), "height": round(height)})  # type: ignore[attr-defined]
    (tmp_path / "r.html").write_text(with_page_size(html, paper), encoding="utf-8")
    page.goto((tmp_path / "r.html").as_uri())
    page.emulate_media(media="print")
    box = page.locator(".summary-page").bounding_box()
    assert box is not None and box["height"] <= height
    assert page.locator(".summary-page").evaluate(
        "e => getComputedStyle(e).breakAfter") == "page"
    page.close()


def test_paper_follows_the_locale_unless_set() -> None:
    assert paper_for("auto", {"LANG": "en_US.UTF-8"}) == "letter"
    assert paper_for("auto", {"LANG": "en_GB.UTF-8"}) == "a4"
    assert paper_for("auto", {"LC_PAPER": "es_MX.UTF-8", "LANG": "de_DE"}) == "letter"
    assert paper_for("auto", {"LC_ALL": "fr_CA", "LC_PAPER": "en_GB"}) == "letter"
    assert paper_for("auto", {}) == "a4"
    assert paper_for("letter", {"LANG": "de_DE"}) == "letter"
