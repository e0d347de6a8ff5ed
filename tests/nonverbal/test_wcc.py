"""The fast WCC against a plain loop written from the algorithm description."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.nonverbal.wcc import Z_CLIP, transform, wcc, wcc_matrix, window_params


def reference_wcc(s1: list[float], s2: list[float], win: int, lag: int, inc: int) -> list:
    """rMEA's MEAccf semantics, cell by cell, in plain Python (docs/nonverbal.md §1.3)."""
    n = len(s1)
    n_win = math.ceil((n - win - lag + 1) / inc)
    rows = []
    for w in range(n_win):
        xw = s1[w * inc: w * inc + win + lag]
        yw = s2[w * inc: w * inc + win + lag]
        too_many_missing = (sum(math.isnan(v) for v in xw) > len(xw) / 2
                            or sum(math.isnan(v) for v in yw) > len(yw) / 2)
        row = []
        for shift in range(-lag, lag + 1):
            if too_many_missing:
                row.append(math.nan)
                continue
            if shift >= 0:
                x, y = xw[:win], yw[shift:shift + win]
            else:
                x, y = xw[-shift:-shift + win], yw[:win]
            pairs = [(a, b) for a, b in zip(x, y, strict=True)
                     if not (math.isnan(a) or math.isnan(b))]
            row.append(_pearson(pairs))
        rows.append(row)
    return rows


def _pearson(pairs: list[tuple[float, float]]) -> float:
    if len(pairs) < 3 or sum(a != b for a, b in pairs) < 2:
        return math.nan
    mx = sum(a for a, _ in pairs) / len(pairs)
    my = sum(b for _, b in pairs) / len(pairs)
    sxy = sum((a - mx) * (b - my) for a, b in pairs)
    sxx = sum((a - mx) ** 2 for a, _ in pairs)
    syy = sum((b - my) ** 2 for _, b in pairs)
    if sxx <= 1e-20 * sum(a * a for a, _ in pairs) or syy <= 1e-20 * sum(
            b * b for _, b in pairs):
        return math.nan
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def _series(seed: int, n: int, nan_share: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.convolve(rng.normal(size=n + 9), np.ones(10) / 10, mode="valid")
    y = np.roll(x, 2) + 0.5 * rng.normal(size=n)
    y[50:80] = 3.0  # a stretch where the therapist sits still
    for arr in (x, y):
        arr[rng.random(n) < nan_share] = np.nan
    return x, y


@pytest.mark.parametrize("nan_share", [0.0, 0.05, 0.4])
def test_fast_wcc_matches_the_reference_loop(nan_share: float) -> None:
    x, y = _series(1, 300, nan_share)
    fast = wcc_matrix(x, y, win=40, lag=6, inc=13, n_win=window_params(300, 1, 6, 40, 13)[3])
    slow = np.array(reference_wcc(x.tolist(), y.tolist(), 40, 6, 13))
    assert fast.shape == slow.shape
    np.testing.assert_allclose(fast, slow, atol=1e-10, equal_nan=True)
    if nan_share == 0.0:
        assert np.isnan(fast).sum() < fast.size // 2  # the still stretch only


@given(n=st.integers(20, 400), win=st.integers(3, 60), lag=st.integers(0, 15),
       inc=st.integers(1, 30))
def test_window_count_follows_rmea(n: int, win: int, lag: int, inc: int) -> None:
    expected = math.ceil((n - win - lag + 1) / inc)
    if expected <= 0:
        with pytest.raises(RapportInputError):
            window_params(n, 1, lag, win, inc)
        return
    got = window_params(n, 1, lag, win, inc)
    assert got == (win, lag, inc, expected)
    # the last window (win + lag samples) ends inside the series
    assert (expected - 1) * inc + win + lag <= n


@given(seed=st.integers(0, 10_000), lag=st.integers(0, 4), win=st.integers(5, 25),
       inc=st.integers(1, 10))
def test_parity_holds_for_any_parameters(seed: int, lag: int, win: int, inc: int) -> None:
    x, y = _series(seed, 80)
    n_win = math.ceil((80 - win - lag + 1) / inc)
    fast = wcc_matrix(x, y, win, lag, inc, n_win)
    slow = np.array(reference_wcc(x.tolist(), y.tolist(), win, lag, inc))
    np.testing.assert_allclose(fast, slow, atol=1e-9, equal_nan=True)


def test_positive_lag_means_s2_follows_and_swapping_flips_it() -> None:
    rng = np.random.default_rng(3)
    lead = np.convolve(rng.normal(size=1200), np.ones(5) / 5, mode="same")
    follow = np.roll(lead, 4) + 0.3 * rng.normal(size=1200)
    res = wcc(lead, follow, sr=2, lag_s=5, win_s=60, inc_s=30)
    assert res.summary.best_lag_s == 2.0
    assert res.summary.s1_lead > res.summary.s2_lead
    swapped = wcc(follow, lead, sr=2, lag_s=5, win_s=60, inc_s=30)
    assert swapped.summary.best_lag_s == -2.0
    assert swapped.summary.s2_lead > swapped.summary.s1_lead


def test_identical_stretches_are_undefined_like_rmea() -> None:
    x = np.random.default_rng(0).normal(size=100)
    m = wcc_matrix(x, x.copy(), win=30, lag=2, inc=10, n_win=7)
    assert np.isnan(m[:, 2]).all()  # lag 0 compares a series with itself
    assert not np.isnan(m[:, 0]).any()


def test_fisher_z_is_clipped_and_abs_is_optional() -> None:
    r = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    z = transform(r, r2z=True, absval=False)
    assert z[0] == -Z_CLIP and z[-1] == Z_CLIP
    assert z[1] == pytest.approx(math.atanh(-0.5))
    assert (transform(r, r2z=True, absval=True) >= 0).all()
    np.testing.assert_array_equal(transform(r, r2z=False, absval=False), r)


def test_too_short_a_series_is_an_input_error() -> None:
    with pytest.raises(RapportInputError, match="shorter than one window"):
        wcc(np.zeros(50), np.zeros(50), sr=1, lag_s=5, win_s=60, inc_s=10)
    with pytest.raises(RapportInputError, match="differ in length"):
        wcc(np.zeros(50), np.zeros(60), sr=1, lag_s=1, win_s=10, inc_s=5)


def test_running_sums_agree_with_the_reference_where_they_are_trusted() -> None:
    from rapport.nonverbal.wcc import _running_sums_r

    x, y = _series(7, 500)
    y[100:200] = 3.0  # the therapist sits still for 100 samples
    x, y = x - x.mean(), y - y.mean()
    n_win = window_params(500, 1, 8, 50, 20)[3]
    fast, unsafe = _running_sums_r(x, y, 50, 8, 20, n_win)
    slow = np.array(reference_wcc(x.tolist(), y.tolist(), 50, 8, 20))
    assert unsafe.mean() < 0.2  # the fast path does most of the work
    np.testing.assert_allclose(fast[~unsafe], slow[~unsafe], atol=1e-9)
    assert unsafe[5:8].any(axis=1).all()  # windows starting at 100, 120, 140 are still
