"""``--pdf``: printed by the local Chromium; a clear error when Chromium is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_sessions import chromium_or_skip, report_analysis

from rapport.errors import RapportInputError
from rapport.report.pdf import write_pdf


@pytest.mark.browser
def test_write_pdf_with_chromium(tmp_path: Path) -> None:
    chromium_or_skip()
    out = tmp_path / "sub" / "report.pdf"
    write_pdf(report_analysis().to_html(), out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000


def test_pdf_without_chromium_says_how_to_install(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH with no browser on it
    with pytest.raises(RapportInputError) as err:
        write_pdf("<p>x</p>", tmp_path / "r.pdf")
    assert err.value.code == "no_chromium"
    assert "apt-get install chromium" in str(err.value)
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.browser
def test_cli_analyze_pdf(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from rapport.cli import build_app

    chromium_or_skip()
    src = tmp_path / "s.txt"
    src.write_text("Therapist: How was the week?\nClient: I felt low and lonely most days.\n"
                   "Therapist: You felt low and lonely.\n", encoding="utf-8")
    pdf = tmp_path / "s.pdf"
    result = CliRunner().invoke(build_app(), ["analyze", str(src), "--pdf", str(pdf), "-q"])
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes().startswith(b"%PDF")
