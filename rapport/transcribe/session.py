"""One recording to one Rapport JSONL session with unsettled roles.

The JSONL header lists the speakers (``SPEAKER_1``...) with ``"role": null`` and carries
the suggested roles in its metadata; the roles are settled when the transcript is read
(``rapport analyze FILE.jsonl --therapist SPEAKER_1``), never here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapport.errors import RapportInputError
from rapport.transcribe.asr import CHECKPOINT_VERSION, Checkpoint, Recogniser, Word
from rapport.transcribe.audio import Recording, one_speaker_per_channel
from rapport.transcribe.diarise import diarise
from rapport.transcribe.turns import (
    RoleSuggestion,
    TimedTurn,
    build_turns,
    speaker_name,
    suggest_roles,
)


@dataclass(frozen=True)
class Transcript:
    session_id: str
    turns: list[TimedTurn]
    suggestion: RoleSuggestion
    metadata: dict[str, str | int | float | bool | None]
    #: every recognised word and its speaker label (for scoring; not written out)
    words: list[Word] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(t.speaker for t in self.turns))

    def to_jsonl(self) -> str:
        header: dict[str, Any] = {
            "rapport_format": "session", "version": 1, "id": self.session_id,
            "speakers": [{"name": n, "role": None} for n in self.speakers],
            "metadata": self.metadata}
        lines = [json.dumps(header, ensure_ascii=False)]
        lines.extend(json.dumps({"speaker": t.speaker, "text": t.text, "start": t.start,
                                 "end": t.end}, ensure_ascii=False) for t in self.turns)
        return "\n".join(lines) + "\n"


def transcribe(recording: Recording, recogniser: Recogniser, *, session_id: str,
               source_name: str, checkpoint_stem: Path, speakers: int = 2,
               plan: Callable[[float], None] = lambda _: None,
               tick: Callable[[float], None] = lambda _: None) -> Transcript:
    """Transcribe ``recording``; chunks already in ``checkpoint_stem.<channel>.partial``
    (from an interrupted run) are reused. ``plan(seconds)`` says how much audio will be
    recognised (each channel of a two-speaker recording counts), ``tick(seconds)`` reports
    each chunk done: together they drive a progress bar."""
    separate = one_speaker_per_channel(recording)
    streams = list(recording.channels) if separate else [recording.mono()]
    plan(recording.seconds * len(streams))
    words: list[Word] = []
    for channel, samples in enumerate(streams):
        key = {"checkpoint": CHECKPOINT_VERSION, "audio_sha256": recording.digest,
               "channel": channel if separate else "mixed", "model": recogniser.model.name,
               "language": recogniser.language, "beam": recogniser.beam_size}
        checkpoint = Checkpoint(checkpoint_path(checkpoint_stem, channel), key)
        words.extend(recogniser.channel_words(samples, channel, checkpoint, tick))
    if not words:
        raise RapportInputError("no speech was recognised in the recording",
                                where=source_name, fix="check the recording has speech "
                                "(and its language: --language)", code="no_speech")
    if separate:
        labels = [w.channel for w in words]
        method = "channels: one speaker per channel"
    else:
        labels = diarise(streams[0], words, speakers)
        method = (f"diarisation: MFCC and pitch statistics per phrase, k-means, {speakers} "
                  "speakers")
    turns = build_turns(words, labels)
    suggestion = suggest_roles(turns)
    roles = suggestion.roles([speaker_name(k) for k in sorted(set(labels))])
    metadata: dict[str, str | int | float | bool | None] = {
        "source_format": "recording", "source_file": source_name,
        "speech_model": recogniser.model.name, "who_spoke_when": method,
        "audio_seconds": round(recording.seconds, 2),
        "suggested_roles": ", ".join(f"{n}={r}" for n, r in roles.items()) or None,
        "role_suggestion_basis": suggestion.basis}
    return Transcript(session_id, turns, suggestion, metadata, words,
                      [speaker_name(k) for k in labels])


def checkpoint_path(stem: Path, channel: int) -> Path:
    return stem.with_name(f"{stem.name}.{channel}.partial")


def remove_checkpoints(stem: Path) -> None:
    for channel in (0, 1):
        checkpoint_path(stem, channel).unlink(missing_ok=True)
