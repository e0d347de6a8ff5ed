"""`rapport coding create|list|export` through the real CLI, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from cli_runner import Cli
from workbench_world import Record

from rapport.store.coding import finish_unit, show_project, unit_turns
from rapport.store.models import CodingProject
from rapport.workbench.eaf import check_eaf
from rapport.workbench.projects import code_turn

BOOK = """
name: listening
labels: single
codes:
  - name: question
    speaker: therapist
    key: q
    definition: asks for information or elaboration
    examples: ["What happened then?"]
  - name: reflection
    speaker: therapist
    key: r
    definition: says back what the client said or meant
    rules: ["a question is never a reflection"]
  - name: feeling
    speaker: client
    key: f
    definition: names a feeling of their own
"""


def _projects(record: Record) -> int:
    with record.store.transaction(None) as tx:
        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(CodingProject)) or 0)


def test_create_list_export_with_a_custom_codebook(record: Record, tmp_path: Path) -> None:
    cli = Cli(checked=True)
    book = tmp_path / "book.yaml"
    book.write_text(BOOK, "utf-8")
    made = cli("coding", "create", "listening pilot", "--session", "C-001:1", "--coder",
               "sam", "--codebook", book, "--as", "tom")
    project = int(made.stdout.split()[2])
    assert "listening" in made.stdout
    listed = cli("coding", "list", "--as", "sam").stdout
    assert "listening pilot" in listed and "sam 0/8" in listed
    assert cli("coding", "list", "--as", "tess").stdout.strip() == "no coding projects"

    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
        turns = unit_turns(tx, project, unit.id)
        for i, t in enumerate(turns):
            labels = ["reflection"] if t["role"] == "therapist" and i % 2 else (
                ["feeling"] if t["role"] == "client" and i == 3 else [])
            code_turn(tx, project, unit.id, i, labels, None)
        finish_unit(tx, project, unit.id)

    gold = tmp_path / "gold.jsonl"
    cli("coding", "export", str(project), "--format", "gold", "--out", gold, "--as", "tom")
    records = [json.loads(line) for line in gold.read_text("utf-8").splitlines()]
    adjudicated = [r for r in records if r["pass"] == "adjudicated"]
    assert [r["codes"] for r in adjudicated][3] == ["feeling"]
    assert len(adjudicated) == 8
    table = tmp_path / "sam.csv"
    cli("coding", "export", str(project), "--format", "csv", "--coding", "sam", "--out", table,
        "--as", "tom")
    header = table.read_text("utf-8").splitlines()[0]
    assert header == "session_id,turn_index,role,speaker,text,question,reflection,feeling"
    # the same coding as Parquet: `rapport reliability` reads it and finds it identical
    parquet = tmp_path / "sam.parquet"
    cli("coding", "export", str(project), "--format", "parquet", "--coding", "sam", "--out",
        parquet, "--as", "tom")
    same = json.loads(cli("reliability", table, parquet, "--json").stdout)
    assert all(c["accuracy"] in (None, 1.0) for c in same["codes"])
    assert {c["code"] for c in same["codes"]} == {"question", "reflection", "feeling"}
    eaf = tmp_path / "s.eaf"
    cli("coding", "export", str(project), "--format", "eaf", "--out", eaf, "--as", "tom")
    assert check_eaf(eaf.read_text("utf-8")) == []


def test_bad_input_is_one_error_and_nothing_stored(record: Record, tmp_path: Path) -> None:
    cli = Cli()
    book = tmp_path / "bad.yaml"
    book.write_text("name: x\ncodes:\n  - name: a\n    speaker: everyone\n    definition: d\n",
                    "utf-8")
    answer = cli("coding", "create", "p", "--session", "C-001:1", "--coder", "sam",
                 "--codebook", book, "--as", "tom", code=2)
    assert "codes[0].speaker" in answer.output and "therapist, client or any" in answer.output
    answer = cli("coding", "create", "p", "--session", "C-001:1", "--coder", "nobody",
                 "--as", "tom", code=2)
    assert "nobody" in answer.output
    answer = cli("coding", "create", "p", "--session", "C-001", "--coder", "sam",
                 "--as", "tom", code=2)
    assert "CODE:SESSION" in answer.output
    # tess may not read C-001: "not found", exactly like a client that does not exist
    answer = cli("coding", "create", "p", "--session", "C-001:1", "--coder", "sam",
                 "--as", "tess", code=2)
    assert "no client 'C-001' that you can see" in answer.output
    assert _projects(record) == 0
    # a project one is not on cannot be exported, nor told apart from a missing one
    cli("coding", "create", "p", "--session", "C-001:1", "--coder", "sam", "--as", "tom",
        code=0)
    for project in ("1", "999"):
        answer = cli("coding", "export", project, "--out", tmp_path / "x.jsonl", "--as",
                     "tess", code=2)
        assert "no coding project" in answer.output
    assert not (tmp_path / "x.jsonl").exists()


def test_a_coder_named_twice_is_refused_and_nothing_stored(record: Record) -> None:
    answer = Cli()("coding", "create", "bad5", "--session", "C-001:1", "--coder", "tom",
                   "--coder", "tom", "--as", "tom", code=2)
    assert "tom is named twice as a coder" in answer.output
    assert "coders" in answer.output and "fix: name each coder once" in answer.output
    assert _projects(record) == 0
