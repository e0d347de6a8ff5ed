"""Stacked, calibrated heads: base linear models -> meta logistic regression -> decision.

Each family's head fits its base models (TF-IDF, and MiniLM embeddings for ``accurate``)
and collects their out-of-fold log-probabilities on grouped inner folds of the *training*
data only. A small multinomial logistic regression on those columns gives calibrated
probabilities (it is fit on predictions the base models did not train on). Per-class
decision weights, tuned on the same inner out-of-fold data, turn the probabilities into a
label that favours macro-F1 (the rare classes); the reported confidence stays the
calibrated probability of the emitted label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

_EPS = 1e-6
_WEIGHT_GRID = np.linspace(-1.2, 1.2, 13)


def macro_f1_idx(y_true: np.ndarray, y_pred: np.ndarray, k: int) -> float:
    """Macro-F1 over ``k`` classes given integer labels (fast, no sklearn overhead)."""
    scores = []
    for c in range(k):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores))


def tune_decision_weights(probs: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-class log-weights maximising macro-F1 of ``argmax(log p + w)`` (coordinate ascent)."""
    k = probs.shape[1]
    logp = np.log(np.clip(probs, _EPS, 1))
    weights = np.zeros(k)
    best = macro_f1_idx(y, np.argmax(logp + weights, axis=1), k)
    for _ in range(2):
        for c in range(1, k):  # class 0 is the reference
            for value in _WEIGHT_GRID:
                trial = weights.copy()
                trial[c] = value
                score = macro_f1_idx(y, np.argmax(logp + trial, axis=1), k)
                if score > best + 1e-9:
                    best, weights = score, trial
    return weights


def _base_model(c: float, seed: int) -> LinearSVC:
    # a linear SVM (liblinear, one-vs-rest) fits sparse TF-IDF in about a second here,
    # where multinomial lbfgs took minutes; the meta model turns its scores into
    # calibrated probabilities
    return LinearSVC(C=c, class_weight="balanced", max_iter=5000, random_state=seed)


def _log_proba(model: LinearSVC, x: Any, k: int) -> np.ndarray:
    """Decision scores for all ``k`` classes (a class missing from a fold scores -10)."""
    out = np.full((x.shape[0], k), -10.0)
    scores = model.decision_function(x)
    if scores.ndim == 1:  # binary: one score for classes_[1]
        scores = np.column_stack([-scores, scores])
    out[:, model.classes_] = scores
    return out


@dataclass
class Head:
    """One family's fitted head: base models per feature view, meta model, weights."""

    labels: tuple[str, ...]
    views: tuple[str, ...]
    bases: list[LinearSVC] = field(default_factory=list)
    meta: LogisticRegression | None = None
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    chosen_c: dict[str, float] = field(default_factory=dict)
    inner_f1: dict[str, float] = field(default_factory=dict)

    def base_columns(self, xs: dict[str, Any]) -> np.ndarray:
        k = len(self.labels)
        return np.hstack([_log_proba(m, xs[v], k) for v, m in zip(self.views, self.bases,
                                                                   strict=True)])

    def predict_proba(self, xs: dict[str, Any]) -> np.ndarray:
        assert self.meta is not None
        k = len(self.labels)
        out = np.zeros((next(iter(xs.values())).shape[0], k))
        if out.shape[0]:
            out[:, self.meta.classes_] = self.meta.predict_proba(self.base_columns(xs))
        return out

    def decide(self, probs: np.ndarray) -> np.ndarray:
        choice: np.ndarray = np.argmax(np.log(np.clip(probs, _EPS, 1)) + self.weights,
                                       axis=1)
        return choice


def fit_head(labels: tuple[str, ...], xs: dict[str, Any], y: np.ndarray,
             groups: np.ndarray, *, c_grid: dict[str, tuple[float, ...]],
             inner_folds: int, seed: int) -> Head:
    """Fit one head on integer labels ``y``; ``xs`` maps view name -> feature matrix.

    For each view, the C with the best inner out-of-fold macro-F1 is kept (tuning never
    sees data outside ``xs``), then the meta model and decision weights are fit on the
    out-of-fold columns of the chosen base models.
    """
    k = len(labels)
    n_groups = len(np.unique(groups))
    folds = max(2, min(inner_folds, n_groups))
    splits = list(GroupKFold(n_splits=folds).split(np.zeros(len(y)), y, groups)) \
        if n_groups >= 2 else []
    head = Head(labels=labels, views=tuple(xs))
    columns = []
    for view, x in xs.items():
        best: tuple[float, float, np.ndarray] | None = None
        for c in c_grid[view]:
            oof = np.zeros((len(y), k))
            for train, test in splits:
                if len(np.unique(y[train])) < 2:
                    continue
                model = _base_model(c, seed).fit(x[train], y[train])
                oof[test] = _log_proba(model, x[test], k)
            score = macro_f1_idx(y, np.argmax(oof, axis=1), k)
            if best is None or score > best[0] + 1e-9:
                best = (score, c, oof)
        assert best is not None
        head.chosen_c[view] = best[1]
        head.inner_f1[view] = round(best[0], 4)
        head.bases.append(_base_model(best[1], seed).fit(x, y))
        columns.append(best[2])
    meta_x = np.hstack(columns)
    head.meta = LogisticRegression(C=1.0, max_iter=2000, random_state=seed).fit(meta_x, y)
    probs = np.zeros((len(y), k))
    probs[:, head.meta.classes_] = head.meta.predict_proba(meta_x)
    head.weights = tune_decision_weights(probs, y)
    head.inner_f1["stacked"] = round(macro_f1_idx(y, head.decide(probs), k), 4)
    return head
