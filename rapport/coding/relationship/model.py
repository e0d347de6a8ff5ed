"""The learned half: one calibrated logistic regression per code over rules + n-grams + context.

>>> from rapport.coding.relationship.data import TRAIN_FILE, load_examples  # doctest: +SKIP
>>> model = RelationshipModel().fit(load_examples(TRAIN_FILE))  # doctest: +SKIP
>>> model.predict_proba(["It's your call."], ["Should I go?"], "therapist")  # doctest: +SKIP

Each code's classifier sees the turn's word and character n-grams, the previous turn's
words, dense context cues and every rule hit of the role. Its scores are calibrated with
Platt scaling fitted on out-of-fold scores, so ``p >= 0.5`` is the decision and ``p`` is
the confidence. Out-of-fold precision, recall and F1 on the training data are kept in
``cv_metrics_`` (the frozen evaluation set is never seen here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from rapport.coding.relationship.codes import CODES_BY_ROLE
from rapport.coding.relationship.data import Example
from rapport.coding.relationship.features import TurnVectorizer
from rapport.coding.relationship.rules import RuleHit, rule_hits
from rapport.domain import Role
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression

ROLES = ("therapist", "client")


@dataclass(frozen=True)
class Head:
    """One code's linear classifier and its Platt calibration."""

    coef: np.ndarray
    intercept: float
    scale: float
    shift: float

    def proba(self, features: sparse.csr_matrix) -> np.ndarray:
        score = features @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-(self.scale * score + self.shift))))


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1 and support of a binary code."""
    tp = float(np.sum(y_true & y_pred))
    precision = tp / max(float(y_pred.sum()), 1.0)
    recall = tp / max(float(y_true.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": float(y_true.sum())}


class RelationshipModel:
    """Scikit-learn-style estimator for the thirteen relationship codes.

    Parameters are keyword-only and stored unchanged; learned state ends in ``_``.
    """

    def __init__(self, *, c: float = 4.0, rule_weight: float = 1.0,
                 context_weight: float = 0.5, cv_folds: int = 5, random_state: int = 0,
                 n_neighbours: int = 2) -> None:
        self.c = c
        self.rule_weight = rule_weight
        self.context_weight = context_weight
        self.cv_folds = cv_folds
        self.random_state = random_state
        self.n_neighbours = n_neighbours

    def _classifier(self) -> LogisticRegression:
        # scikit-learn only for fitting (importing it costs more than coding a session)
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000)

    def fit(self, examples: Sequence[Example]) -> RelationshipModel:
        """Fit every code on the rows of its role; returns ``self``."""
        if self.c <= 0 or self.cv_folds < 2 or self.n_neighbours < 0:
            raise RapportInputError(
                f"bad parameters c={self.c}, cv_folds={self.cv_folds}, "
                f"n_neighbours={self.n_neighbours}",
                fix="use c > 0, cv_folds >= 2 and n_neighbours >= 0")
        self.vectorizers_: dict[str, TurnVectorizer] = {}
        self.heads_: dict[str, Head] = {}
        self.cv_metrics_: dict[str, dict[str, float]] = {}
        self.neighbours_: dict[str, list[str]] = {}
        for role in ROLES:
            rows = [e for e in examples if e.role == role]
            texts, prev = [e.text for e in rows], [e.previous for e in rows]
            vec = TurnVectorizer(role=role, rule_weight=self.rule_weight,
                                 context_weight=self.context_weight).fit(texts, prev)
            features = vec.transform(texts, prev)
            self.vectorizers_[role] = vec
            for code in CODES_BY_ROLE[Role(role)]:
                y = np.array([code in e.codes for e in rows])
                if y.sum() < self.cv_folds or (~y).sum() < self.cv_folds:
                    raise RapportInputError(
                        f"code {code!r} has too few positive or negative examples",
                        fix=f"give it at least {self.cv_folds} of each")
                self._fit_code(code, features, y)
                self.neighbours_[code] = [e.text for e in rows if code in e.codes]
        return self

    def _fit_code(self, code: str, features: sparse.csr_matrix, y: np.ndarray) -> None:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict

        folds = StratifiedKFold(self.cv_folds, shuffle=True, random_state=self.random_state)
        oof = cross_val_predict(self._classifier(), features, y, cv=folds,
                                method="decision_function")
        platt = LogisticRegression(C=1e4).fit(oof[:, None], y)
        scale, shift = float(platt.coef_[0, 0]), float(platt.intercept_[0])
        oof_p = 1.0 / (1.0 + np.exp(-(scale * oof + shift)))
        self.cv_metrics_[code] = prf(y, oof_p >= 0.5)
        final = self._classifier().fit(features, y)
        self.heads_[code] = Head(coef=final.coef_[0].astype(np.float64),
                                 intercept=float(final.intercept_[0]), scale=scale,
                                 shift=shift)

    def predict_proba(self, texts: Sequence[str], previous: Sequence[str], role: str,
                      hits: Sequence[Sequence[RuleHit]] | None = None
                      ) -> dict[str, np.ndarray]:
        """``code -> P(code applies)`` for turns of one role (``hits``: precomputed rules)."""
        if role not in ROLES:
            raise RapportInputError(f"unknown role {role!r}", fix="use therapist or client")
        if not texts:
            return {code: np.zeros(0) for code in CODES_BY_ROLE[Role(role)]}
        features = self.vectorizers_[role].transform(texts, previous, hits)
        return {code: self.heads_[code].proba(features) for code in CODES_BY_ROLE[Role(role)]}

    def evidence(self, text: str, previous: str, role: str, code: str, *,
                 hits: Sequence[RuleHit] | None = None,
                 vector: sparse.csr_matrix | None = None) -> tuple[str, ...]:
        """Why ``code`` applies: the phrases its rules matched and the nearest examples.

        ``hits`` and ``vector`` (the turn's :meth:`TurnVectorizer.text_matrix` row) may be
        passed when already computed.
        """
        turn_hits = hits if hits is not None else rule_hits(text, previous, role)
        found = [f'matched "{hit.phrase}"' for hit in turn_hits if hit.code == code]
        pool = self.neighbours_.get(code, [])
        if pool and self.n_neighbours:
            if vector is None:
                vector = self.vectorizers_[role].text_matrix([text])
            sims = (self._pool(code, role) @ vector.T).toarray().ravel()
            nearest = np.argsort(-sims, kind="stable")[: self.n_neighbours]
            found += [f'like training example "{pool[i]}"' for i in nearest if sims[i] > 0]
        return tuple(dict.fromkeys(found))

    def _pool(self, code: str, role: str) -> sparse.csr_matrix:
        # the training examples' vectors, built once per code (not learned state)
        cache: dict[str, sparse.csr_matrix] = self.__dict__.setdefault("_pool_cache", {})
        if code not in cache:
            cache[code] = self.vectorizers_[role].text_matrix(self.neighbours_[code])
        return cache[code]
