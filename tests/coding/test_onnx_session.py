"""The shared CPU ONNX runner: same numbers as a plain session, and the glibc setting it
relies on for a small `rapport code` really takes effect on Linux."""

from __future__ import annotations

import platform

import numpy as np
import onnxruntime as ort
import pytest

from rapport.coding.onnx_session import CpuModel, fix_mmap_threshold
from rapport.risk.encoder import ENCODER_PATH


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_mmap_threshold_is_fixed_on_glibc() -> None:
    assert fix_mmap_threshold() is True
    assert fix_mmap_threshold() is True  # idempotent


def _feeds(lengths: list[int]) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    ids = np.zeros((len(lengths), max(lengths)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for k, n in enumerate(lengths):
        ids[k, :n] = rng.integers(1000, 20000, size=n)
        ids[k, 0], ids[k, n - 1] = 101, 102
        mask[k, :n] = 1
    return {"input_ids": ids, "attention_mask": mask}


def test_shrinking_runs_give_the_plain_sessions_numbers() -> None:
    plain = ort.InferenceSession(str(ENCODER_PATH), providers=["CPUExecutionProvider"])
    model = CpuModel(ENCODER_PATH, threads=1)
    # a long batch between short ones: the arena grows, then shrinks back
    for lengths in ([5, 9], [300, 40, 12], [7]):
        feeds = _feeds(lengths)
        expected = plain.run(None, feeds)[0]
        np.testing.assert_allclose(model.first_output(feeds), expected, rtol=1e-6, atol=1e-6)
