"""How empathy ratings are compared: Spearman per mechanism and sum, per turn and per
session mean, with a bootstrap interval by transcript; confidence calibration; and
EPITOME's own measures (accuracy and macro-F1 of the 0/1/2 level) for comparison.

A *rating table* is what both a model and a coding pass give: for each transcript, the
rated therapist turns' ``(er, ip, ex)``. Comparisons use the turns both sides rate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from rapport.coding.agreement import expected_calibration_error, macro_f1
from rapport.coding.empathy.codes import MECHANISMS

#: ``transcript -> position -> (er, ip, ex)``
RatingTable = Mapping[str, Mapping[int, Sequence[float]]]
#: What one comparison reports, in column order.
COLUMNS = (*MECHANISMS, "sum")
BOOTSTRAP = 1000


def spearman(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Spearman's rho (ties averaged); NaN when either side is constant or too short."""
    from scipy.stats import spearmanr

    if len(a) < 3 or np.ptp(a) == 0 or np.ptp(b) == 0:
        return float("nan")
    return float(spearmanr(a, b)[0])


@dataclass(frozen=True)
class Paired:
    """Two rating tables lined up: per turn and per transcript mean, each ``(n, 4)``
    with the sum last; ``transcript`` names each turn's transcript."""

    turns_a: np.ndarray
    turns_b: np.ndarray
    transcript: np.ndarray
    means_a: np.ndarray
    means_b: np.ndarray

    @property
    def n_turns(self) -> int:
        return len(self.turns_a)

    @property
    def n_transcripts(self) -> int:
        return len(self.means_a)


def pair(a: RatingTable, b: RatingTable) -> Paired:
    """The turns rated by both tables, in a fixed order."""
    rows_a, rows_b, names = [], [], []
    for key in sorted(set(a) & set(b)):
        for i in sorted(set(a[key]) & set(b[key])):
            rows_a.append(list(a[key][i]))
            rows_b.append(list(b[key][i]))
            names.append(key)
    ta = _with_sum(np.array(rows_a, dtype=np.float64).reshape(-1, len(MECHANISMS)))
    tb = _with_sum(np.array(rows_b, dtype=np.float64).reshape(-1, len(MECHANISMS)))
    transcript = np.array(names)
    keys = sorted(set(names))
    means_a = np.array([ta[transcript == k].mean(axis=0) for k in keys]).reshape(-1, 4)
    means_b = np.array([tb[transcript == k].mean(axis=0) for k in keys]).reshape(-1, 4)
    return Paired(ta, tb, transcript, means_a, means_b)


def _with_sum(x: np.ndarray) -> np.ndarray:
    return np.hstack([x, x.sum(axis=1, keepdims=True)])


def correlations(p: Paired) -> dict[str, dict[str, float]]:
    """``{"turn": {er, ip, ex, sum}, "session": {...}}`` Spearman's rho."""
    return {"turn": {c: spearman(p.turns_a[:, k], p.turns_b[:, k])
                     for k, c in enumerate(COLUMNS)},
            "session": {c: spearman(p.means_a[:, k], p.means_b[:, k])
                        for k, c in enumerate(COLUMNS)}}


def bootstrap_sum(p: Paired, *, seed: int = 0, rounds: int = BOOTSTRAP
                  ) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of the sum's rho, resampling whole transcripts."""
    rng = np.random.default_rng(seed)
    keys = sorted(set(p.transcript.tolist()))
    rows = {k: np.flatnonzero(p.transcript == k) for k in keys}
    turn, session = [], []
    for _ in range(rounds):
        pick = rng.integers(0, len(keys), len(keys))
        idx = np.concatenate([rows[keys[j]] for j in pick])
        turn.append(spearman(p.turns_a[idx, 3], p.turns_b[idx, 3]))
        session.append(spearman(p.means_a[pick, 3], p.means_b[pick, 3]))

    def interval(values: list[float]) -> tuple[float, float]:
        v = np.array([x for x in values if not np.isnan(x)])
        return (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))) if len(v) \
            else (float("nan"), float("nan"))

    return {"turn": interval(turn), "session": interval(session)}


def levels(values: np.ndarray) -> np.ndarray:
    """0/1/2 levels from expected ratings (nearest level)."""
    return np.clip(np.floor(values + 0.5), 0, 2).astype(int)


def epitome_measures(expected: np.ndarray, rater: np.ndarray) -> dict[str, dict[str, float]]:
    """Per mechanism, EPITOME's measures of the nearest level against one rater's 0/1/2:
    accuracy and macro-F1 over the levels the rater used."""
    out = {}
    for k, m in enumerate(MECHANISMS):
        truth = rater[:, k].astype(int).tolist()
        predicted = levels(expected[:, k]).tolist()
        out[m] = {"accuracy": float(np.mean(np.array(truth) == np.array(predicted))),
                  "macro_f1": macro_f1(truth, predicted, sorted(set(truth)))}
    return out


def calibration(confidence: np.ndarray, correct: np.ndarray) -> dict[str, float]:
    """Mean confidence, observed rate and expected calibration error."""
    return {"confidence": float(np.mean(confidence)), "observed": float(np.mean(correct)),
            "ece": expected_calibration_error(confidence.tolist(), correct.tolist())}
