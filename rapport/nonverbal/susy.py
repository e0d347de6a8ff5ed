"""SUSY-style surrogate synchrony (Tschacher), written fresh from its description.

The series are cut into ``k`` non-overlapping segments (the tail is dropped). In each
segment the cross-correlation over lags ``-maxlag..+maxlag`` is computed the way R's
``ccf`` does (whole-segment means and SDs, divided by the segment length), Fisher-z
transformed, and averaged over segments per lag (``|Z|``, and ``Z`` with sign).
Surrogates pair segment ``i`` of one person with segment ``h != i`` of the other (all
``k(k-1)`` pairs). The effect size is

    ES = (mean over lags of Z_real - mean over lags of Z_pseudo) / SD over lags of Z_pseudo

(SUSY takes the SD over the lag profile of the averaged surrogate curve, not over
surrogate replicates.) SUSY is GPL; nothing was copied. Lag sign as everywhere in Rapport:
positive = s2 (therapist) follows s1 (client).
"""

from __future__ import annotations

import math

import numpy as np
from pydantic import BaseModel, Field

from rapport.errors import RapportInputError


class SusyResult(BaseModel):
    segment_s: float
    max_lag_s: float
    segments: int
    surrogate_pairs: int
    z_real: float | None = Field(description="Mean |Z| over lags and segments.")
    z_pseudo: float | None
    effect_size: float | None = Field(description="SUSY ES (absolute Z).")
    effect_size_signed: float | None = Field(description="SUSY ES without abs.")
    share_lags_above_pseudo: float | None


def _ccf_z(a: np.ndarray, b: np.ndarray, m: int) -> np.ndarray:
    """Fisher z of R-style ccf at lags -m..m (positive: b follows a); NaN if flat."""
    ac, bc = a - a.mean(), b - b.mean()
    den = math.sqrt(float(ac @ ac) * float(bc @ bc))
    if den == 0:
        return np.full(2 * m + 1, np.nan)
    full = np.correlate(bc, ac, mode="full")  # index n-1+L: sum_t b[t+L] * a[t]
    n = len(a)
    r = np.clip(full[n - 1 - m: n + m] / den, -0.999999, 0.999999)
    return np.asarray(np.arctanh(r))


def _es(real: np.ndarray, pseudo: np.ndarray) -> float | None:
    sd = float(np.std(pseudo, ddof=1)) if len(pseudo) > 1 else math.nan
    if not sd or math.isnan(sd):
        return None
    return (float(np.mean(real)) - float(np.mean(pseudo))) / sd


def susy(s1: np.ndarray, s2: np.ndarray, *, sr: float, segment_s: float = 30.0,
         max_lag_s: float = 3.0) -> SusyResult:
    """SUSY effect size of synchrony between two equally sampled series."""
    seg, m = round(segment_s * sr), round(max_lag_s * sr)
    n = min(len(s1), len(s2))
    if seg < 2 * m or seg > n / 2:
        raise RapportInputError(
            f"SUSY segments of {segment_s} s need to be at least twice the lag "
            f"({max_lag_s} s) and at most half the recording", fix="change --segment")
    k = n // seg
    a = np.nan_to_num(np.asarray(s1[: k * seg], dtype=float)).reshape(k, seg)
    b = np.nan_to_num(np.asarray(s2[: k * seg], dtype=float)).reshape(k, seg)
    real = np.array([_ccf_z(a[i], b[i], m) for i in range(k)])
    pseudo = np.array([_ccf_z(a[i], b[h], m) for i in range(k) for h in range(k) if h != i])
    with np.errstate(invalid="ignore"):
        real_abs, pseudo_abs = np.nanmean(np.abs(real), axis=0), np.nanmean(np.abs(pseudo), 0)
        real_sig, pseudo_sig = np.nanmean(real, axis=0), np.nanmean(pseudo, axis=0)
    ok = ~(np.isnan(real_abs) | np.isnan(pseudo_abs))
    if not ok.any():
        return SusyResult(segment_s=segment_s, max_lag_s=max_lag_s, segments=k,
                          surrogate_pairs=len(pseudo), z_real=None, z_pseudo=None,
                          effect_size=None, effect_size_signed=None,
                          share_lags_above_pseudo=None)
    return SusyResult(
        segment_s=segment_s, max_lag_s=max_lag_s, segments=k, surrogate_pairs=len(pseudo),
        z_real=float(real_abs[ok].mean()), z_pseudo=float(pseudo_abs[ok].mean()),
        effect_size=_es(real_abs[ok], pseudo_abs[ok]),
        effect_size_signed=_es(real_sig[ok], pseudo_sig[ok]),
        share_lags_above_pseudo=float(np.mean(real_abs[ok] > pseudo_abs[ok])))
