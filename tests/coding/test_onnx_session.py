"""The shared CPU ONNX runner: same numbers as a plain session with exact int8 kernels
(whether or not this CPU needs them), the glibc setting it relies on for a small `rapport
code` really takes effect on Linux, only large runs wait for the lock the processes of
`rapport code --workers N` share, and the exact kernels are kept on every CPU but one
whose flags say its int8 products cannot saturate."""

from __future__ import annotations

import platform
from collections.abc import Iterator

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.onnx_session import (
    EXACT_INT8_FLAG,
    LARGE_RUN,
    LOCK_WAIT_S,
    CpuModel,
    fix_mmap_threshold,
    one_large_run_at_a_time,
    products_may_saturate,
)
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


def _plain() -> ort.InferenceSession:
    """A plain session with the same int8 precision (no arena shrinking, no lock)."""
    options = ort.SessionOptions()
    options.add_session_config_entry("session.x64quantprecision", "1")
    return ort.InferenceSession(str(ENCODER_PATH), options, providers=["CPUExecutionProvider"])


def test_shrinking_runs_give_the_plain_sessions_numbers() -> None:
    plain = _plain()
    model = CpuModel(ENCODER_PATH, threads=1)
    # a long batch between short ones: the arena grows, then shrinks back
    for lengths in ([5, 9], [300, 40, 12], [7]):
        feeds = _feeds(lengths)
        expected = plain.run(None, feeds)[0]
        np.testing.assert_allclose(model.first_output(feeds), expected, rtol=1e-6, atol=1e-6)


class _CountingLock:
    """A lock that says when it was taken; ``free`` False plays one another process holds."""

    def __init__(self, *, free: bool = True) -> None:
        self.free = free
        self.acquired = self.released = 0

    def acquire(self, timeout: float) -> bool:
        assert timeout == LOCK_WAIT_S
        self.acquired += 1
        return self.free

    def release(self) -> None:
        self.released += 1


@pytest.fixture
def shared_lock() -> Iterator[_CountingLock]:
    lock = _CountingLock()
    one_large_run_at_a_time(lock)
    yield lock
    one_large_run_at_a_time(None)


def test_only_large_runs_take_the_shared_lock(shared_lock: _CountingLock) -> None:
    model = CpuModel(ENCODER_PATH, threads=1)
    small = _feeds([32] * 8)                 # 8 x 32^2, far below LARGE_RUN
    model.first_output(small)
    assert shared_lock.acquired == 0
    large = _feeds([128] * 8)                # exactly LARGE_RUN
    assert LARGE_RUN <= 8 * 128 * 128
    expected = _plain().run(None, large)[0]
    np.testing.assert_allclose(model.first_output(large), expected, rtol=1e-6, atol=1e-6)
    assert (shared_lock.acquired, shared_lock.released) == (1, 1)


def test_a_large_run_goes_on_when_the_lock_stays_taken(shared_lock: _CountingLock) -> None:
    # a process that died holding the lock must not stop the others: after the wait the
    # run goes on without it, and releases nothing it does not hold
    shared_lock.free = False
    model = CpuModel(ENCODER_PATH, threads=1)
    assert model.first_output(_feeds([160] * 8)).shape == (8, 6)
    assert (shared_lock.acquired, shared_lock.released) == (1, 0)


def test_the_lock_is_released_when_a_large_run_fails(shared_lock: _CountingLock) -> None:
    model = CpuModel(ENCODER_PATH, threads=1)
    feeds = _feeds([192] * 8)
    feeds["attention_mask"] = feeds["attention_mask"][:, :5]  # shapes disagree: ORT refuses
    with pytest.raises(Exception, match=r"(?i)dimension|shape|invalid"):
        model.first_output(feeds)
    assert (shared_lock.acquired, shared_lock.released) == (1, 1)


AVX2 = "fpu vme sse4_1 avx avx2 fma"


def _cpuinfo(*flag_lines: str) -> str:
    return "".join(f"processor\t: {k}\nmodel name\t: AMD EPYC\nflags\t\t: {flags}\n\n"
                   for k, flags in enumerate(flag_lines))


@pytest.mark.parametrize(("cpuinfo", "saturate"), [
    (_cpuinfo(AVX2, AVX2), True),  # the AVX2-only EPYC that lost 4 risk flags
    (_cpuinfo(f"{AVX2} avx512f avx512bw", AVX2 + " avx512f avx512bw"), True),  # no VNNI
    (_cpuinfo(f"{AVX2} avx512f avx_vnni"), True),  # AVX-VNNI: not measured, kept exact
    (_cpuinfo(f"{AVX2} avx512f avx512_vnni", f"{AVX2} avx512f avx512_vnni"), False),
    (_cpuinfo(f"{AVX2} avx512_vnni", AVX2), True),  # one processor without it
    ("processor\t: 0\nFeatures\t: fp asimd asimddp\n", True),  # ARM: no x64 flags line
    ("", True), (None, True),  # unknown CPU
])
def test_exact_int8_kernels_unless_every_processor_has_avx512_vnni(
        cpuinfo: str | None, saturate: bool) -> None:
    assert products_may_saturate(cpuinfo) is saturate


@given(st.lists(st.lists(st.sampled_from(["avx2", "avx512f", EXACT_INT8_FLAG, "avx_vnni",
                                          "sse4_1"]), max_size=5), max_size=4))
def test_exact_kernels_are_dropped_only_when_every_processor_lists_the_flag(
        processors: list[list[str]]) -> None:
    text = _cpuinfo(*(" ".join(flags) for flags in processors))
    expected = not processors or any(EXACT_INT8_FLAG not in flags for flags in processors)
    assert products_may_saturate(text) is expected
