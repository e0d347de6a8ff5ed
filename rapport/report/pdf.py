"""Print the HTML report to PDF with a local headless Chromium (no network)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
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


#: Territories of a locale (``en_US.UTF-8`` -> ``US``) whose paper is US Letter; A4 elsewhere.
LETTER_TERRITORIES = frozenset({"US", "CA", "MX", "PH", "CL", "CO", "VE", "CR", "GT", "DO",
                                "PA", "PR", "SV", "NI", "HN", "BZ"})
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


def paper_for(setting: str, environ: Mapping[str, str] | None = None) -> str:
    """``a4`` or ``letter``: the setting, or for ``auto`` the locale's paper (LC_ALL, then
    LC_PAPER, then LANG, as the C library reads them).

    >>> paper_for("auto", {"LANG": "en_US.UTF-8"}), paper_for("auto", {"LANG": "de_DE"})
    ('letter', 'a4')
    """
    if setting != "auto":
        return setting
    env = os.environ if environ is None else environ
    name = next((env[k] for k in ("LC_ALL", "LC_PAPER", "LANG") if env.get(k)), "")
    territory = name.split(".")[0].split("@")[0].partition("_")[2].upper()
    return "letter" if territory in LETTER_TERRITORIES else "a4"


def with_page_size(html: str, paper: str) -> str:
    """The report with its page size (and margins) for printing."""
    rule = (f"<style>@page {{ size: {PAGE_SIZES[paper]}; margin: 14mm 12mm; }}</style>")
    head_end = html.find("</head>")
    return html[:head_end] + rule + html[head_end:] if head_end >= 0 else rule + html


def write_pdf(html: str, out: Path, *, paper: str = "auto", timeout_s: float = 60.0) -> None:
    """Render ``html`` to ``out`` as PDF on ``paper`` (``a4``, ``letter`` or ``auto``:
    from the locale); a clear error when Chromium is missing."""
    chromium = find_chromium()
    if chromium is None:
        raise RapportInputError(
            "--pdf needs Chromium, which is not installed",
            fix="install it (Debian: sudo apt-get install chromium), or open the --html "
            "report in a browser and print it to PDF", code="no_chromium")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="rapport-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(with_page_size(html, paper_for(paper)), encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        cmd = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={target}", page.as_uri()]
        done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)  # noqa: S603
        if done.returncode != 0 or not target.exists():
            raise RapportInputError(
                f"Chromium could not print the report (exit {done.returncode})",
                fix="run with the --html option and print the page from a browser")
        shutil.move(str(target), out)
