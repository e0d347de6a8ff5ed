"""Memory on long recordings: whole-file copies are what made a 50-minute session's peak
grow with its length, so decoding and the per-frame energies are held to one copy, and the
results must be the same numbers as the simple whole-array computation."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from rapport.transcribe.audio import BLOCK_FRAMES, FRAME, RATE, Recording, decode, frame_db


def test_frame_energies_in_blocks_equal_the_whole_array_computation() -> None:
    rng = np.random.default_rng(3)
    samples = (rng.normal(0, 0.1, FRAME * (2 * BLOCK_FRAMES + 17) + 123)).astype(np.float32)
    n = len(samples) // FRAME
    whole = samples[:n * FRAME].reshape(n, FRAME).astype(np.float64)
    expected = 10 * np.log10(np.mean(whole ** 2, axis=1) + 1e-10)
    assert np.array_equal(frame_db(samples), expected)


def test_mono_of_one_channel_is_the_samples_themselves() -> None:
    channels = np.linspace(-1, 1, RATE, dtype=np.float32)[None, :]
    mono = Recording(channels, "x").mono()
    assert np.shares_memory(mono, channels)
    stereo = Recording(np.stack([channels[0], -channels[0]]), "x").mono()
    assert stereo.dtype == np.float32 and np.allclose(stereo, 0)


def test_decoding_holds_at_most_two_copies_of_the_samples(tmp_path: Path) -> None:
    pytest.importorskip("av")
    import soundfile as sf

    seconds = 120
    samples = (np.sin(np.arange(seconds * RATE) / 7) * 0.5).astype(np.float32)
    wav = tmp_path / "tone.wav"
    sf.write(str(wav), samples, RATE, subtype="PCM_16")
    tracemalloc.start()
    try:
        decoded = decode(wav)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = decoded.channels.nbytes
    assert decoded.channels.shape == (1, seconds * RATE)
    assert np.max(np.abs(decoded.channels[0] - samples)) < 1e-3
    # the blocks and the joined array, which tracemalloc counts whole at np.empty although
    # its pages are only touched as the blocks are moved in and freed (2.3 measured);
    # the list of frames, its concatenation, astype and clip measured 3.4
    assert peak < 2.8 * size, f"decoding peaked at {peak / size:.1f} copies of the samples"


def test_decoding_in_blocks_gives_the_samples_of_one_concatenation(tmp_path: Path) -> None:
    """The same numbers as the list-of-frames decoding it replaced, over several blocks."""
    av = pytest.importorskip("av")
    import soundfile as sf

    rng = np.random.default_rng(5)
    stereo = np.clip(rng.normal(0, 0.4, (150 * 22_050, 2)), -1, 1).astype(np.float32)
    wav = tmp_path / "noise.wav"
    sf.write(str(wav), stereo, 22_050, subtype="PCM_16")
    with av.open(str(wav)) as container:
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
        frames = [f.to_ndarray() for frame in container.decode(container.streams.audio[0])
                  for f in resampler.resample(frame)]
        frames.extend(f.to_ndarray() for f in resampler.resample(None))
    expected = np.clip(np.concatenate(frames, axis=1).astype(np.float32), -1.0, 1.0)
    decoded = decode(wav).channels
    assert decoded.shape == expected.shape and decoded.shape[1] > 2 * 60 * RATE
    assert np.array_equal(decoded, expected)
