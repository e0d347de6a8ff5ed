"""One way to run a CPU ONNX Runtime model, shared by the MiniLM embedder and the risk
encoder, tuned so that a long `rapport code` run stays small.

ONNX Runtime's CPU arena keeps the largest tensors a batch ever needed for the life of the
process, so one long turn late in a corpus grows every worker for good. Each run here
asks the arena to give back what it grew by (``memory.enable_memory_arena_shrinkage``);
but what it gives back goes to glibc, which raises its mmap threshold after each large
free (up to 32 MiB) and then keeps such blocks in a heap that fragments and rarely
shrinks. Fixing the threshold keeps every block of 256 KiB or more in its own mapping,
returned to the system when freed. Measured on ten copies of AnnoMI
(docs/performance.md): peak memory of `rapport code --workers 2` fell from 545 MB to
473 MB for 6% more CPU, the output byte-identical. Turning the arena off instead cost
40% more CPU.

A run's working memory grows with batch × length² (the attention scores): about 75 MB for
8 turns of 192 tokens, 5 MB for 8 of 32. When several processes share the cores (``rapport
code --workers N``), two such runs at the same moment add up, and over a long run they meet
(docs/performance.md: a million utterances peaked at 517 MB before, 462 MB with the lock).
:func:`one_large_run_at_a_time` gives the processes one lock, taken only around runs of at
least :data:`LARGE_RUN` (about a tenth of the risk encoder's batches on AnnoMI), so that at
most one of them is that large at once; the batches and so the outputs are unchanged.

Int8 products: on an x64 CPU without VNNI (AVX2, SSE4.1, AVX-512 without VNNI) ONNX
Runtime's u8×s8 kernels sum pairs of products into 16 bits, which saturate, so a risk flag
could depend on the CPU (4 of the 360 frozen risk items lost one on an AVX2-only EPYC).
There :func:`products_may_saturate` is true and the session uses the slower exact u8×u8
kernels (``session.x64quantprecision``). AVX-512 VNNI sums into 32 bits and needs no
such care: on such a CPU the option only costs time (the risk coder's CPU per AnnoMI
utterance 1.34 ms with it, 0.84 without, every output identical to the reference;
docs/risk.md, "The same flags on every CPU").
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

#: glibc's ``M_MMAP_THRESHOLD`` parameter of ``mallopt`` (malloc.h).
_M_MMAP_THRESHOLD = -3
#: Blocks at least this large get their own mapping.
MMAP_THRESHOLD_BYTES = 256 * 1024
#: Batch × length² from which a run takes the shared lock: 8 turns of 128 tokens, about
#: 34 MB of working memory for the MiniLM encoders (measured, docs/performance.md).
LARGE_RUN = 8 * 128 * 128
#: How long a large run waits for the lock before going on without it: the lock only
#: saves memory, and a process that died holding it must not stop the others.
LOCK_WAIT_S = 30.0

#: The ``/proc/cpuinfo`` flag of a CPU whose int8 dot products never saturate in ONNX
#: Runtime (AVX-512 VNNI: 32-bit sums; measured, docs/risk.md). AVX-VNNI (``avx_vnni``)
#: is probably the same but was not measured here, so it keeps the exact kernels.
EXACT_INT8_FLAG = "avx512_vnni"
CPUINFO = Path("/proc/cpuinfo")

_large_run_lock: Any = None


def products_may_saturate(cpuinfo: str | None) -> bool:
    """Whether int8 products might saturate on the CPU that ``cpuinfo`` (the text of
    ``/proc/cpuinfo``) describes: false only when every processor lists
    :data:`EXACT_INT8_FLAG`; true when it is unknown (no such file, other systems)."""
    flags = [line.partition(":")[2].split() for line in (cpuinfo or "").splitlines()
             if line.partition(":")[0].strip() == "flags"]
    return not flags or not all(EXACT_INT8_FLAG in f for f in flags)


@lru_cache(maxsize=1)
def this_cpu_may_saturate() -> bool:
    """:func:`products_may_saturate` for this machine (read once)."""
    try:
        return products_may_saturate(CPUINFO.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return True


def one_large_run_at_a_time(lock: Any) -> None:
    """Share ``lock`` (a ``multiprocessing`` lock, made before the processes fork) among the
    processes that run models here; ``None`` stops sharing."""
    global _large_run_lock  # noqa: PLW0603 - inherited by the forked workers
    _large_run_lock = lock


@contextmanager
def _turn_for(shape: tuple[int, ...]) -> Iterator[None]:
    """Hold the shared lock, if any, while a run of ``shape`` (batch, length) is large."""
    lock = _large_run_lock
    batch, length = shape[0], shape[-1]
    if lock is None or batch * length * length < LARGE_RUN:
        yield
        return
    held = lock.acquire(timeout=LOCK_WAIT_S)
    try:
        yield
    finally:
        if held:
            lock.release()


@lru_cache(maxsize=1)
def fix_mmap_threshold() -> bool:
    """Fix glibc's mmap threshold for this process; False where the C library has no
    ``mallopt`` (macOS, Windows) or refuses it. Idempotent."""
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


class CpuModel:
    """An ONNX model on the CPU with ``threads`` intra-op threads whose arena shrinks back
    after every run (see the module's note), its int8 products computed without saturation
    on every x64 CPU (exact kernels where the CPU's own could saturate)."""

    def __init__(self, model: Path, *, threads: int) -> None:
        import onnxruntime as ort

        fix_mmap_threshold()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        if this_cpu_may_saturate():
            # a CPU without VNNI multiplies the int8 weights in pairs summed into 16 bits,
            # which saturate; exact u8×u8 kernels instead, so a flag does not depend on the
            # CPU: on an AVX2-only AMD EPYC, 4 of the 360 frozen risk evaluation items lost a
            # flag without it, none with it; 26% more encoder CPU there
            # (tests/risk/test_risk_unchanged)
            options.add_session_config_entry("session.x64quantprecision", "1")
        self._session: Any = ort.InferenceSession(str(model), options,
                                                  providers=["CPUExecutionProvider"])
        self._run_options: Any = ort.RunOptions()
        self._run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

    def first_output(self, feeds: Mapping[str, np.ndarray]) -> np.ndarray:
        """The model's first output for ``feeds`` (``input_ids`` among them, batch ×
        length)."""
        with _turn_for(feeds["input_ids"].shape):
            return np.asarray(self._session.run(None, dict(feeds), self._run_options)[0])


def padded(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """``(input_ids, attention_mask)`` of token-id rows, zero-padded to the longest."""
    ids = np.zeros((len(rows), max(len(row) for row in rows)), dtype=np.int64)
    mask = np.zeros_like(ids)
    for k, row in enumerate(rows):
        ids[k, :len(row)] = row
        mask[k, :len(row)] = 1
    return ids, mask
