"""Small synthetic media with planted truth, generated once per test session."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("cv2")
pytest.importorskip("parselmouth")

from rapport.nonverbal.synthetic import (
    BlobVideoSpec,
    PlantedTurn,
    SpeechSpec,
    coupled_blob_frames,
    harmonic_dialogue,
    write_video,
)

SR = 16000


@pytest.fixture(scope="session")
def dialogue() -> tuple[np.ndarray, list[PlantedTurn]]:
    """About 2 minutes of two-channel harmonic speech with planted pitch, rate and timing."""
    return harmonic_dialogue(SpeechSpec(turns=24, seed=11))


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory,
              dialogue: tuple[np.ndarray, list[PlantedTurn]]) -> Path:
    """A matching stereo WAV, mono WAV and MJPG video (160x90, 10 fps) of one session,
    all of the same duration."""
    import soundfile as sf

    out = tmp_path_factory.mktemp("media")
    audio, _ = dialogue
    sf.write(out / "stereo.wav", audio.astype(np.float32), SR)
    sf.write(out / "mono.wav", audio.mean(axis=1).astype(np.float32), SR)
    spec = BlobVideoSpec(seconds=len(audio) / SR, fps=10, seed=5)  # as long as the audio
    write_video(out / "video.avi", coupled_blob_frames(spec), spec.fps, "MJPG")
    return out
