"""`rapport coding create --transcript`, `add`, `reopen` and `delete` through the real CLI,
on both backends: an admin's project of uploaded files coded and exported, bad files one
error (exit 2) with nothing stored, changes recorded in the project's history."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import sqlalchemy as sa
from cli_runner import Cli
from workbench_world import Record

from rapport.store.coding import finish_unit, show_project, unit_turns
from rapport.store.coding_changes import project_history
from rapport.store.models import CodingProject, CodingUnit
from rapport.workbench.projects import code_turn

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _count(record: Record, model: type[object]) -> int:
    with record.store.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def _code(record: Record, project: int, unit: int, who: str, *, therapist: list[str]) -> None:
    with record.store.transaction(who) as tx:
        for i, t in enumerate(unit_turns(tx, project, unit)):
            code_turn(tx, project, unit, i, therapist if t["role"] == "therapist" else [],
                      None)
        finish_unit(tx, project, unit)


def test_an_admin_codes_uploaded_files_from_the_cli(record: Record, tmp_path: Path) -> None:
    cli = Cli(checked=True)
    srt = tmp_path / "good_listening.srt"
    shutil.copy(EXAMPLES / "good_listening.srt", srt)
    made = cli("coding", "create", "role-plays", "--transcript", srt, "--transcript",
               EXAMPLES / "rupture_repair.txt", "--client-speaker", "Maya", "--coder",
               "tom", "--coder", "tess", "--as", "ada")
    project = int(made.stdout.split()[2])
    listed = cli("coding", "list", "--as", "tess").stdout
    assert "role-plays" in listed and "2 sessions" in listed

    with record.store.transaction("ada") as tx:
        first, second = show_project(tx, project).units
    _code(record, project, second.id, "tom", therapist=["affirm"])
    _code(record, project, second.id, "tess", therapist=["affirm"])
    gold = tmp_path / "gold.jsonl"
    out = cli("coding", "export", str(project), "--format", "gold", "--out", gold,
              "--as", "ada").stdout
    assert "1 session(s) left out" in out  # the first file is not coded
    records = [json.loads(line) for line in gold.read_text("utf-8").splitlines()]
    assert {r["pass"] for r in records} == {"coder:tom", "coder:tess", "adjudicated"}
    eaf = tmp_path / "first.eaf"
    cli("coding", "export", str(project), "--format", "eaf", "--unit", str(first.id),
        "--out", eaf, "--as", "ada")
    assert "Maya" not in eaf.read_text("utf-8")

    # more coders and a file later, a finished session reopened: all in the history
    added = cli("coding", "add", str(project), "--coder", "sam", "--transcript",
                EXAMPLES / "rupture_repair.txt", "--as", "ada").stdout
    assert "1 session(s)" in added
    cli("coding", "reopen", str(project), "--unit", str(second.id), "--coder", "tom",
        "--as", "ada")
    with record.store.transaction("tom") as tx:
        view = show_project(tx, project)
        kinds = [e.kind for e in project_history(tx, project)]
    assert "sam" in view.coders and len(view.units) == 3
    assert "tom" not in view.units[1].finished
    assert kinds == ["members_added", "sessions_added", "reopened"]

    assert "deleted" in cli("coding", "delete", str(project), "--yes", "--as", "ada").stdout
    assert _count(record, CodingProject) == 0 and _count(record, CodingUnit) == 0


def test_bad_files_are_one_error_and_nothing_is_stored(record: Record, tmp_path: Path
                                                      ) -> None:
    cli = Cli()
    broken = tmp_path / "broken.vtt"
    broken.write_text("WEBVTT\n\n00:00:05.000 --> garbage\nTherapist: hi\n", "utf-8")
    answer = cli("coding", "create", "p", "--transcript", EXAMPLES / "rupture_repair.txt",
                 "--transcript", broken, "--coder", "tom", "--as", "ada", code=2)
    assert "broken.vtt" in answer.output and "fix" in answer.output
    answer = cli("coding", "create", "p", "--transcript", tmp_path / "missing.txt",
                 "--coder", "tom", "--as", "ada", code=2)
    assert "missing.txt" in answer.output
    answer = cli("coding", "create", "p", "--transcript", EXAMPLES / "good_listening.srt",
                 "--coder", "tom", "--as", "ada", code=2)
    assert "--client-speaker Maya" in answer.output
    # admins read no client records: stored sessions are refused with a way forward
    answer = cli("coding", "create", "p", "--session", "C-001:1", "--coder", "tom",
                 "--as", "ada", code=2)
    assert "--transcript" in answer.output
    answer = cli("coding", "create", "p", "--coder", "tom", "--as", "ada", code=2)
    assert "no sessions given" in answer.output
    assert _count(record, CodingProject) == 0 and _count(record, CodingUnit) == 0


def test_only_the_maker_or_an_admin_changes_a_project(record: Record) -> None:
    cli = Cli()
    made = cli("coding", "create", "p", "--transcript", EXAMPLES / "rupture_repair.txt",
               "--coder", "sam", "--as", "tom", code=0)
    project = made.stdout.split()[2]
    for who in ("sam", "tess"):  # a coder on it, and someone not on it: "not found"
        answer = cli("coding", "add", project, "--coder", "tess", "--as", who, code=2)
        assert f"no coding project '{project}'" in answer.output
        cli("coding", "delete", project, "--yes", "--as", who, code=2)
    answer = cli("coding", "delete", project, "--as", "tom", code=2)
    assert "--yes" in answer.output
    answer = cli("coding", "add", project, "--as", "tom", code=2)
    assert "nothing to add" in answer.output
    answer = cli("coding", "reopen", project, "--unit", "1", "--coder", "sam", "--as",
                 "tom", code=2)
    assert "has not finished" in answer.output
    assert _count(record, CodingProject) == 1


def test_a_third_speaker_is_named_with_other(record: Record, tmp_path: Path) -> None:
    # Jo (therapist), Maya (client) and an interpreter, Lin: the hint names only options
    # `coding create` has, and --other settles it.
    three = tmp_path / "maya3.txt"
    three.write_text("Jo: How has the week been?\nMaya: Hard. I felt alone.\n"
                     "Lin: She says it was hard and lonely.\nJo: Alone, even at home?\n",
                     "utf-8")
    cli = Cli()
    answer = cli("coding", "create", "up3", "--transcript", three, "--therapist", "Jo",
                 "--client-speaker", "Maya", "--coder", "tom", "--as", "ada", code=2)
    assert "'Lin'" in answer.output and "--other Lin" in answer.output
    assert "--roles" not in answer.output and "folder" not in answer.output
    assert _count(record, CodingProject) == 0
    made = cli("coding", "create", "up3", "--transcript", three, "--therapist", "Jo",
               "--client-speaker", "Maya", "--other", "Lin", "--coder", "tom", "--as",
               "ada", code=0)
    project = int(made.stdout.split()[2])
    with record.store.transaction("ada") as tx:
        (unit,) = show_project(tx, project).units
        roles = [t["role"] for t in unit_turns(tx, project, unit.id)]
    assert roles == ["therapist", "client", "other", "therapist"]
    added = cli("coding", "add", str(project), "--transcript", three, "--therapist", "Jo",
                "--client-speaker", "Maya", "--other", "Lin", "--as", "ada", code=0)
    assert "1 session(s)" in added.stdout
