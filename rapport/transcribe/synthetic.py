"""Two-voice sessions rendered with Debian's espeak-ng, for tests and the benchmark.

Each turn of a script is spoken by espeak-ng in its speaker's voice (different voice,
pitch and speed per speaker), with a pause between turns; the result is a stereo track
(one speaker per channel) and a mono mix, with the true text and times of every turn.
Synthetic speech is far cleaner and more regular than a real session (no overlap, no
room, the same voice every time), so what it measures is an upper bound; see
``docs/transcribe.md``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rapport.errors import RapportInputError

ESPEAK_RATE = 22_050
#: (espeak-ng voice, pitch 0-99, words per minute) for speaker 0 and speaker 1.
VOICES = (("en-gb+f3", 60, 150), ("en-us+m3", 30, 165))


@dataclass(frozen=True)
class TrueTurn:
    speaker: int
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class Rendered:
    stereo: np.ndarray  # (samples, 2) at ESPEAK_RATE
    turns: list[TrueTurn]

    @property
    def mono(self) -> np.ndarray:
        return np.asarray(self.stereo.sum(axis=1) * 0.7, dtype=np.float32)

    def write(self, path: Path, *, stereo: bool) -> Path:
        import soundfile as sf

        sf.write(str(path), self.stereo if stereo else self.mono, ESPEAK_RATE,
                 subtype="PCM_16")
        return path


def espeak() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        raise RapportInputError("espeak-ng is not installed",
                                fix="apt-get install espeak-ng (make system-deps)",
                                code="missing_extra")
    return found


def speak(text: str, voice: tuple[str, int, int], rate: float = 1.0) -> np.ndarray:
    """One utterance as float32 samples at :data:`ESPEAK_RATE`."""
    import soundfile as sf

    name, pitch, wpm = voice
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "turn.wav"
        # a fixed program and an argument list (no shell): the text is only espeak-ng input
        subprocess.run([espeak(), "-v", name, "-p", str(pitch), "-s", str(int(wpm * rate)),  # noqa: S603
                        "-w", str(out), "--", text], check=True, capture_output=True)
        samples, _ = sf.read(str(out), dtype="float32")
    return np.asarray(samples)


def render(script: Sequence[tuple[int, str]], *, rate: float = 1.0, noise_snr_db: float | None
           = None, seed: int = 0, voices: Sequence[tuple[str, int, int]] = VOICES) -> Rendered:
    """Speak each ``(speaker, text)`` turn in order with 0.4-1.0 s pauses between turns;
    white noise at ``noise_snr_db`` (relative to the speech) when given."""
    rng = np.random.default_rng(seed)
    tracks: list[list[np.ndarray]] = [[], []]
    turns: list[TrueTurn] = []
    clock = int(0.3 * ESPEAK_RATE)
    for track in tracks:
        track.append(np.zeros(clock, dtype=np.float32))
    for speaker, text in script:
        audio = speak(text, voices[speaker], rate)
        # espeak pads each utterance with silence; the true times are the voiced part
        voiced = np.flatnonzero(np.abs(audio) > 0.01)
        lead, tail = (int(voiced[0]), int(voiced[-1])) if len(voiced) else (0, len(audio))
        turns.append(TrueTurn(speaker, text, (clock + lead) / ESPEAK_RATE,
                              (clock + tail) / ESPEAK_RATE))
        pause = np.zeros(int(rng.uniform(0.4, 1.0) * ESPEAK_RATE), dtype=np.float32)
        for k, track in enumerate(tracks):
            track.append(audio if k == speaker else np.zeros_like(audio))
            track.append(pause)
        clock += len(audio) + len(pause)
    stereo = np.stack([np.concatenate(t) for t in tracks], axis=1)
    if noise_snr_db is not None:
        speech_power = float(np.mean(stereo[np.abs(stereo) > 0.01] ** 2))
        scale = np.sqrt(speech_power / 10 ** (noise_snr_db / 10))
        stereo = stereo + rng.normal(0, scale, stereo.shape).astype(np.float32)
    return Rendered(np.clip(stereo, -1, 1).astype(np.float32), turns)
