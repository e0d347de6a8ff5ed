"""Print the HTML report to PDF with a local headless Chromium (no network)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from rapport.errors import RapportInputError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")
#: Flags that keep Chromium from touching the network or needing a sandbox as root.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--no-pdf-header-footer")


def find_chromium() -> str | None:
    return next((p for name in CHROMIUM_NAMES if (p := shutil.which(name))), None)


def write_pdf(html: str, out: Path, *, timeout_s: float = 60.0) -> None:
    """Render ``html`` to ``out`` as PDF; a clear error when Chromium is missing."""
    chromium = find_chromium()
    if chromium is None:
        raise RapportInputError(
            "--pdf needs Chromium, which is not installed",
            fix="install it (Debian: sudo apt-get install chromium), or open the --html "
            "report in a browser and print it to PDF", code="no_chromium")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rapport-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={target}", page.as_uri()]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)  # noqa: S603
        if done.returncode != 0 or not target.exists():
            raise RapportInputError(
                f"Chromium could not print the report (exit {done.returncode})",
                fix="run with the --html option and print the page from a browser")
        shutil.move(str(target), out)
