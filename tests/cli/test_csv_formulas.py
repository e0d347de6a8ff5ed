"""CSV formula injection (issue 18, item 6): every CSV Rapport writes neutralises cells a
spreadsheet would run, ``--raw-csv`` opts out, plain numbers are left alone, and Rapport's
own code-table reader gives back the original text exactly."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.csv_safety import FORMULA_STARTS, neutralise_cell, restore_cell
from rapport.research.codings import read_table

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "'=already quoted"]
TRANSCRIPT = "".join(f"Therapist: {line}\nClient: {line}\n" for line in HOSTILE)
TRANSCRIPT += "Therapist: So.\nClient: -0.5\n"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def cells_of(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def runs_as_formula(cell: str) -> bool:
    return cell[:1] in FORMULA_STARTS and cell != "-0.5"


@pytest.mark.parametrize("command", [("code",), ("export", "table", "--keep-identifiers")])
def test_written_tables_hold_no_formula(cli: Cli, hostile: Path, tmp_path: Path,
                                       command: tuple[str, ...]) -> None:
    out = tmp_path / "table.csv"
    result = cli(*command, hostile, "--out", out)
    assert result.exit_code == 0, result.output
    cells = cells_of(out)
    assert not [c for c in cells if runs_as_formula(c)]
    assert "'" + HOSTILE[0] in cells and "-0.5" in cells  # quoted, and numbers untouched
    # Rapport's reader undoes the apostrophe exactly, the quoted text's own included
    texts = list(read_table(out)["text"].astype(str))
    assert all(line in texts for line in HOSTILE)


@pytest.mark.parametrize("command", [("code",), ("export", "table", "--keep-identifiers")])
def test_raw_csv_writes_cells_as_they_are(cli: Cli, hostile: Path, tmp_path: Path,
                                         command: tuple[str, ...]) -> None:
    out = tmp_path / "raw.csv"
    assert cli(*command, hostile, "--out", out, "--raw-csv").exit_code == 0
    assert HOSTILE[0] in cells_of(out)


@given(st.text(alphabet=st.sampled_from("'=+-@\t\r0.5eax"), max_size=8) | st.text())
def test_neutralising_is_safe_and_exactly_reversible(text: str) -> None:
    cell = neutralise_cell(text)
    assert restore_cell(cell) == text
    assert cell[:1] not in FORMULA_STARTS or cell.lstrip("+-")[:1].isdigit() \
        or cell.lstrip("+-")[:1] == "."
