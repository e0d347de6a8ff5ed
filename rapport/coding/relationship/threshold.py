"""From which confidence a relationship code may drive feedback to a therapist.

>>> feedback_threshold(y, p, folds)  # doctest: +SKIP
0.65

(``None``: the code never drives feedback; a threshold is needed but not enough: the
shipped model's code must also pass the held-out gate,
:mod:`~rapport.coding.relationship.heldout`.) A code is *coded* at ``P >= DECISION``;
feedback (a moment, a rupture episode, an alert) needs more: the lowest candidate
threshold from :data:`DECISION` up at which

1. at least :data:`FEEDBACK_MIN_SUPPORT` real turns are predicted, and the one-sided 90%
   Wilson **lower bound** of their precision reaches :data:`FEEDBACK_PRECISION`; and
2. that still holds with **any one inner fold left out** (the folds group turns by video).

Why not simply "out-of-fold precision >= 0.70", the rule before (:func:`first_passing`)?
It walks up ten candidate thresholds and takes the first whose *observed* precision
passes, so on 10–30 predicted turns it picks whichever threshold was lucky: measured
honestly (the threshold chosen inside training folds, scored on held-out transcripts) the
codes it kept were right 33–70% of the time. The lower bound asks that the 0.70 be
plausible given how few turns it rests on (7 right of 10 no longer passes; 18 of 20 does).

Why the fold check? Wilson treats turns as independent, but turns of one video are not: one
transcript full of easy "It's up to you" turns can carry a pooled pass that other videos do
not share. Dropping each fold in turn and asking the bound to hold on the rest means no
single group of videos carries the pass, and every fold is tested against the others'
evidence. It can only remove thresholds (never add one), it never needs a per-fold minimum
count (a fold with one prediction is simply part of the rest), and it keeps the rule
monotone: one more right prediction never raises a threshold or removes one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: A turn is coded when P(code) reaches this (calibrated: more likely than not).
DECISION = 0.5
#: A code is used for feedback only when its precision is at least this, with 90%
#: confidence (one-sided Wilson lower bound)...
FEEDBACK_PRECISION = 0.70
#: ...on at least this many real predicted turns (and the gold has this many positives).
FEEDBACK_MIN_SUPPORT = 10
#: The standard normal quantile of a one-sided 90% bound, ``scipy.stats.norm.ppf(0.90)``
#: (written out: scipy.stats costs more to import than this rule does to run).
Z_ONE_SIDED_90 = 1.2815515655446004
#: The thresholds tried, from the decision up: feedback never lands on an uncoded turn.
CANDIDATES: tuple[float, ...] = tuple(round(DECISION + 0.05 * i, 2) for i in range(10))


@dataclass(frozen=True)
class OutOfFold:
    """What a code's feedback threshold is chosen on: the real labelled turns of its role,
    their gold label, out-of-fold calibrated probability and inner fold."""

    y: np.ndarray       # bool
    p: np.ndarray       # float
    folds: np.ndarray   # int


def wilson_lower_bound(successes: int, n: int, z: float = Z_ONE_SIDED_90) -> float:
    """The Wilson score lower bound of a proportion (0.0 when ``n`` is 0).

    >>> round(wilson_lower_bound(7, 10), 3), round(wilson_lower_bound(18, 20), 3)
    (0.497, 0.782)
    """
    if n <= 0:
        return 0.0
    share = successes / n
    centre = share + z * z / (2 * n)
    spread = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n))
    return max(0.0, (centre - spread) / (1 + z * z / n))


def _bound_holds(y: np.ndarray, predicted: np.ndarray, precision: float) -> bool:
    n = int(predicted.sum())
    return wilson_lower_bound(int((y & predicted).sum()), n) >= precision


def feedback_threshold(y: np.ndarray, p: np.ndarray, folds: np.ndarray | None = None, *,
                       precision: float = FEEDBACK_PRECISION,
                       min_support: int = FEEDBACK_MIN_SUPPORT,
                       candidates: Sequence[float] = CANDIDATES) -> float | None:
    """The lowest of ``candidates`` at which a code may drive feedback, or None.

    ``y``: gold labels of real turns; ``p``: their out-of-fold calibrated probabilities;
    ``folds``: the inner fold of each turn (None or one fold: no fold check).
    """
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    if int(y.sum()) < min_support:
        return None
    fold_ids = np.unique(folds) if folds is not None else np.array([])
    for t in sorted(candidates):
        predicted = p >= t
        if int(predicted.sum()) < min_support:
            break  # a higher threshold predicts fewer turns still
        if not _bound_holds(y, predicted, precision):
            continue
        if len(fold_ids) > 1 and folds is not None and not all(
                _bound_holds(y[folds != f], predicted[folds != f], precision)
                for f in fold_ids):
            continue
        return float(t)
    return None


def first_passing(y: np.ndarray, p: np.ndarray, *, precision: float = FEEDBACK_PRECISION,
                  min_support: int = FEEDBACK_MIN_SUPPORT,
                  candidates: Sequence[float] = CANDIDATES) -> float | None:
    """The rule before issue 22's fix: the first threshold whose observed precision passes.

    Kept only so ``benchmarks/relationship_feedback_rule.py`` and the tests can show what
    it chose and how that held up; no model uses it.
    """
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    if int(y.sum()) < min_support:
        return None
    for t in sorted(candidates):
        predicted = p >= t
        n = int(predicted.sum())
        if n >= min_support and int((y & predicted).sum()) / n >= precision:
            return float(t)
    return None
