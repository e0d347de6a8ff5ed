"""Intraclass correlation for session-level scores (Shrout & Fleiss, 1979).

Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
reliability. Psychological Bulletin, 86(2), 420-428. Table 2 of the paper (6 targets
rated by 4 judges) gives ICC(2,1) = .29 and ICC(3,1) = .71; the tests check it.

``ratings`` is a targets x raters matrix (here: sessions x the two codings). ICC(2,1):
two-way random effects, absolute agreement of single ratings (a systematic offset between
the raters counts against them); ICC(3,1): two-way mixed, consistency (an offset does
not). Both come from the same two-way ANOVA mean squares.

>>> round(icc_2_1([[1, 2], [2, 3], [3, 4]]) or 0, 3)
0.667
>>> icc_3_1([[1, 2], [2, 3], [3, 4]])
1.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

#: A targets x raters matrix: nested sequences or a 2-D array.
Ratings = npt.ArrayLike


@dataclass(frozen=True)
class MeanSquares:
    """Two-way ANOVA of a targets x raters matrix without replication."""

    n: int
    k: int
    between_targets: float  # BMS
    between_raters: float  # JMS
    residual: float  # EMS


def mean_squares(ratings: Ratings) -> MeanSquares:
    """BMS, JMS and EMS of Shrout & Fleiss's Table 1 (ValueError for a ragged matrix)."""
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2:
        msg = "ratings must be a targets x raters matrix"
        raise ValueError(msg)
    if not np.isfinite(x).all():
        msg = "ratings must be finite numbers (drop targets with a missing rating)"
        raise ValueError(msg)
    n, k = x.shape
    grand = x.mean() if x.size else 0.0
    ss_targets = k * float(((x.mean(axis=1) - grand) ** 2).sum()) if x.size else 0.0
    ss_raters = n * float(((x.mean(axis=0) - grand) ** 2).sum()) if x.size else 0.0
    ss_total = float(((x - grand) ** 2).sum())
    ss_error = max(ss_total - ss_targets - ss_raters, 0.0)  # rounding can go below 0
    return MeanSquares(
        n=n, k=k,
        between_targets=ss_targets / (n - 1) if n > 1 else 0.0,
        between_raters=ss_raters / (k - 1) if k > 1 else 0.0,
        residual=ss_error / ((n - 1) * (k - 1)) if n > 1 and k > 1 else 0.0)


def icc_2_1(ratings: Ratings) -> float | None:
    """ICC(2,1): absolute agreement of single raters; ``None`` where undefined.

    Undefined with fewer than two targets or raters, or when every rating is the same
    (0/0: no variance to share out). At most 1; unlike ICC(3,1) it has no floor of
    -1/(k-1): when raters differ less than chance (JMS < EMS) it can fall below that.
    """
    ms = mean_squares(ratings)
    if ms.n < 2 or ms.k < 2:
        return None
    denominator = (ms.between_targets + (ms.k - 1) * ms.residual
                   + ms.k * (ms.between_raters - ms.residual) / ms.n)
    if denominator <= 0:
        return None
    return float((ms.between_targets - ms.residual) / denominator)


def icc_3_1(ratings: Ratings) -> float | None:
    """ICC(3,1): consistency of single raters (fixed raters); ``None`` where undefined."""
    ms = mean_squares(ratings)
    if ms.n < 2 or ms.k < 2:
        return None
    denominator = ms.between_targets + (ms.k - 1) * ms.residual
    if denominator <= 0:
        return None
    return float((ms.between_targets - ms.residual) / denominator)
