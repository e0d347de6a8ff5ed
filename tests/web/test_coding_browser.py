"""The coding workbench in a real headless Chromium against a real server (SQLite).

Two coders (tom, sam) blind-code the same stored session with the keyboard only (no mouse,
no page reload per turn), finish, the maker reads the agreement page and adjudicates, and
the exports are checked: the gold JSONL is read by the trainer's reader and a retrain
(``rapport train utterance --gold``, the project uses the ``rapport-utterance``
codebook) learns from it, and the page's kappa equals
``rapport reliability`` on the exported CSV code tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_runner import Cli
from live_server import LiveServer, chromium, new_page, populated_server, sign_in

from rapport.coding.relationship.realtalk import load_gold
from rapport.workbench.codebook import utterance_codebook

pytestmark = pytest.mark.browser
A11Y = (Path(__file__).with_name("a11y_checks.js")).read_text(encoding="utf-8")
KEYS = {c.name: c.key for c in utterance_codebook().codes}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("coding-browser")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _plan(coder: str, roles: list[str]) -> dict[int, list[str]]:
    """What each coder gives: they agree on some turns and differ on others."""
    step = 2 if coder == "tom" else 3
    out: dict[int, list[str]] = {}
    for i, role in enumerate(roles):
        if role == "therapist" and i % step == 0:
            out[i] = ["question_open"]
        elif role == "therapist":
            out[i] = ["other"]
        elif role == "client" and (i % 2 == 0 or (coder == "sam" and i % 5 == 0)):
            out[i] = ["change"]
        elif role == "client":
            out[i] = ["neutral"]
    return out


def _saved(page: Any) -> None:
    """Wait until the last change is stored, then arm the wait for the next one."""
    page.locator("#coding-status[data-state=saved]").wait_for()
    page.evaluate("document.getElementById('coding-status').dataset.state = ''")


def _code_by_keyboard(page: Any, plan: dict[int, list[str]], n: int) -> None:
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    for i in range(n):
        for code in plan.get(i, []):
            page.keyboard.press(KEYS[code])
            _saved(page)
        if i < n - 1:
            page.keyboard.press("j")
    assert page.evaluate("window.__sameDocument") is True


def test_two_coders_blind_by_keyboard_then_agreement_adjudication_export(
        browser: Any, server: LiveServer, tmp_path: Path) -> None:
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", "/coding")
    page.get_by_label("Name", exact=True).fill("browser pilot")
    page.get_by_label("Sessions", exact=False).fill("C-001:1")
    page.get_by_label("Coders", exact=False).fill("tom, sam")
    page.get_by_label("Codebook", exact=True).select_option("rapport-utterance")
    page.get_by_role("button", name="Make project").click()
    page.wait_for_url("**/coding/*")
    project_url = page.url
    page.get_by_role("link", name="Code").first.click()
    page.wait_for_selector(".coding-turn.current")
    assert page.evaluate(A11Y) == []  # the project-written WCAG checks (test_accessibility)
    roles = [el.get_attribute("data-role") for el in page.query_selector_all(".coding-turn")]
    n = len(roles)
    assert n > 10
    # undo: a code toggled by mistake on turn 0 and taken back
    page.keyboard.press(KEYS["input_advice"] if roles[0] == "therapist"
                        else KEYS["sustain"])
    _saved(page)
    page.keyboard.press("u")
    _saved(page)
    assert page.locator(".coding-turn .chips").first.inner_text() == ""
    tom_plan = _plan("tom", roles)
    _code_by_keyboard(page, tom_plan, n)
    # the definitions are one key away; a note is written without leaving the keyboard
    page.keyboard.press("?")
    assert page.locator("#coding-definitions").is_visible()
    page.keyboard.press("n")
    page.keyboard.type("unsure about this one")
    page.keyboard.press("Escape")
    _saved(page)
    assert page.locator("#coding-progress").inner_text().endswith(f"of {n} turns coded")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finish session").click()
    page.wait_for_url(project_url)
    watch.clean()

    # sam codes blind: none of tom's codes reach his screen
    sam_page, sam_watch = new_page(browser, server)
    sign_in(sam_page, server, "sam", project_url.removeprefix(server.url))
    sam_page.get_by_role("link", name="Code").first.click()
    sam_page.wait_for_selector(".coding-turn.current")
    assert sam_page.locator(".coding-turn.coded").count() == 0
    assert "unsure about this one" not in sam_page.content()
    sam_plan = _plan("sam", roles)
    _code_by_keyboard(sam_page, sam_plan, n)
    sam_page.once("dialog", lambda d: d.accept())
    sam_page.get_by_role("button", name="Finish session").click()
    sam_page.wait_for_url(project_url)
    sam_watch.clean()

    # agreement page (tom made the project, so he adjudicates)
    page.goto(project_url + "/agreement")
    row = page.locator("table.agreement").first.locator("tr[data-code=change]")
    page_kappa = float(row.locator("td.kappa").inner_text())
    assert page.evaluate(A11Y) == []

    # adjudicate every disputed turn: the gold takes sam's side
    page.goto(project_url)
    page.get_by_role("link", name="Adjudicate").first.click()
    disputed = [i for i in range(n) if tom_plan.get(i, []) != sam_plan.get(i, [])]
    assert disputed
    for i in disputed:
        form = page.locator(f"#turn-{i} form")
        for box in form.locator("input[type=checkbox]").all():
            box.set_checked(box.get_attribute("value") in sam_plan.get(i, []))
        form.get_by_label("Reason").fill("per the codebook")
        form.get_by_role("button", name=f"Decide turn {i + 1}").click()
        page.wait_for_load_state()
    assert page.locator("text=by tom").count() == len(disputed)
    assert page.evaluate(A11Y) == []

    # exports, downloaded with tom's sign-in
    def download(query: str) -> str:
        answer = page.request.get(project_url + "/export?" + query)
        assert answer.ok, answer.text()
        return str(answer.text())

    gold = tmp_path / "gold.jsonl"
    gold.write_text(download("format=gold"), "utf-8")
    (session,) = load_gold(gold).values()
    assert len(session.turns) == n
    gold_codes = {t.turn: sorted(t.codes) for t in session.turns}
    for i in range(n):
        expected = sam_plan.get(i, []) if i in disputed else tom_plan.get(i, [])
        assert gold_codes[i] == expected, i
    # a retrain consumes the downloaded export (the real `rapport train` CLI)
    model = tmp_path / "model"
    trained = Cli(checked=True)("train", "utterance", "--gold", gold, "--out", model,
                                "--preset", "fast")
    assert f"{n} turns of 1 sessions in gold.jsonl" in trained.stdout
    assert "therapist_behaviour" in trained.stdout and "client_talk" in trained.stdout
    assert (model / "utterance-fast.joblib").is_file()
    for coder in ("sam", "tom"):
        (tmp_path / f"{coder}.csv").write_text(download(f"format=csv&coding={coder}"), "utf-8")
    result = Cli(checked=True)("reliability", tmp_path / "sam.csv", tmp_path / "tom.csv",
                               "--json", "--code", "change")
    (code,) = json.loads(result.stdout)["codes"]
    assert page_kappa == pytest.approx(code["cohen_kappa"], abs=5e-4)
    page.goto(project_url)
    links = page.get_by_role("link", name="EAF")
    if links.count():  # the session has turn times: its ELAN file passes the check
        from rapport.workbench.eaf import check_eaf

        href = links.first.get_attribute("href")
        assert check_eaf(download(href.split("?", 1)[1])) == []
