"""Who speaks when, from a two-channel recording (one microphone per person).

Rapport does not transcribe speech. A mono recording needs a timed transcript to tell the
speakers apart; a two-channel recording (each person on their own microphone) can be split
by energy: a 20 ms frame belongs to a speaker when their channel is above its own noise
floor by ``floor_db`` and at least ``lead_db`` louder than the other channel (which rules
out the other person's voice leaking into this microphone). Runs separated by less than
``bridge_s`` are joined; runs shorter than ``min_s`` are dropped.
"""

from __future__ import annotations

import numpy as np

from rapport.domain import Role, Session, Speaker, Turn
from rapport.errors import RapportInputError
from rapport.nonverbal.prosody import Segment

FRAME_S = 0.02


def _frame_db(x: np.ndarray, sr: int) -> np.ndarray:
    n = int(FRAME_S * sr)
    frames = x[: len(x) // n * n].reshape(-1, n)
    return np.asarray(10 * np.log10(np.mean(frames**2, axis=1) + 1e-12))


def _runs(active: np.ndarray, bridge: int, min_len: int) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.r_[0, active.astype(int), 0]))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    merged: list[tuple[int, int]] = []
    for a, b in runs:
        if merged and a - merged[-1][1] < bridge:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return [(a, b) for a, b in merged if b - a >= min_len]


def segments_from_channels(audio: np.ndarray, sr: int, *,
                           roles: tuple[Role, Role] = (Role.THERAPIST, Role.CLIENT),
                           floor_db: float = 12.0, lead_db: float = 6.0,
                           bridge_s: float = 0.5, min_s: float = 0.25) -> list[Segment]:
    """Speech segments per channel, in time order; channel k belongs to ``roles[k]``."""
    if audio.ndim != 2 or audio.shape[1] != 2:
        raise RapportInputError(
            "a one-channel recording cannot tell the speakers apart on its own",
            fix="Rapport does not transcribe speech: give a timed transcript with the audio "
            "(e.g. whisper session.wav --output_format json, or WebVTT/SRT), or a two-channel "
            "recording with one microphone per person", code="needs_transcript")
    db = np.stack([_frame_db(audio[:, c], sr) for c in range(2)])
    segments = []
    for c in range(2):
        noise = float(np.quantile(db[c], 0.1))
        active = (db[c] > noise + floor_db) & (db[c] > db[1 - c] + lead_db)
        for a, b in _runs(active, int(bridge_s / FRAME_S), int(min_s / FRAME_S)):
            segments.append(Segment(roles[c].value.capitalize(), roles[c], a * FRAME_S,
                                    b * FRAME_S))
    segments.sort(key=lambda s: s.start)
    return [Segment(s.speaker, s.role, s.start, s.end, i) for i, s in enumerate(segments)]


def session_from_segments(session_id: str, segments: list[Segment]) -> Session:
    """A text-less session (turn times only) so timing statistics can run on it."""
    speakers = {s.speaker: s.role for s in segments}
    return Session(id=session_id,
                   speakers=tuple(Speaker(name=n, role=r) for n, r in speakers.items()),
                   turns=tuple(Turn(index=i, speaker=s.speaker, role=s.role, text="",
                                    start=s.start, end=s.end)
                               for i, s in enumerate(segments)))
