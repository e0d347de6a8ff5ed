"""Agreement statistics for codings: model vs human, human vs human.

One module that every tool comparing codings reuses (model evaluation, supervisor
corrections, reliability checks of a research corpus). Labels are any hashable values;
``None`` marks a missing code.

Kappa and alpha are undefined, and returned as NaN, where there is no variation to
correct for chance with: both coders used one and the same label throughout (expected
disagreement 0; Cohen 1960, Krippendorff 2011), or no unit was coded by both. That is not
perfect agreement: a code neither coder ever gave would otherwise read as 1.000.
:func:`undefined_agreement` says why; callers show "n/a" with it, and aggregates skip
NaN (``numpy.nanmean``) and say how many they skipped.

>>> cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"])
0.5
>>> round(krippendorff_alpha([["a", "a", "b"], ["a", "a", "b"]]), 3)
1.0
>>> cohen_kappa(["0", "0"], ["0", "0"])
nan
>>> undefined_agreement(["0", "0"], ["0", "0"])
'only one value used by both coders ("0")'
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np


def _pairs(a: Sequence[Hashable], b: Sequence[Hashable]) -> list[tuple[Hashable, Hashable]]:
    if len(a) != len(b):
        msg = f"codings differ in length: {len(a)} and {len(b)}"
        raise ValueError(msg)
    return [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]


#: What kappa and alpha are where they are undefined (see :func:`undefined_agreement`).
UNDEFINED = float("nan")


def undefined_agreement(a: Sequence[Hashable], b: Sequence[Hashable]) -> str | None:
    """Why Cohen's kappa and Krippendorff's alpha of two codings are undefined, or
    ``None`` where they are defined. Both are undefined exactly when no unit is coded by
    both or both coders used one and the same label on every unit they both coded."""
    pairs = _pairs(a, b)
    if not pairs:
        return "no unit coded by both coders"
    values = {v for pair in pairs for v in pair}
    if len(values) == 1:
        return f'only one value used by both coders ("{next(iter(values))}")'
    return None


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa of two codings of the same units (pairs with a ``None`` are dropped).

    NaN where it is undefined (:func:`undefined_agreement`): no unit coded by both, or
    both coders used one and the same label throughout (chance agreement is then 1).
    """
    pairs = _pairs(a, b)
    n = len(pairs)
    if n == 0:
        return UNDEFINED
    observed = sum(x == y for x, y in pairs) / n
    ca = Counter(x for x, _ in pairs)
    cb = Counter(y for _, y in pairs)
    chance = sum(ca[k] * cb.get(k, 0) for k in ca)  # an integer: exact test for n * n
    if chance >= n * n:
        return UNDEFINED
    expected = chance / (n * n)
    return float((observed - expected) / (1 - expected))


def krippendorff_alpha(codings: Sequence[Sequence[Hashable]]) -> float:
    """Krippendorff's alpha (nominal) for coders x units; ``None`` is a missing value.

    Units coded by fewer than two coders are ignored, as the coefficient defines. NaN
    where it is undefined: no pairable value, or every pairable value is the same label
    (no variation, expected disagreement 0; Krippendorff 2011).
    """
    if not codings:
        return UNDEFINED
    n_units = len(codings[0])
    if any(len(c) != n_units for c in codings):
        msg = "every coder must code the same units (use None for missing)"
        raise ValueError(msg)
    coincidence: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for u in range(n_units):
        values = [c[u] for c in codings if c[u] is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for v1, c1 in counts.items():
            for v2, c2 in counts.items():
                pairs = c1 * (c1 - 1) if v1 == v2 else c1 * c2
                coincidence[(v1, v2)] += pairs / (m - 1)
    total = sum(coincidence.values())
    if total == 0:
        return UNDEFINED
    marginal: defaultdict[Hashable, float] = defaultdict(float)
    for (v1, _), count in coincidence.items():
        marginal[v1] += count
    observed_disagreement = sum(c for (v1, v2), c in coincidence.items() if v1 != v2)
    expected_disagreement = sum(marginal[v1] * marginal[v2] for v1 in marginal
                                for v2 in marginal if v1 != v2) / (total - 1)
    if len(marginal) < 2:  # one value only: expected disagreement 0
        return UNDEFINED
    return float(1 - observed_disagreement / expected_disagreement)


def fleiss_kappa(codings: Sequence[Sequence[Hashable]]) -> float:
    """Fleiss' kappa over units coded by the same number (at least two) of coders; NaN
    where undefined (no unit coded twice, or one label throughout)."""
    n_units = len(codings[0]) if codings else 0
    rows = []
    for u in range(n_units):
        values = [c[u] for c in codings if c[u] is not None]
        if len(values) >= 2:
            rows.append(Counter(values))
    if not rows:
        return UNDEFINED
    labels = sorted({k for r in rows for k in r}, key=str)
    if len(labels) < 2:  # chance agreement 1: no variation to correct for
        return UNDEFINED
    table = np.array([[r.get(k, 0) for k in labels] for r in rows], dtype=float)
    raters = table.sum(axis=1)
    p_i = ((table * (table - 1)).sum(axis=1) / (raters * (raters - 1))).mean()
    p_j = table.sum(axis=0) / table.sum()
    p_e = float((p_j ** 2).sum())
    return float((p_i - p_e) / (1 - p_e))


def confusion_matrix(truth: Sequence[Hashable], predicted: Sequence[Hashable],
                     labels: Sequence[Hashable]) -> np.ndarray:
    """Counts with rows = truth, columns = predicted, in ``labels`` order."""
    index = {k: i for i, k in enumerate(labels)}
    out = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in _pairs(truth, predicted):
        if t in index and p in index:
            out[index[t], index[p]] += 1
    return out


@dataclass(frozen=True)
class LabelScores:
    """Precision, recall and F1 of one label, with its support in the truth."""

    label: Hashable
    precision: float
    recall: float
    f1: float
    support: int


def per_label_scores(truth: Sequence[Hashable], predicted: Sequence[Hashable],
                     labels: Sequence[Hashable]) -> list[LabelScores]:
    """Per-label precision/recall/F1 (0 where undefined)."""
    cm = confusion_matrix(truth, predicted, labels)
    out = []
    for i, label in enumerate(labels):
        tp = cm[i, i]
        pred = cm[:, i].sum()
        true = cm[i, :].sum()
        precision = tp / pred if pred else 0.0
        recall = tp / true if true else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(LabelScores(label, float(precision), float(recall), float(f1), int(true)))
    return out


def macro_f1(truth: Sequence[Hashable], predicted: Sequence[Hashable],
             labels: Sequence[Hashable]) -> float:
    """Unweighted mean of the per-label F1 scores."""
    scores = per_label_scores(truth, predicted, labels)
    return float(np.mean([s.f1 for s in scores])) if scores else 0.0


def expected_calibration_error(confidence: Sequence[float] | np.ndarray,
                               correct: Sequence[bool] | np.ndarray, bins: int = 10) -> float:
    """ECE: mean |accuracy - confidence| over equal-width confidence bins, weighted by size."""
    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=float)
    if conf.size == 0:
        return 0.0
    which = np.minimum((conf * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.sum() * abs(hit[mask].mean() - conf[mask].mean())
    return float(total / conf.size)


def calibration_noise_floor(confidence: Sequence[float], *, bins: int = 10,
                            draws: int = 2000, seed: int = 0) -> tuple[float, float]:
    """The ECE a perfectly calibrated coder would show on these rows by chance alone.

    Each draw makes every row right with probability equal to its confidence (what
    calibration means) and measures the ECE of that outcome; returns the mean and the 95th
    percentile over ``draws``. On a few hundred rows ECE has a floor well above 0, so an
    observed ECE near it is no evidence of miscalibration (``docs/models.md``).
    """
    conf = np.asarray(confidence, dtype=float)
    if conf.size == 0:
        return 0.0, 0.0
    rng = np.random.default_rng(seed)
    values = np.array([expected_calibration_error(conf, rng.random(conf.size) < conf, bins)
                       for _ in range(draws)])
    return float(values.mean()), float(np.quantile(values, 0.95))
