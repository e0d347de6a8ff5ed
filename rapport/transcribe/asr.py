"""Speech to timed words with faster-whisper, chunk by chunk, resumable.

A long recording is cut into chunks of about :data:`CHUNK_SECONDS`, each cut placed at the
quietest 50 ms frame of the last :data:`CUT_WINDOW` seconds so that no word is split. After
each chunk its words are appended to a checkpoint file (one JSON line per chunk, after a
header naming the recording's sha256, the channel and the model). An interrupted run
(Ctrl-C, a crash, a stopped job) started again with the same checkpoint skips the chunks
already done. Nothing here opens a socket: the model is loaded from a local folder with
``local_files_only``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rapport.errors import RapportInputError
from rapport.transcribe.audio import FRAME, RATE, frame_db
from rapport.transcribe.model import SpeechModel

CHUNK_SECONDS = 60.0
CUT_WINDOW = 10.0
CHECKPOINT_VERSION = 1
#: Beam search with 5 beams (faster-whisper's and Whisper's own default) rather than
#: greedy decoding: on two development sessions (AnnoMI transcripts 126 and 131, normal
#: and 1.25x rate; not the benchmark's) it lowered the normalised WER from 11.8% to 9.4%
#: at about the same speed (docs/transcribe.md).
BEAM_SIZE = 5


@dataclass(frozen=True)
class Word:
    """One recognised word; ``channel`` is the audio channel it was heard on."""

    text: str
    start: float
    end: float
    probability: float
    channel: int = 0


def chunk_bounds(samples: np.ndarray) -> list[tuple[int, int]]:
    """``(start, end)`` sample ranges covering ``samples``, cut in quiet places."""
    size, window = int(CHUNK_SECONDS * RATE), int(CUT_WINDOW * RATE)
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(samples) - start > size + window:
        search = samples[start + size - window:start + size]
        quietest = int(np.argmin(frame_db(search))) if len(search) >= FRAME else 0
        cut = start + size - window + quietest * FRAME + FRAME // 2
        bounds.append((start, cut))
        start = cut
    bounds.append((start, len(samples)))
    return bounds


class Checkpoint:
    """The chunks of one channel already transcribed, kept in a JSON-lines file."""

    def __init__(self, path: Path, key: dict[str, Any]) -> None:
        self.path, self.key = path, key
        self.done: dict[int, list[Word]] = {}
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            if lines and json.loads(lines[0]) == key:
                for line in lines[1:]:
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:  # a line cut short by the interruption
                        break
                    self.done[int(row["chunk"])] = [Word(**w) for w in row["words"]]
                return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(key) + "\n", encoding="utf-8")

    def add(self, chunk: int, words: list[Word]) -> None:
        self.done[chunk] = words
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"chunk": chunk, "words": [asdict(w) for w in words]}) + "\n")
            fh.flush()
            os.fsync(fh.fileno())


class Recogniser:
    """A loaded faster-whisper model (int8 on the CPU)."""

    def __init__(self, model: SpeechModel, *, threads: int = 2, language: str | None = None,
                 beam_size: int = BEAM_SIZE) -> None:
        from faster_whisper import WhisperModel

        self.model, self.language, self.beam_size = model, language, beam_size
        try:
            self._whisper = WhisperModel(str(model.folder), device="cpu", compute_type="int8",
                                         cpu_threads=threads, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise RapportInputError(f"the speech model could not be loaded "
                                    f"({type(exc).__name__})", where=str(model.folder),
                                    fix="check the model folder, or leave out --model",
                                    code="bad_model") from None

    def words(self, samples: np.ndarray, offset: float, channel: int) -> list[Word]:
        """The words of one chunk, with times from the start of the recording."""
        segments, _ = self._whisper.transcribe(
            samples, language=self.language, word_timestamps=True, beam_size=self.beam_size,
            vad_filter=True, condition_on_previous_text=False)
        found: list[Word] = []
        for segment in segments:
            for w in segment.words or ():
                text = w.word.strip()
                if text:
                    found.append(Word(text, round(offset + float(w.start), 3),
                                      round(offset + max(float(w.end), float(w.start)), 3),
                                      round(float(w.probability), 4), channel))
        return found

    def channel_words(self, samples: np.ndarray, channel: int, checkpoint: Checkpoint,
                      tick: Callable[[float], None]) -> list[Word]:
        """Every word of one channel, skipping the chunks ``checkpoint`` already holds;
        ``tick(seconds)`` after each chunk (done or skipped) drives the progress bar."""
        words: list[Word] = []
        for number, (start, end) in enumerate(chunk_bounds(samples)):
            if number not in checkpoint.done:
                checkpoint.add(number, self.words(samples[start:end], start / RATE, channel))
            words.extend(checkpoint.done[number])
            tick((end - start) / RATE)
        return words
