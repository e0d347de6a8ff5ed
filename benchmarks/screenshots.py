"""Screenshots of the main web pages for docs/web.md and docs/practice.md, from the demo
record.

Builds the demo (``python -m rapport.demo``: every example analysed, the demo people, the
questionnaire demo clients and the trainee's judged practice attempts) in a temporary
folder, serves it with ``rapport serve`` on loopback, and photographs the pages in Debian's
chromium (Playwright, never a downloaded browser) into docs/screenshots/:

    python benchmarks/screenshots.py [--out docs/screenshots] [--only practice]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from web_load import rapport_serve

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-gpu"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}


def build_demo(folder: Path) -> tuple[str, str]:
    """The demo record in ``folder``; returns its database URL and key (base64)."""
    from rapport.demo import main as demo

    if demo(["--out", str(folder)]) != 0:
        raise SystemExit("the demo could not be built")
    home = folder / "home"
    return f"sqlite:///{home / 'rapport.sqlite3'}", (home / "demo.key").read_text().strip()


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"demo-{username}")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def phone_page(browser: Any) -> Any:
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True,
                               device_scale_factor=2).new_page()


class Camera:
    """Saves ``<name>.png`` into the output folder and remembers what it took."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.taken: list[Path] = []

    def __call__(self, page: Any, name: str, *, full: bool = True) -> None:
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        self.taken.append(path)


def shoot(browser: Any, base: str, save: Camera) -> None:
    """The caseload, client, session, upload, feedback-form, kiosk and supervision pages."""
    desk = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(desk, base, "tom")
    save(desk, "dashboard")
    desk.goto(f"{base}/clients/demo-rupture")
    save(desk, "client")
    desk.goto(f"{base}/clients/C-001/sessions/1")
    save(desk, "session", full=False)
    desk.goto(f"{base}/upload")
    save(desk, "upload")
    desk.goto(f"{base}/clients/C-001/sessions/1/feedback")
    save(desk, "feedback-create")
    desk.get_by_role("button", name="Create the form").click()
    save(desk, "feedback-qr")
    link = desk.get_by_label("Link to the form").input_value()

    phone = phone_page(browser)
    phone.goto(link)
    save(phone, "feedback-phone", full=False)
    phone.get_by_role("button", name="Send my answers").click()
    save(phone, "feedback-phone-errors", full=False)

    tablet = browser.new_context(viewport=TABLET, has_touch=True).new_page()
    sign_in(tablet, base, "tom")
    tablet.goto(f"{base}/clients/C-002/sessions/1/feedback")
    tablet.get_by_label("On this device as a kiosk", exact=False).check()
    tablet.get_by_role("button", name="Create the form").click()
    tablet.wait_for_url(re.compile(r".*/kiosk$"))
    save(tablet, "kiosk-form", full=False)
    tablet.goto(f"{base}/kiosk")
    for group in tablet.locator("fieldset.item").all():
        group.get_by_label("7", exact=True).check()
    tablet.get_by_role("button", name="Send my answers").click()
    tablet.wait_for_url(re.compile(r".*/kiosk\?sent=1$"))
    save(tablet, "kiosk-locked", full=False)

    supervisor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(supervisor, base, "sam")
    supervisor.goto(f"{base}/supervision")
    save(supervisor, "supervision")


def shoot_practice(browser: Any, base: str, save: Camera) -> None:
    """The practice room from the demo trainee tia's attempts (judged when the demo was
    built): the queue and progress and one feedback page, on a phone and a desktop, then
    the supervisor sam's view of the supervisees and of tia."""
    for page, size in ((phone_page(browser), "phone"),
                       (browser.new_context(viewport=DESKTOP).new_page(), "desktop")):
        sign_in(page, base, "tia")  # a trainee lands on /practice
        save(page, f"practice-{size}", full=size == "desktop")
        page.goto(f"{base}/practice/history")
        page.locator("table.practice-history tbody a").first.click()  # the newest attempt
        page.wait_for_url(re.compile(r".*/practice/attempts/\d+$"))
        save(page, f"practice-feedback-{size}")  # the whole feedback, on a phone too
    supervisor = browser.new_context(viewport=DESKTOP).new_page()
    sign_in(supervisor, base, "sam")
    supervisor.goto(f"{base}/practice/people")
    save(supervisor, "practice-people")
    supervisor.goto(f"{base}/practice/people/tia")
    save(supervisor, "practice-person")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", choices=("practice",), default=None,
                        help="only the practice room's screenshots (docs/practice.md)")
    args = parser.parse_args()
    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url, key = build_demo(Path(tmp) / "demo")
        os.environ.pop("RAPPORT_KEY_FILE", None)
        with rapport_serve(url, key, Path(tmp)) as (base, _pid), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS, headless=True)
            save = Camera(args.out)
            try:
                if args.only is None:
                    shoot(browser, base, save)
                shoot_practice(browser, base, save)
            finally:
                browser.close()
    for path in save.taken:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  "
              f"{path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    sys.exit(main())
