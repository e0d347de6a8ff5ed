"""Screenshots of the coding workbench for docs/workbench.md and docs/web.md.

Makes a small record in a temporary folder (examples/rupture_repair.txt analysed and
stored for client C-001 of tom; sam supervises tom), a coding project with coders tom and
sam, codes part of the session as each coder, serves the record with ``rapport serve`` on
loopback and photographs the project list, the coding screen (keys pressed in the browser),
the project page, the agreement page and the adjudication page in Debian's chromium; then,
as the admin, the project form with two transcript files chosen for upload, and the
project made of them with a third file added (its history and the changes section):

    python benchmarks/workbench_screenshots.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from screenshots import ARGS, DESKTOP
from web_load import rapport_serve

from rapport.store.database import Store

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "workbench-demo"
DAY = dt.date(2026, 1, 6)


def build(url: str, key: str) -> tuple[int, int]:
    """The record; returns the project id and its unit id."""
    from rapport.ingest import load_sessions
    from rapport.pipeline import analyze
    from rapport.store.analyses import store_analysis
    from rapport.store.clients import add_client
    from rapport.store.coding import finish_unit, show_project
    from rapport.store.consents import ConsentKind, add_consent
    from rapport.store.permissions import UserRole
    from rapport.store.users import add_user, link_supervision
    from rapport.workbench.codebook import relationship_codebook
    from rapport.workbench.projects import ProjectRequest, code_turn, create_project

    store = Store(url, key=key)
    store.upgrade()
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "ada", UserRole.ADMIN, password=PASSWORD)
    with store.transaction("ada", interface="system") as tx:
        add_user(tx, "tom", UserRole.THERAPIST, password=PASSWORD)
        add_user(tx, "sam", UserRole.SUPERVISOR, password=PASSWORD)
        link_supervision(tx, "sam", "tom")
    (session,) = load_sessions(ROOT / "examples" / "rupture_repair.txt").sessions
    with store.transaction("tom", interface="system") as tx:
        add_client(tx, "C-001")
        add_consent(tx, "C-001", ConsentKind.ANALYSIS, given_on=DAY)
        store_analysis(tx, "C-001", 1, analyze(session).to_json(), session_date=DAY)
        project = create_project(tx, ProjectRequest(
            name="Rupture and repair pilot", codebook=relationship_codebook(),
            sessions=[("C-001", 1)], coders=["tom", "sam"]))
        unit = show_project(tx, project).units[0].id
    plans = {"sam": {0: ["seek_collaboration"], 1: ["withdrawal"], 3: ["confrontation"],
                     4: ["repair"], 7: ["emotional_disclosure"]},
             "tom": {0: ["seek_collaboration"], 3: ["confrontation"], 4: ["repair"],
                     5: ["emotional_disclosure"], 7: ["emotional_disclosure"]}}
    for coder, plan in plans.items():
        with store.transaction(coder, interface="system") as tx:
            roles = [t.role.value for t in session.turns]
            for i in range(len(roles)):
                codes = [c for c in plan.get(i, []) if (c in ("withdrawal", "confrontation",
                         "emotional_disclosure")) == (roles[i] == "client")]
                code_turn(tx, project, unit, i, codes, None)
            if coder == "sam":
                finish_unit(tx, project, unit)
    store.dispose()
    return project, unit


def shoot(browser: Any, base: str, out: Path, project: int, unit: int) -> list[Path]:
    taken: list[Path] = []
    page = browser.new_context(viewport=DESKTOP).new_page()

    def save(name: str) -> None:
        path = out / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)

    page.goto(f"{base}/login")
    page.get_by_label("Username").fill("tom")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"{base}/coding")
    save("coding-projects")
    page.goto(f"{base}/coding/{project}/units/{unit}")
    page.wait_for_selector(".coding-turn.current")
    for key in ("j", "j", "j", "j", "j", "j"):
        page.keyboard.press(key)
    page.keyboard.press("?")
    page.screenshot(path=str(out / "coding-screen.png"))  # the screen as a coder sees it
    taken.append(out / "coding-screen.png")
    page.keyboard.press("?")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finish session").click()
    page.wait_for_url(f"**/coding/{project}")
    save("coding-project")
    page.goto(f"{base}/coding/{project}/agreement")
    save("coding-agreement")
    page.goto(f"{base}/coding/{project}/units/{unit}/adjudicate")
    save("coding-adjudicate")

    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(f"{base}/coding")
    page.get_by_label("Name", exact=True).fill("Role-play recordings")
    page.get_by_label("Transcript files", exact=False).set_input_files(
        [ROOT / "examples" / "good_listening.srt", ROOT / "examples" / "missed_risk.txt"])
    page.get_by_label("Client speaker labels", exact=False).fill("Maya")
    page.get_by_label("Coders", exact=False).fill("tom, sam")
    save("coding-upload")
    page.get_by_role("button", name="Make project").click()
    page.wait_for_url("**/coding/*")
    page.get_by_label("Add transcript files", exact=False).set_input_files(
        [ROOT / "examples" / "rupture_repair.txt"])
    page.get_by_role("button", name="Add sessions").click()
    page.wait_for_load_state()
    save("coding-project-changes")
    return taken


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'workbench.sqlite3'}"
        key = base64.b64encode(os.urandom(32)).decode()
        project, unit = build(url, key)
        os.environ.pop("RAPPORT_KEY_FILE", None)
        with rapport_serve(url, key, Path(tmp)) as (base, _pid), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
            try:
                taken = shoot(browser, base, args.out, project, unit)
            finally:
                browser.close()
    for path in taken:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{shown}  {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    sys.exit(main())
