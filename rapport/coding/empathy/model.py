"""The learned empathy model: cumulative logistic regressions per EPITOME mechanism.

>>> model = EmpathyModel(c=4.0).fit(sessions)  # doctest: +SKIP
>>> model.predict_many([dialogue])[0].shape  # doctest: +SKIP  (turns, 3 mechanisms, 3 levels)

A therapist turn is read as the relationship coder reads it
(:class:`~rapport.coding.relationship.features.TurnVectorizer`): TF-IDF word 1–2-grams
of the turn and of the turn it answers (the preceding client turn, EPITOME's seeker post),
length and question cues, and the frozen MiniLM embeddings of both with their cosine. The
relationship coder's phrase rules are left out (they added nothing measurable here and
cost a fifth of a millisecond a turn). Because the embeddings are those of the same
texts, one run embeds each utterance once for both coders (the embedder's cache).

Each mechanism has two heads, P(rating ≥ 1) and P(rating ≥ 2) (an ordinal model split
into binary ones; Frank & Hall 2001), fitted on every coding pass of a turn (a
double-coded turn's two passes weigh half each). Where a level has too few ratings to
learn from (``er`` = 2: a handful in the gold), P(≥ 2) is P(≥ 1) times the training share
of strong among rated turns. The three levels' probabilities give the expected rating,
which the coder writes to one decimal, and the probability of the whole level nearest it
(the confidence; :mod:`~rapport.coding.empathy.ratings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

from rapport.coding.empathy.codes import LEVELS, MECHANISMS
from rapport.coding.empathy.data import RatedSession
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.features import TurnVectorizer
from rapport.errors import RapportInputError

THERAPIST = "therapist"
#: Heads in column order: (er >= 1, er >= 2, ip >= 1, ip >= 2, ex >= 1, ex >= 2).
HEADS = tuple((m, k) for m in MECHANISMS for k in range(1, LEVELS))


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40))))


def therapist_rows(dialogue: Dialogue) -> tuple[list[int], list[str], list[str]]:
    """(positions, texts, seeker posts) of a dialogue's therapist turns.

    The seeker post is the nearest earlier client turn ("" at the start of a session).
    """
    where, texts, seekers = [], [], []
    for i, role in enumerate(dialogue.roles):
        if role != THERAPIST:
            continue
        j = dialogue.previous(i)
        where.append(i)
        texts.append(dialogue.texts[i])
        seekers.append(dialogue.texts[j] if j is not None else "")
    return where, texts, seekers


def training_rows(sessions: Sequence[RatedSession]
                  ) -> tuple[list[str], list[str], list[str], np.ndarray, np.ndarray,
                             np.ndarray]:
    """Rated therapist turns of ``sessions``: texts, seekers, groups, and the pass rows.

    Returns ``(texts, seekers, groups, row_of, ratings, weights)``: one entry of the last
    three per (turn, pass); ``row_of`` points into the first three.
    """
    texts: list[str] = []
    seekers: list[str] = []
    groups: list[str] = []
    row_of: list[int] = []
    ratings: list[tuple[float, float, float]] = []
    weights: list[float] = []
    for s in sessions:
        where, t, p = therapist_rows(s.dialogue)
        seeker_of = dict(zip(where, p, strict=True))
        text_of = dict(zip(where, t, strict=True))
        for i in s.rated_turns():
            rated = [ps[i] for ps in s.passes if i in ps]
            if i not in text_of or not rated:
                continue
            for rating in rated:
                row_of.append(len(texts))
                ratings.append(rating)
                weights.append(1.0 / len(rated))
            texts.append(text_of[i])
            seekers.append(seeker_of[i])
            groups.append(s.dialogue.group)
    return (texts, seekers, groups, np.array(row_of, dtype=np.int64),
            np.array(ratings, dtype=np.float64).reshape(-1, len(MECHANISMS)),
            np.array(weights))


class EmpathyModel:
    """Scikit-learn-style estimator of the three EPITOME mechanisms of therapist turns.

    Parameters are keyword-only and stored unchanged; learned state ends in ``_``.
    ``min_positives``: the weighted count of ratings at a level below which its head is
    the fixed share described in the module docstring.
    """

    def __init__(self, *, c: float = 4.0, context_weight: float = 0.5,
                 embed_weight: float = 1.0, min_positives: float = 15.0,
                 random_state: int = 0) -> None:
        self.c = c
        self.context_weight = context_weight
        self.embed_weight = embed_weight
        self.min_positives = min_positives
        self.random_state = random_state

    def new_vectorizer(self) -> TurnVectorizer:
        """An unfitted vectorizer with this model's parameters."""
        return TurnVectorizer(role=THERAPIST, rule_weight=0.0,
                              context_weight=self.context_weight,
                              embed_weight=self.embed_weight)

    def fit(self, sessions: Sequence[RatedSession]) -> EmpathyModel:
        """Fit the six heads on every rated therapist turn of ``sessions``; returns self."""
        if self.c <= 0 or self.min_positives < 1:
            raise RapportInputError(
                f"bad parameters c={self.c}, min_positives={self.min_positives}",
                fix="use c > 0 and min_positives >= 1")
        texts, seekers, _, row_of, ratings, weights = training_rows(sessions)
        if not texts:
            raise RapportInputError("no rated therapist turns to learn from",
                                    fix="train on gold transcripts with empathy ratings")
        self.vectorizer_ = self.new_vectorizer().fit(texts, seekers)
        #: Filled by training: cross-validated figures kept in the model file.
        self.cv_metrics_: dict[str, Any] = {}
        x = self.vectorizer_.transform(texts, seekers)[row_of]
        self.weights_ = np.zeros((x.shape[1], len(HEADS)))
        self.bias_ = np.zeros(len(HEADS))
        #: NaN for a learned head, else the fixed share P(>= k | >= k - 1).
        self.ratio_ = np.full(len(HEADS), np.nan)
        for h, (mechanism, level) in enumerate(HEADS):
            m = MECHANISMS.index(mechanism)
            y = ratings[:, m] >= level
            if min(weights[y].sum(), weights[~y].sum()) >= self.min_positives:
                clf = self._classifier().fit(x, y, sample_weight=weights)
                self.weights_[:, h] = clf.coef_[0]
                self.bias_[h] = clf.intercept_[0]
            else:
                below = ratings[:, m] >= level - 1
                self.ratio_[h] = float(weights[y].sum() / max(weights[below].sum(), 1e-9))
        return self

    def _classifier(self) -> Any:
        # scikit-learn only for fitting (importing it costs more than coding a session)
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=self.c, max_iter=3000, solver="liblinear",
                                  random_state=self.random_state)

    def predict_rows(self, texts: Sequence[str], seekers: Sequence[str]) -> np.ndarray:
        """P(level) per turn, mechanism and level: shape ``(turns, 3, 3)``."""
        out = np.zeros((len(texts), len(MECHANISMS), LEVELS))
        if not texts:
            return out
        x: sparse.csr_matrix = self.vectorizer_.transform(texts, seekers)
        z = np.asarray(x @ self.weights_) + self.bias_
        for m in range(len(MECHANISMS)):
            above = np.ones(len(texts))  # P(>= 0)
            for level in range(1, LEVELS):
                h = HEADS.index((MECHANISMS[m], level))
                q = (above * self.ratio_[h] if not np.isnan(self.ratio_[h])
                     else _sigmoid(z[:, h]))
                q = np.minimum(q, above)  # cumulative probabilities never rise
                out[:, m, level - 1] = above - q
                above = q
            out[:, m, LEVELS - 1] = above
        return out

    def predict_many(self, dialogues: Sequence[Dialogue]) -> list[np.ndarray]:
        """:meth:`predict_rows` per dialogue, at the dialogue's positions (NaN on turns
        that are not the therapist's); all dialogues' turns in one matrix product."""
        where, texts, seekers, owner = [], [], [], []
        for d_index, d in enumerate(dialogues):
            w, t, s = therapist_rows(d)
            where += w
            texts += t
            seekers += s
            owner += [d_index] * len(w)
        probs = self.predict_rows(texts, seekers)
        out = [np.full((len(d.texts), len(MECHANISMS), LEVELS), np.nan) for d in dialogues]
        for n, (d_index, i) in enumerate(zip(owner, where, strict=True)):
            out[d_index][i] = probs[n]
        return out


def expected(probs: np.ndarray) -> np.ndarray:
    """Expected rating per mechanism, ``(..., 3)`` from ``(..., 3, 3)`` probabilities."""
    return np.asarray(probs @ np.arange(LEVELS, dtype=np.float64))


def total_distribution(probs: np.ndarray) -> np.ndarray:
    """P(sum of one rater's three ratings = s), s = 0..6, per turn (``(n, 7)``).

    The mechanisms are treated as independent given the turn (the model fits them apart).
    """
    out = np.ones((probs.shape[0], 1))
    for m in range(probs.shape[1]):
        out = _convolve(out, probs[:, m, :])
    return out


def _convolve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise distribution of the sum of two independent integer ratings."""
    out = np.zeros((a.shape[0], a.shape[1] + b.shape[1] - 1))
    for k in range(b.shape[1]):
        out[:, k:k + a.shape[1]] += a * b[:, k:k + 1]
    return out
