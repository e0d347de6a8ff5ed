"""The learned coder: two stacked logistic regressions per code, over whole dialogues.

>>> model = RelationshipModel().fit(dialogues)  # doctest: +SKIP
>>> model.predict_proba(dialogue)  # doctest: +SKIP  (turns x codes, NaN off-role)

**Stage 1** sees one turn: its words, the words of the turn it answers, cues and rule hits
(:class:`~rapport.coding.relationship.features.TurnVectorizer`). **Stage 2** sees the same
row plus stage 1's probabilities for the :attr:`offsets` turns before it, so a therapist
turn right after a client's objection can be a ``repair`` and advice two turns after a
granted permission can be ``persuade_with_permission``. Stage 2 learns from stage 1's
out-of-fold probabilities (folds by ``Dialogue.group``), never from probabilities of rows
it was fitted on.

**The shipped weights are the average of the fold models** (``final="fold_average"``, the
default): each stage's weights are the mean of its ``cv_folds`` out-of-fold models, the very
models whose scores the calibration and the feedback thresholds are chosen on. A linear
model's score is linear in its weights, so the shipped score of a turn is the mean of the
fold models' scores. A model refitted on all rows (``final="refit"``, the recipe before
issue 22's held-out gate) scores new turns more extremely than the out-of-fold scores its
thresholds came from, so held out it coded more turns at every threshold, and less
precisely (docs/models.md, "Feedback thresholds, held out").

Scores are Platt-calibrated on out-of-fold scores, and a turn is coded when its code is
more likely than not (``p >= 0.5``, :data:`DECISION`; the ``code_<name>`` columns). A
lower, F1-optimal cut would code more turns but, on real talk, mostly wrongly (``repair``
at p 0.15 was right one time in seven). Feedback a therapist reads must be right more
often still, so each code also gets ``feedback_[code]``: the
lowest threshold at which the 90% lower confidence bound of its out-of-fold precision
reaches 0.70 on at least 10 real predicted turns, with any one fold left out too, or
``None`` (the code is never used for feedback; the rule, its constants and why:
:mod:`~rapport.coding.relationship.threshold`; whether a shipped model's threshold is used:
:mod:`~rapport.coding.relationship.heldout`). ``cv_metrics_`` keeps
precision, recall, F1, support, predicted turns and ECE, measured on labelled real turns
only (written examples train but are never scored). ``feedback_evidence_`` keeps the
out-of-fold scores each feedback threshold was chosen on, so a benchmark can compare rules;
it is not saved with the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse

from rapport.coding.agreement import expected_calibration_error
from rapport.coding.relationship.codes import ALL_CODES, CODES_BY_ROLE, role_of
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.features import ROLES, TurnVectorizer
from rapport.coding.relationship.rules import RuleHit, rule_hits
from rapport.coding.relationship.threshold import (
    DECISION,
    FEEDBACK_MIN_SUPPORT,
    OutOfFold,
    feedback_threshold,
)
from rapport.domain import Role
from rapport.errors import RapportInputError

CODE_INDEX = {code: k for k, code in enumerate(ALL_CODES)}
#: How the shipped weights are made (:class:`RelationshipModel`'s ``final``).
FINAL_WEIGHTS = ("fold_average", "refit")


def prf(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    """Precision, recall, F1 and support of a binary code."""
    tp = float(np.sum(y_true & y_pred))
    precision = tp / max(float(y_pred.sum()), 1.0)
    recall = tp / max(float(y_true.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "support": float(y_true.sum())}


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -40, 40))))


class WordRow(NamedTuple):
    """One turn's row of a word matrix: its columns (ascending) and TF-IDF values."""

    indices: np.ndarray
    data: np.ndarray


@dataclass(frozen=True)
class RoleHeads:
    """The fitted linear heads of one role: columns follow ``CODES_BY_ROLE[role]``."""

    stage1: np.ndarray      # features x codes
    bias1: np.ndarray       # codes
    stage2: np.ndarray      # (features + stacked) x codes
    bias2: np.ndarray
    scale: np.ndarray       # Platt
    shift: np.ndarray
    threshold: np.ndarray


@dataclass
class _Rows:
    """The turns of one role across dialogues, with their features."""

    where: list[tuple[int, int]]    # (dialogue, turn)
    texts: list[str]
    previous: list[str]
    hits: list[list[RuleHit]]
    previous_hits: list[list[RuleHit]]
    groups: list[str]


def _rows_by_role(dialogues: Sequence[Dialogue]) -> dict[str, _Rows]:
    """The rows of each role; every turn's rule hits are computed once and reused as the
    answered-turn hits of the turn that answers it."""
    out = {role: _Rows([], [], [], [], [], []) for role in ROLES}
    for d_index, d in enumerate(dialogues):
        previous = [d.previous(i) for i in range(len(d.roles))]
        hits: dict[int, list[RuleHit]] = {}
        for i, role in enumerate(d.roles):
            if role not in out:
                continue
            j = previous[i]
            prev = d.texts[j] if j is not None else ""
            hits[i] = rule_hits(d.texts[i], prev, role)
            rows = out[role]
            rows.where.append((d_index, i))
            rows.texts.append(d.texts[i])
            rows.previous.append(prev)
            rows.hits.append(hits[i])
            rows.previous_hits.append(hits[j] if j is not None else [])
            rows.groups.append(d.group)
    return out


class RelationshipModel:
    """Scikit-learn-style estimator for the fifteen relationship codes.

    Parameters are keyword-only and stored unchanged; learned state ends in ``_``.
    ``synthetic_codes``: the codes for which written examples (groups ``example:``) count
    as training rows; for every other code they are context only. ``final``: the shipped
    weights, ``"fold_average"`` (the mean of the out-of-fold models) or ``"refit"`` (one
    more fit on every row).
    """

    def __init__(self, *, c: float = 4.0, rule_weight: float = 1.0,
                 context_weight: float = 0.5, embed_weight: float = 0.0,
                 stack_weight: float = 1.0, offsets: int = 4,
                 cv_folds: int = 5, random_state: int = 0,
                 synthetic_codes: Sequence[str] = (), final: str = "fold_average") -> None:
        self.c = c
        self.rule_weight = rule_weight
        self.context_weight = context_weight
        self.embed_weight = embed_weight
        self.stack_weight = stack_weight
        self.offsets = offsets
        self.cv_folds = cv_folds
        self.random_state = random_state
        self.synthetic_codes = tuple(synthetic_codes)
        self.final = final

    # -- fitting ---------------------------------------------------------------------------

    def _classifier(self, c: float | None = None):  # type: ignore[no-untyped-def]
        # scikit-learn only for fitting (importing it costs more than coding a session)
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(C=c or self.c, class_weight="balanced", max_iter=3000,
                                  solver="liblinear")

    def folds_of(self, groups: Sequence[str]) -> dict[str, int]:
        """A fold number per group: a fixed shuffle, then round robin."""
        unique = sorted(set(groups))
        order = np.random.default_rng(self.random_state).permutation(len(unique))
        return {unique[i]: n % self.cv_folds for n, i in enumerate(order)}

    def fit(self, dialogues: Sequence[Dialogue]) -> RelationshipModel:
        """Fit both stages for every code on the labelled turns; returns ``self``."""
        if (self.c <= 0 or self.cv_folds < 2 or self.offsets < 0
                or self.final not in FINAL_WEIGHTS):
            raise RapportInputError(
                f"bad parameters c={self.c}, cv_folds={self.cv_folds}, offsets={self.offsets}"
                f", final={self.final!r}",
                fix="use c > 0, cv_folds >= 2, offsets >= 0 and final in "
                    f"{', '.join(FINAL_WEIGHTS)}")
        fold_of = self.folds_of([d.group for d in dialogues])
        self.vectorizers_: dict[str, TurnVectorizer] = {}
        rows = _rows_by_role(dialogues)
        stage1_x: dict[str, sparse.csr_matrix] = {}
        oof1 = [np.zeros((len(d.texts), len(ALL_CODES))) for d in dialogues]
        stage1: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        labels: dict[str, np.ndarray] = {}
        for role in ROLES:
            r = rows[role]
            vec = TurnVectorizer(role=role, rule_weight=self.rule_weight,
                                 context_weight=self.context_weight,
                                 embed_weight=self.embed_weight).fit(r.texts, r.previous)
            self.vectorizers_[role] = vec
            x = vec.transform(r.texts, r.previous, r.hits, r.previous_hits)
            stage1_x[role] = x
            folds = np.array([fold_of[g] for g in r.groups])
            y, use = self._labels(dialogues, r, role)
            labels[role] = y
            self._check_support(role, y, use)
            scores, averaged = self._oof(x, y, use, folds)
            for n, (d_index, i) in enumerate(r.where):
                for k, code in enumerate(CODES_BY_ROLE[Role(role)]):
                    oof1[d_index][i, CODE_INDEX[code]] = _sigmoid(scores[n, k])
            stage1[role] = self._final(x, y, use, averaged)
        self.heads_: dict[str, RoleHeads] = {}
        self.cv_metrics_: dict[str, dict[str, float]] = {}
        self.feedback_: dict[str, float | None] = {}
        self.feedback_evidence_: dict[str, OutOfFold] = {}
        for role in ROLES:
            r = rows[role]
            x2 = self._stage2_matrix(stage1_x[role], r.where, oof1)
            folds = np.array([fold_of[g] for g in r.groups])
            w1, b1 = stage1[role]
            self.heads_[role] = self._fit_stage2(role, x2, r, folds, dialogues, w1, b1)
        return self

    def _fit_stage2(self, role: str, x2: sparse.csr_matrix, r: _Rows, folds: np.ndarray,
                    dialogues: Sequence[Dialogue], w1: np.ndarray, b1: np.ndarray
                    ) -> RoleHeads:
        """Stage 2 of one role, its calibration, thresholds and out-of-fold metrics."""
        y, use = self._labels(dialogues, r, role)
        real = np.array([not g.startswith("example:") for g in r.groups])
        scores, averaged = self._oof(x2, y, use, folds)
        w2, b2 = self._final(x2, y, use, averaged)
        scale, shift, threshold = [], [], []
        for k, code in enumerate(CODES_BY_ROLE[Role(role)]):
            gold = use[:, k] & real
            # calibrate on real turns when there are enough positives, else on all used
            calib = gold if y[gold, k].sum() >= FEEDBACK_MIN_SUPPORT else use[:, k]
            a, b = self._platt(scores[calib, k], y[calib, k])
            p = _sigmoid(a * scores[:, k] + b)
            t = DECISION
            scale.append(a)
            shift.append(b)
            threshold.append(t)
            metrics = prf(y[gold, k], p[gold] >= t)
            metrics["predicted"] = float(np.sum(p[gold] >= t))
            metrics["ece"] = expected_calibration_error(p[gold].tolist(), y[gold, k].tolist())
            metrics["threshold"] = t
            evidence = OutOfFold(y[gold, k], p[gold], folds[gold])
            fb = feedback_threshold(evidence.y, evidence.p, evidence.folds)
            if fb is not None:
                at = prf(y[gold, k], p[gold] >= fb)
                metrics.update(feedback_precision=at["precision"],
                               feedback_recall=at["recall"])
            self.cv_metrics_[code] = metrics
            self.feedback_[code] = fb
            self.feedback_evidence_[code] = evidence
        return RoleHeads(stage1=w1, bias1=b1, stage2=w2, bias2=b2, scale=np.array(scale),
                         shift=np.array(shift), threshold=np.array(threshold))

    def _labels(self, dialogues: Sequence[Dialogue], r: _Rows, role: str
                ) -> tuple[np.ndarray, np.ndarray]:
        codes = CODES_BY_ROLE[Role(role)]
        y = np.zeros((len(r.where), len(codes)), dtype=bool)
        use = np.zeros_like(y)
        for n, (d_index, i) in enumerate(r.where):
            d = dialogues[d_index]
            if not d.labelled(i):
                continue
            assert d.codes is not None
            turn_codes = d.codes[i] or frozenset()
            written = d.group.startswith("example:")
            for k, code in enumerate(codes):
                y[n, k] = code in turn_codes
                use[n, k] = not written or code in self.synthetic_codes
        return y, use

    def _check_support(self, role: str, y: np.ndarray, use: np.ndarray) -> None:
        for k, code in enumerate(CODES_BY_ROLE[Role(role)]):
            pos = int((y[:, k] & use[:, k]).sum())
            if pos < self.cv_folds or int((~y[:, k] & use[:, k]).sum()) < self.cv_folds:
                raise RapportInputError(
                    f"code {code!r} has {pos} positive examples to learn from",
                    fix=f"give it at least {self.cv_folds}, or add written examples for it "
                        "(synthetic_codes)")

    def _oof(self, x: sparse.csr_matrix, y: np.ndarray, use: np.ndarray,
             folds: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """Out-of-fold decision scores for every row and code (rows left out score too),
        and the mean weights and bias of the fold models of each code."""
        out = np.zeros(y.shape)
        w = np.zeros((x.shape[1], y.shape[1]))
        b = np.zeros(y.shape[1])
        fitted = np.zeros(y.shape[1])
        for f in range(self.cv_folds):
            test = folds == f
            for k in range(y.shape[1]):
                train = ~test & use[:, k]
                if y[train, k].all() or not y[train, k].any():
                    continue
                clf = self._classifier().fit(x[train], y[train, k])
                out[test, k] = clf.decision_function(x[test])
                w[:, k] += clf.coef_[0]
                b[k] += clf.intercept_[0]
                fitted[k] += 1
        # the mean over the folds whose training part had both classes (a fold left out
        # for want of positives adds nothing)
        return out, (w / np.maximum(fitted, 1), b / np.maximum(fitted, 1))

    def _final(self, x: sparse.csr_matrix, y: np.ndarray, use: np.ndarray,
               averaged: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """The shipped weights of one stage: the fold models' mean, or a refit on all rows."""
        return averaged if self.final == "fold_average" else self._fit_all(x, y, use)

    def _fit_all(self, x: sparse.csr_matrix, y: np.ndarray, use: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
        w = np.zeros((x.shape[1], y.shape[1]))
        b = np.zeros(y.shape[1])
        for k in range(y.shape[1]):
            clf = self._classifier().fit(x[use[:, k]], y[use[:, k], k])
            w[:, k] = clf.coef_[0]
            b[k] = clf.intercept_[0]
        return w, b

    @staticmethod
    def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
        from sklearn.linear_model import LogisticRegression

        platt = LogisticRegression(C=1e4).fit(scores[:, None], y)
        return float(platt.coef_[0, 0]), float(platt.intercept_[0])

    def _stage2_matrix(self, x1: sparse.csr_matrix, where: Sequence[tuple[int, int]],
                       probs: Sequence[np.ndarray]) -> sparse.csr_matrix:
        width = len(ALL_CODES)
        stacked = np.zeros((len(where), self.offsets * width))
        for n, (d_index, i) in enumerate(where):
            p = probs[d_index]
            for o in range(1, self.offsets + 1):
                if i - o >= 0:
                    stacked[n, (o - 1) * width:o * width] = p[i - o]
        return sparse.csr_matrix(sparse.hstack([
            x1, sparse.csr_matrix(self.stack_weight * stacked)]))

    # -- predicting ------------------------------------------------------------------------

    def predict_proba(self, dialogue: Dialogue) -> np.ndarray:
        """Calibrated P(code) per turn and code (columns :data:`ALL_CODES`); NaN off-role."""
        return self.predict_many([dialogue])[0]

    def predict_many(self, dialogues: Sequence[Dialogue]) -> list[np.ndarray]:
        """:meth:`predict_proba` of several dialogues at once."""
        rows = _rows_by_role(dialogues)
        x1: dict[str, sparse.csr_matrix] = {}
        stage1 = [np.zeros((len(d.texts), len(ALL_CODES))) for d in dialogues]
        for role in ROLES:
            r = rows[role]
            if not r.where:
                continue
            x1[role] = self.vectorizers_[role].transform(r.texts, r.previous, r.hits,
                                                         r.previous_hits)
            heads = self.heads_[role]
            p = _sigmoid(x1[role] @ heads.stage1 + heads.bias1)
            for n, (d_index, i) in enumerate(r.where):
                for k, code in enumerate(CODES_BY_ROLE[Role(role)]):
                    stage1[d_index][i, CODE_INDEX[code]] = p[n, k]
        out = [np.full((len(d.texts), len(ALL_CODES)), np.nan) for d in dialogues]
        for role in ROLES:
            r = rows[role]
            if not r.where:
                continue
            heads = self.heads_[role]
            z = self._stage2_matrix(x1[role], r.where, stage1) @ heads.stage2 + heads.bias2
            p = _sigmoid(heads.scale * z + heads.shift)
            for n, (d_index, i) in enumerate(r.where):
                for k, code in enumerate(CODES_BY_ROLE[Role(role)]):
                    out[d_index][i, CODE_INDEX[code]] = p[n, k]
        return out

    def threshold(self, code: str) -> float:
        """The operating threshold of ``code``: P at or above it codes the turn."""
        role = role_of(code)
        return float(self.heads_[role.value].threshold[CODES_BY_ROLE[role].index(code)])

    def evidence(self, text: str, previous: str, role: str, code: str, *,
                 hits: Sequence[RuleHit] | None = None, limit: int = 3,
                 words: WordRow | None = None) -> tuple[str, ...]:
        """Why ``code`` applies: the phrases its rules matched, then its strongest words.

        ``words``: the turn's row of the role's word matrix, when the caller already has
        it (:meth:`word_rows` builds them for many turns in one pass).
        """
        turn_hits = hits if hits is not None else rule_hits(text, previous, role)
        found = [f'matched "{hit.phrase}"' for hit in turn_hits if hit.code == code]
        row = words if words is not None else self.word_rows([text], role)[0]
        k = CODES_BY_ROLE[Role(role)].index(code)
        # each word's share of the score: its TF-IDF times its stage-2 weight
        contrib = row.data * self.heads_[role].stage2[row.indices, k]
        vocab = self.vectorizers_[role].word_vocab_
        order = np.argsort(-contrib, kind="stable")
        strongest = [vocab[int(row.indices[j])] for j in order if contrib[j] > 0]
        if strongest[:limit]:
            found.append("words: " + ", ".join(f'"{w}"' for w in strongest[:limit]))
        return tuple(dict.fromkeys(found))

    def word_rows(self, texts: Sequence[str], role: str) -> list[WordRow]:
        """The TF-IDF word row of each of ``texts`` by ``role``'s vocabulary (one matrix
        for all of them: building it costs about as much per call as per row)."""
        rows = self.vectorizers_[role].word_matrix(texts)
        rows.sort_indices()
        ptr = rows.indptr
        return [WordRow(rows.indices[ptr[n]:ptr[n + 1]], rows.data[ptr[n]:ptr[n + 1]])
                for n in range(len(texts))]
