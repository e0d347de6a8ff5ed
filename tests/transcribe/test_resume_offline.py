"""Interrupted runs resume from their checkpoint; recognition never opens a socket."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_socket

from rapport.transcribe.asr import Recogniser
from rapport.transcribe.audio import decode
from rapport.transcribe.model import default_model
from rapport.transcribe.session import checkpoint_path, transcribe


@pytest.fixture(scope="module")
def recogniser(speech_tools: None, model_home: Path) -> Recogniser:
    return Recogniser(default_model(model_home), language="en")


def test_without_any_network(dialogue: dict[str, object], model_home: Path,
                             tmp_path: Path) -> None:
    """Every socket refused, not only outside hosts: model check, load and recognition."""
    pytest_socket.disable_socket(allow_unix_socket=False)
    try:
        model = default_model(model_home)
        result = transcribe(decode(dialogue["mono"]), Recogniser(model, language="en"),  # type: ignore[arg-type]
                            session_id="s", source_name="m.wav",
                            checkpoint_stem=tmp_path / "ck")
    finally:
        pytest_socket.enable_socket()
    assert len(result.turns) >= 4


def test_done_chunks_are_reused(dialogue: dict[str, object], recogniser: Recogniser,
                                tmp_path: Path) -> None:
    recording = decode(dialogue["stereo"])  # type: ignore[arg-type]
    stem = tmp_path / "ck"
    first = transcribe(recording, recogniser, session_id="s", source_name="s.wav",
                       checkpoint_stem=stem)
    # what a run stopped after channel 0's chunk leaves: that chunk, and a torn last line
    saved = checkpoint_path(stem, 0)
    header, chunk = saved.read_text().splitlines()
    row = json.loads(chunk)
    row["words"][0]["text"] = "RESUMED"
    saved.write_text(f"{header}\n{json.dumps(row)}\n{{\"chunk\": 1, \"wor")
    checkpoint_path(stem, 1).unlink()
    ticks: list[float] = []
    second = transcribe(recording, recogniser, session_id="s", source_name="s.wav",
                        checkpoint_stem=stem, tick=ticks.append)
    assert second.turns[0].text.startswith("RESUMED")  # channel 0 came from the checkpoint
    assert [t.text for t in second.turns[1:]] == [t.text for t in first.turns[1:]]
    assert sum(ticks) == pytest.approx(2 * recording.seconds)


def test_checkpoint_of_another_recording_is_ignored(dialogue: dict[str, object],
                                                    recogniser: Recogniser,
                                                    tmp_path: Path) -> None:
    stem = tmp_path / "ck"
    transcribe(decode(dialogue["mono"]), recogniser, session_id="m",  # type: ignore[arg-type]
               source_name="m.wav", checkpoint_stem=stem)
    saved = checkpoint_path(stem, 0)
    header, *rows = saved.read_text().splitlines()
    key = json.loads(header)
    key["audio_sha256"] = "0" * 64  # the same file name, another recording
    poisoned = [json.loads(r) for r in rows]
    for r in poisoned:
        for w in r["words"]:
            w["text"] = "STALE"
    saved.write_text("\n".join([json.dumps(key), *map(json.dumps, poisoned)]) + "\n")
    again = transcribe(decode(dialogue["mono"]), recogniser, session_id="m",  # type: ignore[arg-type]
                       source_name="m.wav", checkpoint_stem=stem)
    assert "STALE" not in " ".join(t.text for t in again.turns)
