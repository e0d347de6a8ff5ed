"""``rapport analyze RECORDING``: transcribe, settle the roles, report with prosody."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cli_runner import Cli


def test_roles_are_asked_for_then_the_report_has_timing_and_prosody(
        dialogue: dict[str, object], home_env: Path, tmp_path: Path) -> None:
    import shutil

    recording = tmp_path / "session.wav"
    shutil.copy(dialogue["stereo"], recording)  # type: ignore[arg-type]
    cli = Cli()
    refused = cli("analyze", recording, "-q", "--language", "en", code=2)
    assert str(recording) in refused.output
    assert "--therapist SPEAKER_1 --client-speaker SPEAKER_2" in refused.output
    # the recognised chunks wait beside the recording for the second run
    assert sorted(p.name for p in tmp_path.glob(".session.wav.rapport.*.partial")) == [
        ".session.wav.rapport.0.partial", ".session.wav.rapport.1.partial"]
    report = tmp_path / "report.json"
    cli("analyze", recording, "--therapist", "SPEAKER_1", "--client-speaker", "SPEAKER_2",
        "--language", "en", "--json", report, "-q", code=0)
    document = json.loads(report.read_text())
    assert document["session"]["id"] == "session"
    nonverbal = document["sections"]["nonverbal"]
    assert nonverbal["timing"] is not None
    assert nonverbal["prosody"]["mode"] == "per-channel"
    assert {row["speaker"] for row in nonverbal["prosody"]["speakers"]} == {
        "SPEAKER_1", "SPEAKER_2"}
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*.partial"))


def test_a_recording_goes_alone(dialogue: dict[str, object], home_env: Path,
                                examples: Path) -> None:
    result = Cli()("analyze", dialogue["stereo"], examples / "rupture_repair.txt", code=2)
    assert "a recording is analysed on its own" in result.output


def _analyze_at_a_terminal(recording: Path, report: Path, home: Path, answer: str) -> Any:
    """The real CLI in its own process with a pseudo-terminal as stdin, answering the
    role question with ``answer``."""
    import os
    import pty
    import subprocess
    import sys

    controller, terminal = pty.openpty()
    try:
        os.write(controller, answer.encode() + b"\n")  # held by the terminal until read
        return subprocess.run(
            [sys.executable, "-m", "rapport.cli", "analyze", str(recording), "--json",
             str(report), "--language", "en", "-q"], stdin=terminal, capture_output=True,
            text=True, timeout=600, check=False, env={**os.environ, "RAPPORT_HOME": str(home)})
    finally:
        os.close(controller)
        os.close(terminal)


def test_at_a_terminal_the_suggestion_is_confirmed_or_refused(
        dialogue: dict[str, object], home_env: Path, tmp_path: Path) -> None:
    import shutil

    recording = tmp_path / "talk.wav"
    shutil.copy(dialogue["stereo"], recording)  # type: ignore[arg-type]
    refused = _analyze_at_a_terminal(recording, tmp_path / "no.json", home_env, "n")
    assert refused.returncode == 2, refused.stderr
    assert "SPEAKER_1 looks like the therapist" in refused.stderr
    assert "roles were not confirmed" in refused.stderr
    assert not (tmp_path / "no.json").exists()
    confirmed = _analyze_at_a_terminal(recording, tmp_path / "yes.json", home_env, "y")
    assert confirmed.returncode == 0, confirmed.stderr
    document = json.loads((tmp_path / "yes.json").read_text())
    assert {s["name"]: s["role"] for s in document["speakers"]} == {
        "SPEAKER_1": "therapist", "SPEAKER_2": "client"}
