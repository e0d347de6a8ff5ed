"""The learned half of the risk coder: a cheap gate, a fine-tuned encoder, calibration.

>>> model = RiskModel().fit(rows, encoder_oof, encoder_file)  # doctest: +SKIP
>>> model.code_proba(["How's the week been?"], ["I just want it all to stop."])  # doctest: +SKIP

Three parts, all tuned inside the training data (the frozen evaluation set is never seen):

- the **phrases** of :mod:`rapport.risk.lexicon`: a turn that says it in so many words
  ("I've been cutting myself", "everyone would be better off without me") is flagged
  whatever the other parts say, with the phrases' measured precision as its probability;
- the **gate**, a logistic regression over words and risk phrases (no neural network),
  decides whether a turn could carry any risk at all, at the threshold that keeps 99.5% of
  the risk turns out of fold; ordinary talk stops here, cheaply;
- the **encoder** (:mod:`rapport.risk.encoder`, MiniLM fine-tuned on the same rows by
  ``training/finetune_risk.py``) reads the turns past the gate with the therapist's turn
  before them, and gives the five codes and "history"; its out-of-fold scores are
  calibrated per code (Platt scaling), and each code's threshold is the highest that
  keeps the out-of-fold recall of the whole cascade at the recall target (recall first:
  a missed disclosure costs more than a false alarm);
- the **reply reader**, a logistic regression over the reply's words, phrases and frozen
  MiniLM embedding: asked directly, explored, or moved on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy import sparse

from rapport.risk.codes import RISK_CODES, SELF_CODES
from rapport.risk.encoder import get_encoder
from rapport.risk.features import TurnFeatures, embed_turns
from rapport.risk.rules import rule_hits

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression

CODES = tuple(RISK_CODES)
REPLY_KINDS = ("asked_directly", "explored", "moved_on")
#: Out-of-fold recall each code's threshold keeps (suicide and self-harm first).
RECALL_TARGETS = {c: (0.92 if c in SELF_CODES else 0.90) for c in CODES}
GATE_RECALL = 0.995
#: "history" needs a clear lean: in doubt, urgent (the codebook's rule).
HISTORY_THRESHOLD = 0.6


@dataclass(frozen=True)
class Head:
    """A linear score or a probability, Platt-calibrated, with its decision threshold."""

    coef: np.ndarray
    intercept: float
    scale: float = 1.0
    shift: float = 0.0
    threshold: float = 0.5

    def proba(self, x: sparse.csr_matrix | np.ndarray) -> np.ndarray:
        score = np.asarray(x @ self.coef).ravel() + self.intercept
        return self.calibrate(score)

    def calibrate(self, score: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-(self.scale * score + self.shift))))


def rule_codes(texts: Sequence[str]) -> list[set[str]]:
    """The codes whose phrases each text says in so many words."""
    return [{h.code for h in rule_hits(t)} for t in texts]


def _lr(c: float, weighted: bool = True) -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced" if weighted else None,
                              max_iter=4000)


def folds_of(groups: Sequence[str], k: int, seed: int) -> list[np.ndarray]:
    """Row indices of each fold; rows of one group (an item, an AnnoMI video) stay together."""
    rng = np.random.default_rng(seed)
    uniq = np.array(sorted(set(groups)))
    rng.shuffle(uniq)
    fold_of = {g: i % k for i, g in enumerate(uniq)}
    assigned = np.array([fold_of[g] for g in groups])
    return [np.flatnonzero(assigned == f) for f in range(k)]


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    fit = LogisticRegression(C=1e4).fit(scores.reshape(-1, 1), y)
    return float(fit.coef_[0, 0]), float(fit.intercept_[0])


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


def recall_threshold(p: np.ndarray, y: np.ndarray, recall: float) -> float:
    """The highest threshold whose recall on ``y`` is at least ``recall``."""
    pos = np.sort(p[y == 1])
    if len(pos) == 0:
        return 0.5
    k = int(np.floor((1 - recall) * len(pos)))
    return float(pos[k] - 1e-9)


class RiskModel:
    """Scikit-learn-style estimator: keyword-only parameters, learned state ends in ``_``."""

    def __init__(self, *, c: float = 2.0, folds: int = 5, random_state: int = 0) -> None:
        self.c = c
        self.folds = folds
        self.random_state = random_state

    # -- fitting ----------------------------------------------------------------------
    def fit(self, rows: Sequence[dict[str, Any]], encoder_oof: np.ndarray,
            encoder_file: Path) -> RiskModel:
        """Fit the gate and the reply reader on the training rows, calibrate the encoder
        from its out-of-fold probabilities (``(len(rows), 6)``, from the fine-tuning run)."""
        from rapport.risk.encoder import file_sha256

        texts = [r["text"] for r in rows]
        y = np.array([r["labels"] for r in rows], dtype=int)
        folds = folds_of([r["group"] for r in rows], self.folds, self.random_state)
        self.features_ = TurnFeatures().fit(texts)
        gate_x = self.features_.transform(texts, None)
        self.gate_, gate_oof = self._fit_gate(gate_x, y.max(axis=1), folds)
        passed = gate_oof >= self.gate_.threshold
        self.encoder_file_ = encoder_file.name
        self.encoder_sha256_ = file_sha256(encoder_file)
        self.heads_: dict[str, Head] = {}
        self.oof_: dict[str, np.ndarray] = {}
        for j, code in enumerate(CODES):
            score = logit(encoder_oof[:, j])
            scale, shift = platt(score, y[:, j])
            head = Head(coef=np.zeros(0), intercept=0.0, scale=scale, shift=shift)
            oof = np.where(passed, head.calibrate(score), 0.0)
            self.oof_[code] = oof
            self.heads_[code] = replace(head, threshold=recall_threshold(
                oof, y[:, j], RECALL_TARGETS[code]))
        hist = np.array([r["history"] for r in rows])
        known = hist >= 0
        scale, shift = platt(logit(encoder_oof[known, 5]), hist[known])
        self.history_head_ = Head(coef=np.zeros(0), intercept=0.0, scale=scale, shift=shift,
                                  threshold=HISTORY_THRESHOLD)
        hits = rule_codes(texts)
        self.rule_precision_ = {}
        for j, code in enumerate(CODES):
            hit = np.array([code in h for h in hits])
            self.rule_precision_[code] = round(float((hit & (y[:, j] == 1)).sum())
                                               / max(1, int(hit.sum())), 3)
            self.oof_[code] = np.maximum(self.oof_[code], hit * self.rule_precision_[code])
            # the recall target holds for phrases and encoder together; a phrase still
            # fires whatever the threshold (its precision is above it or it decides)
            threshold = recall_threshold(self.oof_[code], y[:, j], RECALL_TARGETS[code])
            self.heads_[code] = replace(self.heads_[code], threshold=min(
                threshold, self.rule_precision_[code]))
        self._fit_reply(rows)
        return self

    def _fit_gate(self, x: sparse.csr_matrix, y: np.ndarray, folds: list[np.ndarray]
                  ) -> tuple[Head, np.ndarray]:
        scores = np.zeros(len(y))
        for test in folds:
            train = np.setdiff1d(np.arange(len(y)), test)
            clf = _lr(self.c).fit(x[train], y[train])
            scores[test] = clf.decision_function(x[test])
        scale, shift = platt(scores, y)
        oof = 1.0 / (1.0 + np.exp(-(scale * scores + shift)))
        clf = _lr(self.c).fit(x, y)
        return Head(coef=clf.coef_[0].copy(), intercept=float(clf.intercept_[0]), scale=scale,
                    shift=shift, threshold=recall_threshold(oof, y, GATE_RECALL)), oof

    def _fit_reply(self, rows: Sequence[dict[str, Any]]) -> None:
        replies = [r for r in rows if any(r["labels"]) and r.get("reply")
                   and r.get("response") in REPLY_KINDS]
        texts = [r["reply"] for r in replies]
        self.reply_features_ = TurnFeatures().fit(texts)
        x = self.reply_features_.transform(texts, embed_turns(texts))
        y = np.array([REPLY_KINDS.index(r["response"]) for r in replies])
        clf = _lr(self.c).fit(x, y)
        self.reply_coef_ = clf.coef_.copy()
        self.reply_intercept_ = clf.intercept_.copy()

    # -- predicting -------------------------------------------------------------------
    def load_encoder(self) -> None:
        """Load the encoder (otherwise loaded on first use, once per process)."""
        self._encoder()

    def _encoder(self) -> Any:
        return get_encoder(Path(__file__).resolve().parent / "models" / self.encoder_file_,
                           self.encoder_sha256_)

    def code_proba(self, contexts: Sequence[str], texts: Sequence[str]
                   ) -> dict[str, np.ndarray]:
        """Calibrated probability of each code per turn (0 for turns the gate stops:
        they never reach the encoder, which keeps ordinary talk cheap)."""
        probs = {code: np.zeros(len(texts)) for code in self.heads_}
        if not texts:
            return probs
        for r, found in enumerate(rule_codes(texts)):
            for code in found:
                probs[code][r] = self.rule_precision_[code]
        passed = np.flatnonzero(self.gate_.proba(self.features_.transform(texts, None))
                                >= self.gate_.threshold)
        if len(passed):
            raw = self._encoder().predict([contexts[int(i)] for i in passed],
                                          [texts[int(i)] for i in passed])
            for j, (code, head) in enumerate(self.heads_.items()):
                probs[code][passed] = np.maximum(probs[code][passed],
                                                 head.calibrate(logit(raw[:, j])))
        return probs

    def history_proba(self, contexts: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """Probability that the risk in each turn is past and over."""
        if not texts:
            return np.zeros(0)
        raw = self._encoder().predict(list(contexts), list(texts))
        return self.history_head_.calibrate(logit(raw[:, 5]))

    def reply_kind(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        """The kind of each therapist reply and its probability."""
        if not texts:
            return []
        x = self.reply_features_.transform(texts, embed_turns(texts))
        logits = np.asarray(x @ self.reply_coef_.T) + self.reply_intercept_
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return [(REPLY_KINDS[int(k)], float(p[r, k])) for r, k in enumerate(p.argmax(axis=1))]
