"""A retrain consumes the workbench's gold export: `rapport train relationship --gold FILE`
(the real CLI) learns from an exported, adjudicated session and saves a model."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import Cli
from workbench_world import Record

from rapport.store.coding import finish_unit, show_project
from rapport.workbench.codebook import relationship_codebook
from rapport.workbench.exports import gold_jsonl
from rapport.workbench.projects import ProjectRequest, code_turn, create_project
from rapport.workbench.state import project_state

pytestmark = pytest.mark.slow
CODES = [["seek_collaboration"], ["withdrawal"], ["affirm"], ["emotional_disclosure"],
         ["normalize"], [], ["repair"], []]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_train_relationship_reads_the_exported_gold(record: Record, tmp_path: Path) -> None:
    with record.store.transaction("tom") as tx:
        project = create_project(tx, ProjectRequest(
            name="retrain", codebook=relationship_codebook(), sessions=[("C-001", 1)],
            coders=["sam"]))
    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
        for i, labels in enumerate(CODES):
            code_turn(tx, project, unit.id, i, labels, None)
        finish_unit(tx, project, unit.id)
    with record.store.transaction("tom") as tx:
        text, left_out = gold_jsonl(project_state(tx, project))
    assert left_out == 0
    gold = tmp_path / "workbench-gold.jsonl"
    gold.write_text(text, "utf-8")
    out = tmp_path / "model"
    result = Cli(checked=True)("train", "relationship", "--gold", gold, "--out", out,
                               "--preset", "fast")
    assert "1 development transcripts of workbench-gold.jsonl" in result.stdout
    assert any(out.iterdir())
