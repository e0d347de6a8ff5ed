"""``rapport transcribe`` on synthetic two-voice sessions: the real CLI, the real model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import Cli
from transcribe_script import SCRIPT

from rapport.transcribe.scoring import word_error_rate


def read_jsonl(path: Path) -> tuple[dict[str, object], list[dict[str, object]]]:
    header, *turns = (json.loads(line) for line in path.read_text().splitlines())
    return header, turns


def test_stereo_uses_channels_and_leaves_roles_to_the_user(transcribed: dict[str, Path]) -> None:
    header, turns = read_jsonl(transcribed["stereo"])
    assert header["speakers"] == [{"name": "SPEAKER_1", "role": None},
                                  {"name": "SPEAKER_2", "role": None}]
    meta = header["metadata"]
    assert isinstance(meta, dict)
    assert meta["who_spoke_when"].startswith("channels")
    assert meta["suggested_roles"] == "SPEAKER_1=therapist, SPEAKER_2=client"
    # one turn per scripted turn, alternating like the script, with word-timed bounds
    assert [t["speaker"] for t in turns] == [f"SPEAKER_{s + 1}" for s, _ in SCRIPT]
    starts = [t["start"] for t in turns]
    assert starts == sorted(starts)
    assert all(t["end"] > t["start"] for t in turns)


def test_recognition_on_known_text(transcribed: dict[str, Path],
                                   dialogue: dict[str, object]) -> None:
    """WER on espeak-ng speech; the benchmark reports it on longer sessions."""
    _, turns = read_jsonl(transcribed["stereo"])
    hypothesis = " ".join(str(t["text"]) for t in turns)
    reference = " ".join(text for _, text in SCRIPT)
    wer = word_error_rate(reference, hypothesis)
    assert wer <= 0.25, (wer, hypothesis)
    rendered = dialogue["rendered"]
    for turn, truth in zip(turns, rendered.turns, strict=True):  # type: ignore[attr-defined]
        assert abs(float(turn["start"]) - truth.start) < 0.6  # type: ignore[arg-type]


def test_mono_is_diarised(transcribed: dict[str, Path], dialogue: dict[str, object]) -> None:
    """One channel: the voices are told apart well enough to give each turn its speaker."""
    from rapport.transcribe.scoring import speaker_error

    header, turns = read_jsonl(transcribed["mono"])
    meta = header["metadata"]
    assert isinstance(meta, dict)
    assert meta["who_spoke_when"].startswith("diarisation")
    truth = [(t.speaker, t.start, t.end) for t in dialogue["rendered"].turns]  # type: ignore[attr-defined]
    words = [((float(t["start"]) + float(t["end"])) / 2, int(str(t["speaker"])[-1]))  # type: ignore[arg-type]
             for t in turns for _ in str(t["text"]).split()]
    assert speaker_error(words, truth) <= 0.1
    assert meta["suggested_roles"] == "SPEAKER_1=therapist, SPEAKER_2=client"


def test_transcript_needs_roles_then_analyses(transcribed: dict[str, Path],
                                             tmp_path: Path) -> None:
    cli = Cli()
    refused = cli("analyze", transcribed["stereo"], "-q", code=2)
    assert "cannot tell the role" in refused.output
    assert "--therapist SPEAKER_1 --client-speaker SPEAKER_2" in refused.output
    report = tmp_path / "r.json"
    cli("analyze", transcribed["stereo"], "--therapist", "SPEAKER_1", "--client-speaker",
        "SPEAKER_2", "--json", report, "-q", code=0)
    document = json.loads(report.read_text())
    roles = {s["name"]: s["role"] for s in document["speakers"]}
    assert roles == {"SPEAKER_1": "therapist", "SPEAKER_2": "client"}


def test_output_must_be_jsonl(dialogue: dict[str, object], home_env: Path,
                              tmp_path: Path) -> None:
    result = Cli()("transcribe", dialogue["stereo"], "--out", tmp_path / "t.txt", code=2)
    assert "JSONL" in result.output
    assert not (tmp_path / "t.txt").exists()


@pytest.mark.parametrize("content", [b"RIFF\x00\x00\x00\x00WAVEnot really audio",
                                     b"just some text that is not audio at all"])
def test_unreadable_recording_is_one_error(content: bytes, home_env: Path, tmp_path: Path,
                                           speech_tools: None) -> None:
    bad = tmp_path / "broken.wav"
    bad.write_bytes(content)
    out = tmp_path / "t.jsonl"
    result = Cli()("transcribe", bad, "--out", out, code=2)
    assert "cannot read this file" in result.output
    assert not out.exists()


def test_model_folder_must_be_a_model(dialogue: dict[str, object], home_env: Path,
                                      tmp_path: Path) -> None:
    (tmp_path / "empty-model").mkdir()
    result = Cli()("transcribe", dialogue["stereo"], "--out", tmp_path / "t.jsonl",
                   "--model", tmp_path / "empty-model", code=2)
    assert "not a faster-whisper model folder" in result.output


def test_user_model_folder_is_used(dialogue: dict[str, object], home_env: Path,
                                   tmp_path: Path) -> None:
    """--model DIR: the joined default model, copied elsewhere, read as the user's."""
    import shutil

    from rapport.transcribe.model import default_model

    mine = tmp_path / "my-whisper"
    shutil.copytree(default_model(home_env).folder, mine)
    out = tmp_path / "t.jsonl"
    Cli(checked=True)("transcribe", dialogue["stereo"], "--out", out, "--model", mine, "-q",
                      "--language", "en")
    header, _ = read_jsonl(out)
    assert header["metadata"]["speech_model"] == "user model my-whisper"  # type: ignore[index]
