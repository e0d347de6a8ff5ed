"""From the model's level probabilities to what the coder writes: values and confidences.

One function for the coder and for the evaluation, so the figures in ``docs/models.md``
are those of the values users get.

- ``empathy_er``, ``empathy_ip``, ``empathy_ex``: the expected rating (the model's mean
  over the levels 0, 1, 2), to one decimal.
- ``empathy``: the sum of those three values (so the columns add up), 0–6.
- confidence: the model's probability that one rater would give exactly the whole number
  nearest the value (the level of a mechanism; the sum of three levels for ``empathy``,
  the mechanisms taken as independent). Measured out of fold: expected calibration error
  about 0.02 for the mechanisms and 0.05–0.07 for the sum (``docs/models.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rapport.coding.empathy.codes import as_label
from rapport.coding.empathy.model import expected, total_distribution


@dataclass(frozen=True)
class TurnRatings:
    """The coder's output for rows of therapist turns (arrays of equal length)."""

    mechanisms: np.ndarray          # (n, 3): values to one decimal, 0–2
    mechanism_confidence: np.ndarray  # (n, 3)
    total: np.ndarray               # (n,): values to one decimal, 0–6
    total_confidence: np.ndarray    # (n,)


def tenths(values: np.ndarray) -> np.ndarray:
    """Values as :func:`as_label` writes them (one decimal)."""
    return np.array([float(as_label(float(v))) for v in np.ravel(values)]).reshape(
        np.shape(values))


def nearest_whole(values: np.ndarray) -> np.ndarray:
    """The whole number nearest each value (halves round up)."""
    return np.floor(np.asarray(values) + 0.5).astype(np.int64)


def turn_ratings(probs: np.ndarray) -> TurnRatings:
    """Values and confidences from ``(n, 3, 3)`` level probabilities."""
    values = tenths(expected(probs))
    level = nearest_whole(values)
    confidence = np.take_along_axis(probs, level[:, :, None], axis=2)[:, :, 0]
    total = tenths(values.sum(axis=1))
    distribution = total_distribution(probs)
    total_conf = distribution[np.arange(len(total)), nearest_whole(total)]
    return TurnRatings(mechanisms=values, mechanism_confidence=confidence, total=total,
                       total_confidence=total_conf)
