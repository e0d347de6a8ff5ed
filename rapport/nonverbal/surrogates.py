"""Is the synchrony more than chance? Surrogate (pseudo-synchrony) tests for one dyad.

rMEA itself gives no p-value; it compares real with shuffled dyads by Cohen's d. Here each
session gets its own test: both people's series are cut into segments of ``seg_s`` seconds
and the segments of each are shuffled independently (Ramseyer & Tschacher's within-dyad
approach), or the therapist's series is shifted circularly by at least ``seg_s``. The
index is recomputed on every surrogate, then

* empirical ``p = (1 + #(surrogate >= real)) / (1 + n)`` and
* effect size ``ES = (real - mean(surrogates)) / sd(surrogates)``.

This tests "no synchrony beyond the chance alignment of each person's own activity", so the
segment must be well above the lag and the movement's own autocorrelation time.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from rapport.errors import RapportInputError
from rapport.nonverbal.wcc import grand_aver, window_params

Method = Literal["segment_shuffle", "circular_shift"]


class SurrogateTest(BaseModel):
    """Result of a surrogate test of the synchrony index (``grand_aver``)."""

    method: Method
    n: int
    segment_s: float
    seed: int
    real: float
    surrogate_mean: float
    surrogate_sd: float
    effect_size: float | None = Field(description="(real - mean) / sd of the surrogates.")
    p_value: float = Field(description="(1 + #surrogates >= real) / (1 + n); one-sided.")


def segment_shuffle(x: np.ndarray, seg: int, rng: np.random.Generator) -> np.ndarray:
    """Permute whole segments of ``x``; the tail past ``nseg*seg`` is dropped explicitly.

    (rMEA's ``shuffle_segments`` leaves that tail at index 0 and returns a shorter series
    by accident; we trim on purpose, and trim the real series the same way.)
    """
    nseg = len(x) // seg
    blocks = x[: nseg * seg].reshape(nseg, seg)
    return blocks[rng.permutation(nseg)].ravel()


def surrogate_test(s1: np.ndarray, s2: np.ndarray, *, sr: float, lag_s: float, win_s: float,
                   inc_s: float, r2z: bool = True, absval: bool = True, n: int = 200,
                   segment_s: float = 30.0, method: Method = "segment_shuffle",
                   seed: int = 0) -> SurrogateTest:
    """Compare the real synchrony index with ``n`` surrogates (deterministic for a seed)."""
    s1, s2 = np.asarray(s1, dtype=float), np.asarray(s2, dtype=float)
    seg = round(segment_s * sr)
    nseg = len(s1) // max(seg, 1)
    if seg <= round(lag_s * sr) or nseg < 3:
        raise RapportInputError(
            f"surrogate segments of {segment_s} s do not fit: need at least 3 segments, each "
            f"longer than the lag ({lag_s} s)", fix="use a shorter --segment or a longer "
            "recording")
    trimmed = nseg * seg
    x, y = s1[:trimmed], s2[:trimmed]
    win, lag, inc, n_win = window_params(trimmed, sr, lag_s, win_s, inc_s)
    real = grand_aver(x, y, win, lag, inc, n_win, r2z=r2z, absval=absval)
    rng = np.random.default_rng(seed)
    values = np.empty(n)
    for i in range(n):
        if method == "segment_shuffle":
            xs, ys = segment_shuffle(x, seg, rng), segment_shuffle(y, seg, rng)
        else:
            xs, ys = x, np.roll(y, int(rng.integers(seg, trimmed - seg + 1)))
        values[i] = grand_aver(xs, ys, win, lag, inc, n_win, r2z=r2z, absval=absval)
    values = values[~np.isnan(values)]
    mean = float(values.mean()) if len(values) else math.nan
    sd = float(values.std(ddof=1)) if len(values) > 1 else math.nan
    return SurrogateTest(
        method=method, n=len(values), segment_s=segment_s, seed=seed, real=real,
        surrogate_mean=mean, surrogate_sd=sd,
        effect_size=None if not sd or math.isnan(sd) or math.isnan(real)
        else (real - mean) / sd,
        p_value=(1 + int(np.sum(values >= real))) / (1 + len(values)))
