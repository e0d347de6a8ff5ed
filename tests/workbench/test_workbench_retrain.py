"""A retrain consumes the workbench's gold export: `rapport train relationship --gold FILE`
(the real CLI) learns from exported, adjudicated sessions and saves a model."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import Cli
from workbench_world import DAY, Record, document

from rapport.store.analyses import store_analysis
from rapport.store.coding import finish_unit, show_project
from rapport.workbench.codebook import relationship_codebook
from rapport.workbench.exports import gold_jsonl
from rapport.workbench.projects import ProjectRequest, code_turn, create_project
from rapport.workbench.state import project_state

pytestmark = pytest.mark.slow
#: (code, what a therapist or client turn carrying it says), cycled through the sessions.
THERAPIST = [("affirm", "You worked really hard on that, it shows real strength."),
             ("seek_collaboration", "What would you like us to focus on today?"),
             ("emphasize_autonomy", "It is completely your decision what you do next."),
             ("persuade", "You should really stop drinking before it gets worse."),
             ("persuade_with_permission", "Since you asked, one idea is to try walking."),
             ("confront", "No, that is just an excuse and you know it."),
             ("repair", "I may have pushed too hard there, tell me what felt wrong.")]
CLIENT = [("withdrawal", "I don't know. Whatever."),
          ("confrontation", "This isn't helping me at all, you don't get it."),
          ("emotional_disclosure", "I feel so scared and lonely at night.")]


def _session(seed: int) -> list[tuple[str, str, list[str]]]:
    turns: list[tuple[str, str, list[str]]] = []
    for i in range(20):
        code, text = THERAPIST[(i + seed) % len(THERAPIST)]
        turns.append(("therapist", f"{text} ({seed}.{i})", [code]))
        code, text = CLIENT[(i + seed) % len(CLIENT)]
        turns.append(("client", f"{text} ({seed}.{i})", [code]))
    return turns


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_train_relationship_reads_the_exported_gold(record: Record, tmp_path: Path) -> None:
    sessions = {}
    with record.store.transaction("tom") as tx:
        for number, seed in ((3, 0), (4, 1), (5, 2)):
            sessions[number] = _session(seed)
            store_analysis(tx, "C-001", number, document(sessions[number]), session_date=DAY)
        project = create_project(tx, ProjectRequest(
            name="retrain", codebook=relationship_codebook(),
            sessions=[("C-001", n) for n in sessions], coders=["sam"]))
    with record.store.transaction("sam") as tx:
        for unit, turns in zip(show_project(tx, project).units, sessions.values(),
                               strict=True):
            for i, (_, _, labels) in enumerate(turns):
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
    assert "3 development transcripts of workbench-gold.jsonl" in result.stdout
    assert any(out.iterdir())
