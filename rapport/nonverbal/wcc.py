"""Windowed lagged cross-correlation (WCC), compatible with rMEA's ``MEAccf``.

Written fresh from the algorithm description in docs/nonverbal.md (rMEA is GPL; nothing is
copied). With ``win``, ``lag`` and ``inc`` in samples, there are
``n_win = ceil((N - win - lag + 1) / inc)`` windows; window ``w`` spans
``w*inc ... w*inc + win + lag - 1`` (win + lag samples, so it never runs past the end).
At lag ``L >= 0`` it correlates ``s1[0:win]`` with ``s2[L:L+win]`` of the window, at
``L < 0`` ``s1[|L|:|L|+win]`` with ``s2[0:win]``. So a high value at a **positive lag means
s2 follows s1** (s1 = client leads, s2 = therapist follows).

>>> import numpy as np
>>> x, noise = np.random.default_rng(0).normal(size=(2, 400))
>>> res = wcc(x, np.roll(x, 3) + noise, sr=1, lag_s=5, win_s=60, inc_s=30)
>>> res.summary.best_lag_s
3.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from pydantic import BaseModel

from rapport.errors import RapportInputError

#: Fisher z is clipped here so that r = +-1 stays finite (as rMEA does).
Z_CLIP = 10.0
#: Relative variance below which a stretch counts as constant (rounding noise only).
FLAT = 1e-20


class WccSummary(BaseModel):
    """Session-level summaries; names follow rMEA's ``ccfRes``."""

    grand_aver: float | None
    all_lags: float | None
    s1_lead: float | None
    s2_lead: float | None
    lag_zero: float | None
    s1_lead_0: float | None
    s2_lead_0: float | None
    best_lag_s: float | None


@dataclass
class WccResult:
    """The window x lag matrix plus per-window and session summaries."""

    matrix: np.ndarray          # n_win x (2*lag+1); NaN where undefined
    lags_s: np.ndarray
    win_start_s: np.ndarray
    win_end_s: np.ndarray
    summary: WccSummary
    r2z: bool
    absval: bool

    @property
    def per_window(self) -> np.ndarray:
        """Mean over lags of each window (rMEA ``all_lags``)."""
        return _nanmean(self.matrix, axis=1)

    def window_best_lag_s(self) -> np.ndarray:
        out = np.full(len(self.matrix), np.nan)
        for i, row in enumerate(self.matrix):
            if np.any(~np.isnan(row)):
                out[i] = self.lags_s[int(np.nanargmax(row))]
        return out

    def lead(self, positive: bool) -> np.ndarray:
        """Per-window mean over positive (s1 leads) or negative (s2 leads) lags."""
        mid = len(self.lags_s) // 2
        part = self.matrix[:, mid + 1:] if positive else self.matrix[:, :mid]
        return _nanmean(part, axis=1)


def _nanmean(a: np.ndarray, axis: int | None = None) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        valid = ~np.isnan(a)
        total = np.where(valid, a, 0.0).sum(axis=axis)
        count = valid.sum(axis=axis)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _opt(v: float) -> float | None:
    return None if v is None or math.isnan(v) else float(v)


def window_params(n: int, sr: float, lag_s: float, win_s: float,
                  inc_s: float) -> tuple[int, int, int, int]:
    """Samples per window, lag and increment, and the number of windows (rMEA's rule)."""
    win, lag, inc = (round(v * sr) for v in (win_s, lag_s, inc_s))
    if win < 3 or inc < 1 or lag < 0:
        raise RapportInputError(f"window {win_s} s, lag {lag_s} s, increment {inc_s} s give "
                                "too few samples", fix="use a window of several seconds and "
                                "an increment of at least one sample")
    n_win = math.ceil((n - win - lag + 1) / inc)
    if n_win <= 0:
        raise RapportInputError(
            f"the recording ({n / sr:.0f} s) is shorter than one window plus the lag "
            f"({win_s + lag_s:.0f} s)", fix="use a shorter --window or a longer recording")
    return win, lag, inc, n_win


def _rowwise_r(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Pearson r of every row with ``x`` (two-pass, exact; NaN where a side is constant)."""
    xc = x - x.mean()
    rc = rows - rows.mean(axis=1, keepdims=True)
    num = rc @ xc
    var_r, var_x = (rc * rc).sum(axis=1), float(xc @ xc)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = num / np.sqrt(var_r * var_x)
    # a constant stretch has no correlation; its "variance" is only rounding noise
    r[var_r <= FLAT * (rows * rows).sum(axis=1)] = np.nan
    if var_x <= FLAT * float(x @ x):
        r[:] = np.nan
    # rMEA marks a cell undefined when the two stretches differ in fewer than 2 samples.
    r[(rows != x).sum(axis=1) < 2] = np.nan
    return np.asarray(np.clip(r, -1.0, 1.0))


def _flat(v: np.ndarray) -> bool:
    c = v - v.mean()
    return bool(c @ c <= FLAT * (v @ v))


def _cell_r(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson r on complete pairs (the slow path for windows with missing samples)."""
    ok = ~(np.isnan(x) | np.isnan(y))
    xs, ys = x[ok], y[ok]
    if len(xs) < 3 or np.sum(xs != ys) < 2 or _flat(xs) or _flat(ys):
        return math.nan
    return float(np.clip(np.corrcoef(xs, ys)[0, 1], -1.0, 1.0))


def _window_exact(xw: np.ndarray, yw: np.ndarray, win: int, lag: int) -> np.ndarray:
    """One window's row, computed directly (two-pass; the reference for the fast path)."""
    row = np.full(2 * lag + 1, np.nan)
    if np.isnan(xw).any() or np.isnan(yw).any():
        for j, shift in enumerate(range(-lag, lag + 1)):
            if shift >= 0:
                row[j] = _cell_r(xw[:win], yw[shift:shift + win])
            else:
                row[j] = _cell_r(xw[-shift:-shift + win], yw[:win])
        return row
    row[lag:] = _rowwise_r(sliding_window_view(yw, win)[: lag + 1], xw[:win])  # s2 later
    if lag:
        row[:lag] = _rowwise_r(sliding_window_view(xw, win)[1: lag + 1], yw[:win])[::-1]
    return row


def _window_sums(v: np.ndarray, win: int, inc: int, n_win: int) -> np.ndarray:
    """Sums of ``v[..., w*inc : w*inc + win]`` for every window, along the last axis.

    Sums blocks of ``gcd(win, inc)`` samples first (a reshape, no Python loop), then adds
    ``win/gcd`` consecutive blocks: cheaper and more accurate than one long running sum.
    """
    g = math.gcd(win, inc)
    nb = (n_win - 1) * inc // g + win // g
    blocks = v[..., : nb * g].reshape(*v.shape[:-1], nb, g).sum(axis=-1)
    run = np.concatenate((np.zeros((*v.shape[:-1], 1)), np.cumsum(blocks, axis=-1)), axis=-1)
    first = np.arange(n_win) * (inc // g)
    return np.asarray(run[..., first + win // g] - run[..., first])


def _running_sums_r(x: np.ndarray, y: np.ndarray, win: int, lag: int, inc: int,
                    n_win: int) -> tuple[np.ndarray, np.ndarray]:
    """Pearson r of every window and lag from window sums of products, all lags at once
    (what makes 200 surrogates cheap). Also returns the cells whose sums are
    ill-conditioned (a nearly still stretch, or |r| ~ 1), to be recomputed exactly."""
    n = len(x)
    m = n - lag  # every window (win samples, shifted by up to lag) fits in [0, n)
    sx, sxx = _window_sums(x[:m], win, inc, n_win), _window_sums(x[:m] ** 2, win, inc, n_win)
    # lagged copies: shifted[k] = v[k : k + m]
    ys = sliding_window_view(y, m)[: lag + 1]
    xs = sliding_window_view(x, m)[: lag + 1]
    sy = _window_sums(ys, win, inc, n_win)           # (lag+1, n_win): y shifted by k
    syy = _window_sums(ys * ys, win, inc, n_win)
    sxk = _window_sums(xs, win, inc, n_win)          # x shifted by k
    sxxk = _window_sums(xs * xs, win, inc, n_win)
    pos = _window_sums(ys * x[:m], win, inc, n_win)  # x[t] * y[t + k]
    neg = _window_sums(xs * y[:m], win, inc, n_win)  # x[t + k] * y[t]
    # columns -lag..-1 use x shifted (negative lags), 0..lag use y shifted
    sxy = np.concatenate((neg[1:][::-1], pos)).T
    sx_all = np.concatenate((sxk[1:][::-1], np.broadcast_to(sx, (lag + 1, n_win)))).T
    sxx_all = np.concatenate((sxxk[1:][::-1], np.broadcast_to(sxx, (lag + 1, n_win)))).T
    y0, yy0 = sy[0], syy[0]
    sy_all = np.concatenate((np.broadcast_to(y0, (lag, n_win)), sy)).T
    syy_all = np.concatenate((np.broadcast_to(yy0, (lag, n_win)), syy)).T
    vx = sxx_all - sx_all * sx_all / win
    vy = syy_all - sy_all * sy_all / win
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (sxy - sx_all * sy_all / win) / np.sqrt(vx * vy)
    # a window whose own variance is under 1 % of the series' can lose digits to rounding
    unsafe = ((vx <= 0.01 * win * float(x @ x) / n) | (vy <= 0.01 * win * float(y @ y) / n)
              | ~(np.abs(r) < 1 - 1e-6))
    return np.asarray(r), np.asarray(unsafe)


def wcc_matrix(s1: np.ndarray, s2: np.ndarray, win: int, lag: int, inc: int,
               n_win: int) -> np.ndarray:
    """Raw Pearson r for every window and lag (columns -lag..+lag)."""
    span = win + lag
    starts = np.arange(n_win) * inc
    missing_x = np.concatenate(([0], np.cumsum(np.isnan(s1))))
    missing_y = np.concatenate(([0], np.cumsum(np.isnan(s2))))
    miss_x = missing_x[starts + span] - missing_x[starts]
    miss_y = missing_y[starts + span] - missing_y[starts]
    # centre on the whole series (keeps running sums small); missing samples -> 0 only
    # matters for windows that contain them, and those are recomputed below
    x = np.nan_to_num(s1 - np.nanmean(s1)) if not np.isnan(s1).all() else np.zeros(len(s1))
    y = np.nan_to_num(s2 - np.nanmean(s2)) if not np.isnan(s2).all() else np.zeros(len(s2))
    out, unsafe = _running_sums_r(x, y, win, lag, inc, n_win)
    for w in range(n_win):
        if miss_x[w] > span / 2 or miss_y[w] > span / 2:
            out[w] = np.nan
        elif miss_x[w] or miss_y[w] or unsafe[w].any():
            a = w * inc
            out[w] = _window_exact(s1[a:a + span], s2[a:a + span], win, lag)
    return np.asarray(np.clip(out, -1.0, 1.0))


def transform(r: np.ndarray, *, r2z: bool, absval: bool) -> np.ndarray:
    """Fisher z (clipped at +-10) and absolute value, as chosen."""
    if r2z:
        with np.errstate(divide="ignore"):  # r = +-1 gives +-inf, clipped next
            out = np.asarray(np.clip(np.arctanh(np.clip(r, -1, 1)), -Z_CLIP, Z_CLIP))
    else:
        out = r.copy()
    return np.asarray(np.abs(out)) if absval else out


def grand_aver(s1: np.ndarray, s2: np.ndarray, win: int, lag: int, inc: int, n_win: int,
               *, r2z: bool, absval: bool) -> float:
    """The session synchrony index only (used by the surrogate loop)."""
    m = transform(wcc_matrix(s1, s2, win, lag, inc, n_win), r2z=r2z, absval=absval)
    return float(_nanmean(m))


def wcc(s1: np.ndarray, s2: np.ndarray, *, sr: float, lag_s: float, win_s: float,
        inc_s: float, r2z: bool = True, absval: bool = True) -> WccResult:
    """Windowed lagged cross-correlation of two equally sampled series (s1 client, s2 therapist)."""
    s1, s2 = np.asarray(s1, dtype=float), np.asarray(s2, dtype=float)
    if len(s1) != len(s2):
        raise RapportInputError(f"series differ in length ({len(s1)} vs {len(s2)})",
                                fix="give both people's series from the same recording")
    win, lag, inc, n_win = window_params(len(s1), sr, lag_s, win_s, inc_s)
    m = transform(wcc_matrix(s1, s2, win, lag, inc, n_win), r2z=r2z, absval=absval)
    lags_s = np.arange(-lag, lag + 1) / sr
    starts = np.arange(n_win) * inc / sr
    profile = _nanmean(m, axis=0)
    mid = lag
    summary = WccSummary(
        grand_aver=_opt(float(_nanmean(m))),
        all_lags=_opt(float(_nanmean(_nanmean(m, axis=1)))),
        s1_lead=_opt(float(_nanmean(m[:, mid + 1:]))) if lag else None,
        s2_lead=_opt(float(_nanmean(m[:, :mid]))) if lag else None,
        lag_zero=_opt(float(_nanmean(m[:, mid]))),
        s1_lead_0=_opt(float(_nanmean(m[:, mid:]))),
        s2_lead_0=_opt(float(_nanmean(m[:, : mid + 1]))),
        best_lag_s=None if np.all(np.isnan(profile)) else float(
            lags_s[int(np.nanargmax(profile))]),
    )
    return WccResult(matrix=m, lags_s=lags_s, win_start_s=starts,
                     win_end_s=starts + (win + lag) / sr, summary=summary, r2z=r2z,
                     absval=absval)
