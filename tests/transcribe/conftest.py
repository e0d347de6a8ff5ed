"""Synthetic two-voice sessions (espeak-ng) and their transcriptions, made once per run.

Nothing is downloaded: the speech is synthesised here, the model comes from the
``transcribe`` extra. Without espeak-ng or the extra these tests skip, except in CI
(``make test`` installs both), where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest
from transcribe_script import SCRIPT

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")



def need(available: bool, what: str) -> None:
    if not available:
        if IN_CI:
            pytest.fail(f"{what} is missing in CI (make install-test system-deps)")
        pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def speech_tools() -> None:
    need(shutil.which("espeak-ng") is not None, "espeak-ng")
    need(importlib.util.find_spec("faster_whisper") is not None, "the transcribe extra")


@pytest.fixture(scope="session")
def model_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One RAPPORT_HOME for the run, so the model halves are joined once."""
    return tmp_path_factory.mktemp("transcribe-home")


@pytest.fixture(scope="session")
def dialogue(speech_tools: None, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from rapport.transcribe.synthetic import render

    folder = tmp_path_factory.mktemp("dialogue")
    rendered = render(SCRIPT, seed=1)
    return {"rendered": rendered,
            "stereo": rendered.write(folder / "checkin-stereo.wav", stereo=True),
            "mono": rendered.write(folder / "checkin-mono.wav", stereo=False)}


@pytest.fixture
def home_env(model_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RAPPORT_HOME", str(model_home))
    return model_home


@pytest.fixture(scope="session")
def transcribed(dialogue: dict[str, object], model_home: Path,
                tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``rapport transcribe`` run once on the stereo and once on the mono mix."""
    from cli_runner import Cli

    out = tmp_path_factory.mktemp("transcripts")
    done = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPPORT_HOME", str(model_home))
        for kind in ("stereo", "mono"):
            target = out / f"{kind}.jsonl"
            Cli(checked=True)("transcribe", dialogue[kind], "--out", target, "--language",
                              "en", "-q")
            done[kind] = target
    return done
