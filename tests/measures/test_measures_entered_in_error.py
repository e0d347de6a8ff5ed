"""``rapport measures responses`` and ``rapport measures entered-in-error`` through the real
CLI on a real record (SQLite, PostgreSQL): a questionnaire typed in wrongly is marked,
leaves `rapport progress`, and the session records the right answers."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.store.database import Store

APP = build_app()


def cli(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(APP, list(args), prog_name="rapport")


def _response_id(listing: str, instrument: str) -> int:
    (row,) = [line for line in listing.splitlines()
              if f" {instrument} " in line and "marked by" not in line]
    return int(row.split()[0])


def test_a_wrong_entry_is_marked_and_replaced(clinic: Store) -> None:
    typed = cli("measures", "record", "C-1", "gad7", "--session", "1", "--answers",
                "3,3,3,3,3,3,3", "--as", "tom")
    assert typed.exit_code == 0, typed.output
    listing = cli("measures", "responses", "C-1", "--as", "tom")
    assert listing.exit_code == 0, listing.output
    wrong = _response_id(listing.stdout, "gad7")
    assert "21" in listing.stdout

    marked = cli("measures", "entered-in-error", "C-1", str(wrong), "--reason",
                 "answers of another client's form", "--as", "tom")
    assert marked.exit_code == 0, marked.output
    assert f"marked response {wrong} (gad7, session 1)" in marked.stdout

    right = cli("measures", "record", "C-1", "gad7", "--session", "1", "--answers",
                "1,0,1,0,1,0,1", "--as", "tom")
    assert right.exit_code == 0, right.output
    progress = cli("progress", "C-1", "--no-chart", "--as", "sam")
    assert progress.exit_code == 0, progress.output
    assert "21" not in progress.stdout and "Severe" not in progress.stdout

    after = cli("measures", "responses", "C-1", "--as", "sam").stdout
    errors = after.split("Entered in error (in no score):")[1]
    assert f"{wrong:>6}" in errors and "marked by tom" in errors
    assert "answers of another client's form" in errors
    assert _response_id(after.split("Entered in error")[0], "gad7") != wrong


def test_refusals_exit_non_zero_with_the_fix(clinic: Store) -> None:
    typed = cli("measures", "record", "C-1", "phq9", "--session", "2", "--answers",
                "1,1,1,1,1,1,1,1,2", "--as", "tom")
    assert typed.exit_code == 0, typed.output
    flagged = _response_id(cli("measures", "responses", "C-1", "--as", "tom").stdout, "phq9")

    open_flag = cli("measures", "entered-in-error", "C-1", str(flagged), "--reason", "wrong",
                    "--as", "tom")
    assert open_flag.exit_code != 0
    assert f"acknowledge flag questionnaire:{flagged}:phq9_9 first" in open_flag.output

    supervisor = cli("measures", "entered-in-error", "C-1", str(flagged), "--reason", "x",
                     "--as", "sam")
    assert supervisor.exit_code != 0 and "no client 'C-1' that you can see" in supervisor.output

    ack = cli("flags", "acknowledge", "C-1", f"questionnaire:{flagged}:phq9_9", "--action",
              "other", "--note", "entered for the wrong client", "--as", "tom")
    assert ack.exit_code == 0, ack.output
    blank = cli("measures", "entered-in-error", "C-1", str(flagged), "--reason", " ",
                "--as", "tom")
    assert blank.exit_code != 0 and "a reason is required" in blank.output
    done = cli("measures", "entered-in-error", "C-1", str(flagged), "--reason", "wrong client",
               "--as", "tom")
    assert done.exit_code == 0, done.output
    # the flag is still listed, acknowledged, and says what happened to its response
    flags = cli("flags", "list", "C-1", "--as", "tom").stdout
    assert "ACKNOWLEDGED" in flags and "marked entered in error by tom" in flags


def test_the_fhir_export_retracts_a_marked_answer_under_its_earlier_ids(
        clinic: Store, tmp_path: Path) -> None:
    def export(name: str) -> dict[str, dict[str, object]]:
        out = tmp_path / name
        done = cli("measures", "fhir", "C-1", "--out", str(out), "--as", "tom")
        assert done.exit_code == 0, done.output
        return {e["resource"]["resourceType"]: e["resource"]
                for e in json.loads(out.read_text())["entry"]}

    assert cli("measures", "record", "C-1", "gad7", "--session", "1", "--answers",
               "3,3,3,3,3,3,3", "--as", "tom").exit_code == 0
    first = export("first.json")
    assert first["QuestionnaireResponse"]["status"] == "completed"
    wrong = _response_id(cli("measures", "responses", "C-1", "--as", "tom").stdout, "gad7")
    assert cli("measures", "entered-in-error", "C-1", str(wrong), "--reason", "wrong form",
               "--as", "tom").exit_code == 0
    retracted = export("retracted.json")
    for kind in ("QuestionnaireResponse", "Observation"):
        assert retracted[kind]["id"] == first[kind]["id"]
        assert retracted[kind]["status"] == "entered-in-error"
    assert "item" not in retracted["QuestionnaireResponse"]  # the answers are not re-sent
    assert "valueQuantity" not in retracted["Observation"]
    # once the session has the right answers, they take the same ids, completed
    assert cli("measures", "record", "C-1", "gad7", "--session", "1", "--answers",
               "1,0,1,0,1,0,1", "--as", "tom").exit_code == 0
    replaced = export("replaced.json")
    assert replaced["QuestionnaireResponse"]["id"] == first["QuestionnaireResponse"]["id"]
    assert replaced["QuestionnaireResponse"]["status"] == "completed"
    assert replaced["Observation"]["valueQuantity"]["value"] == 4
