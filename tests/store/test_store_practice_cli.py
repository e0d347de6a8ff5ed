"""``rapport practice`` with a record, on both backends: the interactive room keeps the
attempts, ``export`` writes a formula-safe CSV (audited), ``erase`` is for admins."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from cli_runner import Cli

from rapport.csv_safety import restore_cell
from rapport.store.audit import query_audit
from rapport.store.database import Store
from rapport.store.practice import list_attempts

FORMULA = '=HYPERLINK("http://example.invalid","you feel alone")'


@pytest.fixture
def cli(store: Store) -> Cli:
    run = Cli(checked=True)
    run("users", "add", "ada", "--admin")
    run("users", "add", "tia", "--role", "trainee", "--as", "ada")
    run("users", "add", "sam", "--role", "supervisor", "--as", "ada")
    run("users", "add", "sue", "--role", "supervisor", "--as", "ada")
    run("users", "supervise", "sam", "tia", "--as", "ada")
    return run


def test_interactive_keeps_each_attempt(cli: Cli, store: Store) -> None:
    result = cli.runner.invoke(cli.app, ["practice", "--as", "tia", "--drill", "empathy-01"],
                               input=f"It sounds like you feel alone.\nn\n{FORMULA}\nq\n",
                               prog_name="rapport")
    assert result.exit_code == 0, result.output
    assert "nothing is kept" not in result.output
    with store.transaction("tia") as tx:
        kept = list_attempts(tx, with_text=True)
    assert [a.reply for a in kept] == ["It sounds like you feel alone.", FORMULA]
    assert kept[0].drill_id == "empathy-01" and kept[1].drill_id != "empathy-01"


def test_export_is_formula_safe_and_audited(cli: Cli, store: Store, tmp_path: Path) -> None:
    cli.runner.invoke(cli.app, ["practice", "--as", "tia", "--drill", "empathy-02"],
                      input=f"{FORMULA}\nq\n", prog_name="rapport")
    out = tmp_path / "tia.csv"
    said = cli("practice", "export", "--user", "tia", "--out", out, "--as", "sam").stdout
    assert "wrote 1 attempt" in said
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 1 and rows[0]["drill_id"] == "empathy-02"
    assert rows[0]["reply"].startswith("'=") and restore_cell(rows[0]["reply"]) == FORMULA
    assert rows[0]["verdict"] in ("met", "partly", "not_met") and rows[0]["exemplar"]
    with store.transaction("ada") as tx:
        reads = [r for r in query_audit(tx) if r.entity == "practice_attempt"
                 and r.action == "read" and r.actor == "sam"]
    assert reads and "user=tia" in reads[0].detail


def test_export_refuses_those_who_may_not_see(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "no.csv"
    refused = cli("practice", "export", "--user", "tia", "--out", out, "--as", "sue", code=2)
    assert "no practice history of 'tia'" in refused.output
    assert not out.exists()


def test_erase_needs_an_admin_and_yes(cli: Cli, store: Store) -> None:
    cli.runner.invoke(cli.app, ["practice", "--as", "tia", "--drill", "empathy-02"],
                      input="That sounds hard.\nq\n", prog_name="rapport")
    cli("practice", "erase", "--user", "tia", "--as", "ada", code=2)  # no --yes
    cli("practice", "erase", "--user", "tia", "--yes", "--as", "sam", code=2)
    assert "erased 1 practice attempt" in cli("practice", "erase", "--user", "tia", "--yes",
                                              "--as", "ada").stdout
    with store.transaction("tia") as tx:
        assert list_attempts(tx) == []
