"""Recordings in, 16 kHz float samples out, and whether each channel is one speaker.

Decoding uses PyAV (FFmpeg's libraries inside the ``av`` wheel that faster-whisper
depends on), so wav, mp3, m4a, mp4 and webm all read without a system FFmpeg and
without the network.

Channel rule: a two-channel recording whose channels take turns (in at least
:data:`SEPARATE_SHARE` of the frames where anyone speaks, one channel is
:data:`DOMINANCE_DB` louder than the other, and each channel leads in at least
:data:`MIN_LEAD_SHARE` of them) is a recording with one speaker per channel, as a
two-microphone or a telephone/online-call recorder makes it; each channel is then
transcribed as its own speaker. Anything else (mono, or stereo that carries the same
room on both sides) is mixed to one channel and diarised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rapport.errors import RapportInputError

RATE = 16_000
FRAME = 800  # 50 ms at 16 kHz
BLOCK_FRAMES = 12_000  # frame energies are computed 10 minutes at a time
BLOCK_SAMPLES = 60 * RATE  # decoded audio is gathered a minute at a time
DOMINANCE_DB = 12.0
SEPARATE_SHARE = 0.7
MIN_LEAD_SHARE = 0.05
MEDIA_SUFFIXES = frozenset((".wav", ".mp3", ".m4a", ".mp4", ".webm", ".flac", ".ogg",
                            ".oga", ".opus", ".aac", ".mov", ".mkv", ".wma", ".amr"))
TRANSCRIPT_SUFFIXES = frozenset((".txt", ".vtt", ".srt", ".json", ".jsonl", ".csv", ".tsv",
                                 ".parquet"))


@dataclass(frozen=True)
class Recording:
    """Decoded audio: one row per channel of 16 kHz samples, and the file's sha256 prefix."""

    channels: np.ndarray  # (n_channels, n_samples) float32 in [-1, 1]
    digest: str

    @property
    def seconds(self) -> float:
        return float(self.channels.shape[1]) / RATE

    def mono(self) -> np.ndarray:
        """One channel: the samples themselves (no copy) when there is one, else the mean."""
        if self.channels.shape[0] == 1:
            return np.asarray(self.channels[0])
        return np.asarray(self.channels.mean(axis=0), dtype=np.float32)


def looks_like_media(path: Path) -> bool:
    """True for a file named like audio or video, or shaped like it without a transcript's
    ending (a ``.txt`` that holds audio is refused by the transcript reader, which says
    what it is)."""
    suffix = path.suffix.casefold()
    if suffix in MEDIA_SUFFIXES:
        return True
    if suffix in TRANSCRIPT_SUFFIXES or not path.is_file():
        return False
    from rapport.ingest.sniff import sniff_binary

    with path.open("rb") as fh:
        found = sniff_binary(fh.read(64))
    return found is not None and any(word in found[0] for word in ("audio", "video"))


def decode(path: Path) -> Recording:
    """Every channel of ``path`` at 16 kHz, or one clear error."""
    import hashlib

    import av

    if not path.is_file():
        raise RapportInputError("recording not found", where=str(path),
                                fix="check the path", code="not_found")
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise RapportInputError("the file has no audio track", where=str(path),
                                        fix="give a recording with sound", code="no_audio")
            stream = container.streams.audio[0]
            layout = "stereo" if (stream.channels or 1) >= 2 else "mono"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=RATE)
            blocks = _Blocks()
            for frame in container.decode(stream):
                blocks.extend(f.to_ndarray() for f in resampler.resample(frame))
            blocks.extend(f.to_ndarray() for f in resampler.resample(None))
    except av.error.FFmpegError:
        raise RapportInputError("cannot read this file as audio or video", where=str(path),
                                fix="check the file plays; convert it to WAV or M4A",
                                code="unreadable_media") from None
    channels = blocks.join()
    if channels is None:
        raise RapportInputError("the recording is empty", where=str(path),
                                fix="give the session recording", code="unreadable_media")
    if channels.shape[1] < RATE // 2:
        raise RapportInputError("the recording is shorter than half a second",
                                where=str(path), fix="give the session recording",
                                code="unreadable_media")
    return Recording(channels, digest.hexdigest())


class _Blocks:
    """Decoded frames gathered into blocks of about a minute, then joined into one array.

    Why not a list of frames and one ``np.concatenate``: the frames are a few KB each, so
    a 50-minute session left ~500 MB of freed small allocations in the C heap that was
    never given back (RSS 692 MB after decoding 203 MB of samples), and the list and its
    concatenation were two whole copies at once. Blocks of a minute are large allocations
    the C library returns when freed; joining moves them one at a time into the result,
    so the peak is one copy of the samples and a block.
    """

    def __init__(self) -> None:
        self.blocks: list[np.ndarray] = []
        self.pending: list[np.ndarray] = []
        self.pending_samples = 0

    def extend(self, frames: Iterable[np.ndarray]) -> None:
        for frame in frames:
            self.pending.append(frame)
            self.pending_samples += frame.shape[1]
            if self.pending_samples >= BLOCK_SAMPLES:
                self._close_block()

    def _close_block(self) -> None:
        if self.pending:
            self.blocks.append(np.asarray(np.concatenate(self.pending, axis=1),
                                          dtype=np.float32))
            self.pending, self.pending_samples = [], 0

    def join(self) -> np.ndarray | None:
        """Every sample, clipped to [-1, 1] (float32, ``(channels, samples)``); None if none."""
        self._close_block()
        if not self.blocks:
            return None
        total = sum(b.shape[1] for b in self.blocks)
        channels = np.empty((self.blocks[0].shape[0], total), dtype=np.float32)
        at = 0
        while self.blocks:
            block = self.blocks.pop(0)
            channels[:, at:at + block.shape[1]] = block
            at += block.shape[1]
        np.clip(channels, -1.0, 1.0, out=channels)
        return channels


def frame_db(samples: np.ndarray) -> np.ndarray:
    """Energy of each 50 ms frame, in dB (floor -100)."""
    n = len(samples) // FRAME
    frames = samples[:n * FRAME].reshape(n, FRAME)
    energy = np.empty(n)
    # in blocks of frames: a float64 copy of a whole 50-minute channel would be 400 MB
    for first in range(0, n, BLOCK_FRAMES):
        block = frames[first:first + BLOCK_FRAMES].astype(np.float64)
        energy[first:first + len(block)] = np.mean(block ** 2, axis=1)
    return np.asarray(10 * np.log10(energy + 1e-10))


def one_speaker_per_channel(recording: Recording) -> bool:
    """The channel rule of the module docstring."""
    if recording.channels.shape[0] != 2:
        return False
    left, right = (frame_db(c) for c in recording.channels)
    loud = np.maximum(left, right)
    active = loud > max(np.percentile(loud, 95) - 30.0, -60.0)
    if active.sum() < 10:
        return False
    difference = (left - right)[active]
    dominated = np.abs(difference) >= DOMINANCE_DB
    leads = (np.mean(difference >= DOMINANCE_DB), np.mean(difference <= -DOMINANCE_DB))
    return bool(dominated.mean() >= SEPARATE_SHARE and min(leads) >= MIN_LEAD_SHARE)
