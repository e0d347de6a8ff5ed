"""A project from uploaded transcripts in a real headless Chromium against a real server
(SQLite): the admin uploads two files on the project page, two coders code the first by
keyboard, the agreement page equals ``rapport reliability`` on the exported CSV tables,
and the admin reopens a coder's finished session from the project page (its history
says so, and the coder may change codes again)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_runner import Cli
from live_server import LiveServer, chromium, new_page, populated_server, sign_in

from rapport.workbench.codebook import utterance_codebook

pytestmark = pytest.mark.browser
A11Y = (Path(__file__).with_name("a11y_checks.js")).read_text(encoding="utf-8")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KEYS = {c.name: c.key for c in utterance_codebook().codes}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("coding-uploads")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _saved(page: Any) -> None:
    page.locator("#coding-status[data-state=saved]").wait_for()
    page.evaluate("document.getElementById('coding-status').dataset.state = ''")


def _code(page: Any, coder: str) -> int:
    """Code every turn by keyboard (tom and sam differ on some); returns the turn count."""
    page.get_by_role("link", name="Code").first.click()
    page.wait_for_selector(".coding-turn.current")
    roles = [el.get_attribute("data-role") for el in page.query_selector_all(".coding-turn")]
    for i, role in enumerate(roles):
        if role == "therapist":
            code = "question_open" if i % (2 if coder == "tom" else 3) == 0 else "other"
        else:
            code = "change" if i % (2 if coder == "tom" else 4) == 0 else "neutral"
        page.keyboard.press(KEYS[code])
        _saved(page)
        if i < len(roles) - 1:
            page.keyboard.press("j")
    return len(roles)


def _finish(page: Any, project_url: str) -> None:
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finish session").click()
    page.wait_for_url(project_url)


def test_uploads_to_coding_to_agreement_and_a_reopen(browser: Any, server: LiveServer,
                                                    tmp_path: Path) -> None:
    admin, admin_watch = new_page(browser, server)
    sign_in(admin, server, "ada", "/coding")
    admin.get_by_label("Name", exact=True).fill("uploaded role-plays")
    admin.get_by_label("Transcript files", exact=False).set_input_files(
        [EXAMPLES / "rupture_repair.txt", EXAMPLES / "good_listening.srt"])
    admin.get_by_label("Client speaker labels", exact=False).fill("Maya")
    admin.get_by_label("Coders", exact=False).fill("tom, sam")
    admin.get_by_label("Codebook", exact=True).select_option("rapport-utterance")
    admin.get_by_role("button", name="Make project").click()
    admin.wait_for_url("**/coding/*")
    project_url = admin.url
    assert admin.locator("#units").get_by_text("transcript 2").count() == 1
    assert admin.evaluate(A11Y) == []

    tom, tom_watch = new_page(browser, server)
    sign_in(tom, server, "tom", project_url.removeprefix(server.url))
    n = _code(tom, "tom")
    assert n > 10 and "Maya" not in tom.content()
    _finish(tom, project_url)
    sam, sam_watch = new_page(browser, server)
    sign_in(sam, server, "sam", project_url.removeprefix(server.url))
    assert _code(sam, "sam") == n
    _finish(sam, project_url)

    admin.goto(project_url + "/agreement")
    table = admin.locator("table.agreement").first
    for coder in ("sam", "tom"):
        answer = admin.request.get(project_url + f"/export?format=csv&coding={coder}")
        assert answer.ok, answer.text()
        (tmp_path / f"{coder}.csv").write_text(answer.text(), "utf-8")
    result = Cli(checked=True)("reliability", tmp_path / "sam.csv", tmp_path / "tom.csv",
                               "--json", "--code", "change", "--code", "question_open")
    codes = {c["code"]: c for c in json.loads(result.stdout)["codes"]}
    # neither gave "change" on the turns both coded (tom on even, sam on every fourth
    # index; client turns are odd): undefined on the page and in the CLI alike, not 1.000
    change = table.locator("tr[data-code=change] td.kappa").inner_text()
    assert change.startswith("n/a") and "neither coding gave this code" in change
    assert codes["change"]["cohen_kappa"] is None
    page_kappa = float(table.locator("tr[data-code=question_open] td.kappa").inner_text())
    assert page_kappa == pytest.approx(codes["question_open"]["cohen_kappa"], abs=5e-4)

    # the admin reopens sam's session; the history says so, sam may code again
    admin.goto(project_url)
    admin.get_by_role("button", name="Reopen transcript 1 for sam").click()
    admin.wait_for_url(project_url)
    assert "for sam" in admin.locator("#history").inner_text()
    sam.goto(project_url)
    sam.get_by_role("link", name="Code").first.click()
    sam.wait_for_selector(".coding-turn.current")
    sam.keyboard.press(KEYS["other"] if sam.locator(".coding-turn.current").get_attribute(
        "data-role") == "therapist" else KEYS["neutral"])
    _saved(sam)
    for watch in (admin_watch, tom_watch, sam_watch):
        watch.clean()
