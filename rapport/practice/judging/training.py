"""Fitting the judge's learned parts, tuned only by cross-validation grouped by drill.

    python -m rapport.practice.judging.training    # writes judging/models/*.json

Training rows: the development replies, both batches (``data/practice/dev/replies.jsonl``
with the independent pass-A coding ``pass-a.jsonl``, and ``replies-2.jsonl`` with
``pass-2.jsonl``; 720 in all); never the evaluation set. Two stages:

1. the learned code detectors and the direct verdict model (``judging/learned.py``) over
   the reply's embedding, the coders' probabilities and the phrase-rule hits;
2. the verdict layer (``judging/model.py``) over the rule reading (with the learned advice
   code), the similarities and stage 1's probabilities.

Stage 1's outputs that stage 2 trains on are out of fold (each row's from stage-1 models
that never saw its drill), so stage 2 learns how far to trust them on new wording. The
drills' own exemplars and mistakes are not rows (the phrase rules were written from them,
and the similarity features compare a reply with them). Deterministic: a fixed fold per
drill, convex fits, rows in file order. Also writes the drill texts' embeddings.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rapport.practice.drills import Drill, load_drills
from rapport.practice.judgement import VERDICTS
from rapport.practice.judging import rules
from rapport.practice.judging.codes import find_codes
from rapport.practice.judging.features import feature_vector
from rapport.practice.judging.learned import (
    DETECTED,
    LEARNED_PATH,
    Learned,
    Linear,
    input_vector,
    save_learned,
    with_skill,
)
from rapport.practice.judging.model import MODEL_PATH, fold_under_cap, save_model
from rapport.practice.judging.phrases import rule_hits, without_repeats
from rapport.practice.judging.signals import Signals, read_signals

DEV = Path(__file__).resolve().parents[3] / "data" / "practice" / "dev"
FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0)
#: Stage 1 (chosen in grouped cross-validation on the 720 replies): the detectors' and the
#: direct model's C, and the advice detector's bar for adding the code (recall-first).
DETECTOR_C = 0.05
DIRECT_C = 0.05
ADVICE_BAR = 0.5
#: The coded development batches: (replies, coding), both optional past the first.
BATCHES = (("replies.jsonl", "pass-a.jsonl"), ("replies-2.jsonl", "pass-2.jsonl"))
#: The share of development replies the judge may call unsure (the bar is the highest
#: confidence at which no more than this share falls below it, out of fold).
UNSURE_SHARE = 0.2


@dataclass
class Rows:
    ids: list[str]
    drill_ids: list[str]
    skills: list[str]
    x: np.ndarray
    y: np.ndarray  # index into VERDICTS
    caps: list[str]
    floors: list[str]
    weight: np.ndarray
    is_dev: np.ndarray
    codes: list[frozenset[str]]  # the judge's codes, with the out-of-fold advice detector
    gold_codes: list[frozenset[str]]


@dataclass(frozen=True)
class _Raw:
    """One coded reply and what the fixed coders read in it (no learned part yet)."""

    id: str
    drill: Drill
    reply: str
    signals: Signals
    x: np.ndarray  # the learned parts' inputs
    y: int
    gold_codes: frozenset[str]


def _raw_rows(dev_dir: Path) -> list[_Raw]:
    from rapport.practice.evalset import load_codings, load_replies

    drills = {d.id: d for d in load_drills()}
    out = []
    for replies_name, coding_name in BATCHES:
        if not (dev_dir / coding_name).exists():
            continue
        coded = load_codings(dev_dir / coding_name)
        for reply in load_replies(dev_dir / replies_name):
            if reply.id not in coded:
                continue
            drill, text = drills[reply.drill_id], without_repeats(reply.reply.strip())
            signals = read_signals(drill, text)
            x = input_vector(signals, frozenset(h.code for h in rule_hits(text)))
            out.append(_Raw(reply.id, drill, text, signals, x,
                            VERDICTS.index(coded[reply.id].verdict), coded[reply.id].codes))
    return out


def _linear(x: np.ndarray, y: np.ndarray, c: float, *, balanced: bool) -> Linear:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-4] = 1.0  # near-constant inputs: the file keeps 6 decimals
    clf = LogisticRegression(C=c, max_iter=5000, class_weight="balanced" if balanced else None)
    clf.fit((x - mean) / scale, y)
    if balanced:  # a binary detector: one row of weights
        return Linear(clf.coef_.copy(), clf.intercept_.copy(), mean, scale)
    coef = np.zeros((len(VERDICTS), x.shape[1]))
    intercept = np.full(len(VERDICTS), -30.0)
    coef[clf.classes_] = clf.coef_
    intercept[clf.classes_] = clf.intercept_
    return Linear(coef, intercept, mean, scale)


def fit_learned(raws: list[_Raw], advice_bar: float = ADVICE_BAR) -> Learned:
    """Stage 1 on ``raws``: a detector per code in DETECTED and the direct verdict model."""
    x = np.array([r.x for r in raws])
    detectors = {code: _linear(x, np.array([int(code in r.gold_codes) for r in raws]),
                               DETECTOR_C, balanced=True) for code in DETECTED}
    direct = _linear(np.array([with_skill(r.x, r.drill.skill) for r in raws]),
                     np.array([r.y for r in raws]), DIRECT_C, balanced=False)
    return Learned(detectors, advice_bar, direct,
                   {"detector_c": DETECTOR_C, "direct_c": DIRECT_C, "rows": len(raws)})


def _row(raw: _Raw, learned: Learned) -> tuple[np.ndarray, str, frozenset[str], str]:
    codes = find_codes(raw.drill, raw.reply, raw.signals, learned)
    reading = rules.read(raw.drill, raw.reply, codes)
    x = feature_vector(raw.reply, reading, raw.signals, learned.code_probabilities(raw.x),
                       learned.verdict_probabilities(raw.x, raw.drill.skill))
    return x, reading.cap, frozenset(c.code for c in codes), reading.floor


def build_rows(dev_dir: Path = DEV, raws: list[_Raw] | None = None) -> Rows:
    """The verdict layer's rows, each with stage-1 models fitted without its drill."""
    raws = raws if raws is not None else _raw_rows(dev_dir)
    folds = np.array([fold_of(r.drill.id) for r in raws])
    built: list[tuple[np.ndarray, str, frozenset[str], str]] = [None] * len(raws)  # type: ignore[list-item]
    for f in range(FOLDS):
        learned = fit_learned([r for r, g in zip(raws, folds, strict=True) if g != f])
        for i in np.flatnonzero(folds == f):
            built[i] = _row(raws[i], learned)
    n = len(raws)
    return Rows(ids=[r.id for r in raws], drill_ids=[r.drill.id for r in raws],
                skills=[r.drill.skill for r in raws], x=np.array([b[0] for b in built]),
                y=np.array([r.y for r in raws]), caps=[b[1] for b in built],
                floors=[b[3] for b in built],
                weight=np.ones(n), is_dev=np.ones(n, dtype=bool),
                codes=[b[2] for b in built], gold_codes=[r.gold_codes for r in raws])


def fold_of(drill_id: str) -> int:
    """A drill's fold, from a hash of its id (stable whatever else is in the data)."""
    return int(hashlib.sha256(drill_id.encode()).hexdigest(), 16) % FOLDS


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, c: float
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    clf = LogisticRegression(C=c, max_iter=5000)
    clf.fit((x - mean) / scale, y, sample_weight=w)
    coef = np.zeros((len(VERDICTS), x.shape[1]))
    intercept = np.full(len(VERDICTS), -30.0)
    coef[clf.classes_] = clf.coef_
    intercept[clf.classes_] = clf.intercept_
    return coef, intercept, mean, scale


def _proba(x: np.ndarray, coef: np.ndarray, intercept: np.ndarray, mean: np.ndarray,
           scale: np.ndarray) -> np.ndarray:
    z = ((x - mean) / scale) @ coef.T + intercept
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


def out_of_fold(rows: Rows, c: float) -> np.ndarray:
    """Folded probabilities of every row from a model that never saw its drill."""
    folds = np.array([fold_of(d) for d in rows.drill_ids])
    out = np.zeros((len(rows.y), len(VERDICTS)))
    for f in range(FOLDS):
        test = folds == f
        params = _fit(rows.x[~test], rows.y[~test], rows.weight[~test], c)
        out[test] = _proba(rows.x[test], *params)
    return np.array([fold_under_cap(p, cap, floor)
                     for p, cap, floor in zip(out, rows.caps, rows.floors, strict=True)])


def _score(rows: Rows, p: np.ndarray) -> tuple[float, float]:
    use = rows.is_dev if rows.is_dev.any() else np.ones(len(rows.y), dtype=bool)
    accuracy = float(np.mean(p[use].argmax(axis=1) == rows.y[use]))
    log_loss = float(-np.mean(np.log(np.clip(p[use, rows.y[use]], 1e-9, 1))))
    return accuracy, log_loss


def unsure_bar(confidence: np.ndarray) -> float:
    """Highest bar (0.40-0.80 by 0.05) under which at most UNSURE_SHARE of rows fall."""
    best = 0.4
    for bar in np.round(np.arange(0.40, 0.801, 0.05), 2):
        if np.mean(confidence < bar) <= UNSURE_SHARE:
            best = float(bar)
    return best


def choose(rows: Rows) -> tuple[float, float, dict[str, Any]]:
    """C and the unsure bar by grouped cross-validation; the CV summary for the card."""
    scored = {c: _score(rows, out_of_fold(rows, c)) for c in C_GRID}
    c = max(C_GRID, key=lambda k: (scored[k][0], -scored[k][1]))
    p = out_of_fold(rows, c)
    use = rows.is_dev if rows.is_dev.any() else np.ones(len(rows.y), dtype=bool)
    bar = unsure_bar(p[use].max(axis=1))
    return c, bar, {"c": c, "cv_accuracy_by_c": {str(k): round(v[0], 3)
                                                  for k, v in scored.items()},
                    "rows": {"dev": int(rows.is_dev.sum())}}


def train(path: Path = MODEL_PATH, learned_path: Path = LEARNED_PATH) -> dict[str, Any]:
    from rapport.practice.judging.signals import save_drill_embeddings

    save_drill_embeddings(load_drills())
    raws = _raw_rows(DEV)
    rows = build_rows(raws=raws)
    c, bar, card = choose(rows)
    coef, intercept, mean, scale = _fit(rows.x, rows.y, rows.weight, c)
    card["dev_labels_sha256"] = {name: hashlib.sha256((DEV / name).read_bytes()).hexdigest()
                                 for _, name in BATCHES if (DEV / name).exists()}
    save_learned(learned_path, fit_learned(raws))
    # the verdict layer was fitted for these stage-1 models (tests check the pair matches)
    card["learned_sha256"] = hashlib.sha256(learned_path.read_bytes()).hexdigest()
    save_model(path, coef=coef, intercept=intercept, mean=mean, scale=scale,
               unsure_below=bar, card={"cv": card})
    return {**card, "unsure_below": bar}


if __name__ == "__main__":
    print(train())  # noqa: T201
