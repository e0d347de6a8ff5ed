"""Bad input through the real ``rapport`` CLI: exit 2, the file named, nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ingest_helpers import FIXTURES
from typer.testing import CliRunner

from rapport.cli import build_app

EXAMPLE_FLAGS = {
    "rupture_repair.txt": [],
    "poor_listening.vtt": ["--therapist", "Dr. Lee", "--client-speaker", "Jordan"],
    "good_listening.srt": ["--client-speaker", "Maya"],
    "couple_session.json": ["--therapist", "SPEAKER_00", "--client-speaker", "SPEAKER_01",
                            "--client-speaker", "SPEAKER_02"],
    "first_session.csv": [],
    "check_in.jsonl": [],
}


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), [str(a) for a in args], prog_name="rapport")
    return result.exit_code, result.output


@pytest.mark.parametrize(("suffix", "content", "problem"), [
    (".txt", b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(64), "WAV audio"),
    (".txt", b"T: Hello.\nC: Caf\xe9.\n", "not UTF-8"),
    (".txt", b"Dr. Lee: Hello.\nSam: Hi.\n", "--therapist"),
    (".vtt", b"WEBVTT\n\n00:05.000 --> 00:01.000\n<v T>Hi\n", "ends before it starts"),
    (".csv", b"speaker,words\nT,Hi\n", "missing column"),
    (".json", b"[" * 5000 + b"]" * 5000, "nested"),
], ids=["audio", "encoding", "names", "inverted cue", "csv columns", "hostile json"])
def test_bad_transcript_exits_2_names_the_file_and_writes_nothing(
        tmp_path: Path, suffix: str, content: bytes, problem: str) -> None:
    src = tmp_path / f"session 1{suffix}"
    src.write_bytes(content)
    out = tmp_path / "out.json"
    code, output = run("analyze", src, "--json", out, "--quiet")
    assert code == 2, output
    assert str(src) in output
    assert problem in output
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) <= 4
    assert not out.exists()


def test_one_bad_file_among_good_ones_writes_nothing(tmp_path: Path, examples: Path) -> None:
    good = tmp_path / "good.txt"
    shutil.copy(examples / "rupture_repair.txt", good)
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    out = tmp_path / "reports"
    code, output = run("analyze", good, bad, "--json", out, "--quiet")
    assert code == 2
    assert "empty.txt: the file is empty" in output
    assert not out.exists()


@pytest.mark.parametrize("name", sorted(EXAMPLE_FLAGS))
def test_analyze_works_on_every_example(tmp_path: Path, examples: Path, name: str) -> None:
    out = tmp_path / "report.json"
    code, output = run("analyze", examples / name, *EXAMPLE_FLAGS[name], "--json", out,
                       "--quiet")
    assert code == 0, output
    doc = json.loads(out.read_text(encoding="utf-8"))
    own_ids = {"first_session.csv": "first-session", "check_in.jsonl": "check-in"}
    assert doc["session"]["id"] == own_ids.get(name, Path(name).stem)
    assert len(doc["turns"]) >= 10


def test_analyze_reads_real_annomi_transcripts(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    code, output = run("analyze", FIXTURES / "annomi_two_transcripts.csv", "--json", out,
                       "--quiet")
    assert code == 0, output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["annomi-118.json", "annomi-8.json"]
    doc = json.loads((out / "annomi-8.json").read_text(encoding="utf-8"))
    assert doc["session"]["language"] == "en"
    assert len(doc["turns"]) == 30
