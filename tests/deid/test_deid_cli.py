"""``rapport deid`` through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import build_app

TRANSCRIPT = ("Dr. Okafor: Hi Melissa, how was March 3rd?\n"
              "Melissa: My sister Jenna called from Tallahassee. Her number is 555-867-5309.\n")


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "melissa.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def _run(*args: str):
    return CliRunner().invoke(build_app(), list(args))


def test_deid_writes_jsonl_without_identifiers(transcript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = _run("deid", str(transcript), "--therapist", "Dr. Okafor", "--client-speaker",
                  "Melissa", "--out", str(out), "--salt", "s")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    for secret in ("Melissa", "Okafor", "Jenna", "Tallahassee", "867-5309", "March 3rd"):
        assert secret not in text
        assert secret not in result.output  # the summary never echoes client text
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["speakers"] == [{"name": "[THERAPIST]", "role": "therapist"},
                                    {"name": "[CLIENT]", "role": "client"}]
    assert lines[2]["text"].startswith("My sister [PERSON_1] called from [LOCATION_1].")
    from rapport.ingest import load_sessions  # the output reads back as Rapport JSONL

    back = load_sessions(out).sessions
    assert len(back) == 1 and len(back[0].turns) == 2


def test_deid_into_a_folder_and_the_same_salt_gives_the_same_file(transcript: Path,
                                                                   tmp_path: Path) -> None:
    args = ("deid", str(transcript), "--therapist", "Dr. Okafor", "--client-speaker",
            "Melissa", "--salt", "s", "--out")
    assert _run(*args, str(tmp_path / "a")).exit_code == 0
    assert _run(*args, str(tmp_path / "b")).exit_code == 0
    [a] = (tmp_path / "a").iterdir()
    [b] = (tmp_path / "b").iterdir()
    assert a.name == b.name and a.read_text() == b.read_text()


def test_bad_output_name_exits_2_and_writes_nothing(transcript: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = _run("deid", str(transcript), "--therapist", "Dr. Okafor", "--client-speaker",
                  "Melissa", "--out", str(out))
    assert result.exit_code == 2
    assert ".jsonl" in result.output and not out.exists()


def test_unreadable_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = _run("deid", str(tmp_path / "missing.txt"), "--out", str(out))
    assert result.exit_code == 2 and not out.exists()


def test_help_has_an_example() -> None:
    result = _run("deid", "--help")
    assert result.exit_code == 0 and "Example:" in result.output
