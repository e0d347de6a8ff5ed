"""Fitting the judge's verdict layer, tuned only by cross-validation grouped by drill.

    python -m rapport.practice.judging.training    # writes judging/models/verdict.json

Training rows: the development replies (``data/practice/dev/replies.jsonl``) with the
independent pass-A verdicts (``dev/pass-a.jsonl``); never the evaluation set. The drills'
own exemplars and mistakes are not rows here: the phrase rules were written from them and
they are what the similarity features compare a reply with (and rows made from them,
tried at weights 0.25-1, lowered the cross-validated agreement). Deterministic: a fixed
fold per drill, a convex fit, rows in file order. Also writes the drill texts' embeddings.
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
from rapport.practice.judging.model import MODEL_PATH, fold_under_cap, save_model
from rapport.practice.judging.signals import read_signals

DEV = Path(__file__).resolve().parents[3] / "data" / "practice" / "dev"
FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0)
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
    weight: np.ndarray
    is_dev: np.ndarray


def _row(drill: Drill, reply: str) -> tuple[np.ndarray, str]:
    signals = read_signals(drill, reply)
    codes = find_codes(drill, reply, signals)
    reading = rules.read(drill, reply, codes)
    return feature_vector(reply, reading, signals), reading.cap


def build_rows(dev_dir: Path = DEV) -> Rows:
    from rapport.practice.evalset import load_codings, load_replies

    drills = {d.id: d for d in load_drills()}
    coded = load_codings(dev_dir / "pass-a.jsonl")
    replies = [r for r in load_replies(dev_dir / "replies.jsonl") if r.id in coded]
    xs, caps = [], []
    for reply in replies:
        x, cap = _row(drills[reply.drill_id], reply.reply.strip())
        xs.append(x)
        caps.append(cap)
    return Rows(ids=[r.id for r in replies], drill_ids=[r.drill_id for r in replies],
                skills=[drills[r.drill_id].skill for r in replies], x=np.array(xs),
                y=np.array([VERDICTS.index(coded[r.id].verdict) for r in replies]), caps=caps,
                weight=np.ones(len(replies)), is_dev=np.ones(len(replies), dtype=bool))


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
    return np.array([fold_under_cap(p, cap) for p, cap in zip(out, rows.caps, strict=True)])


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


def train(path: Path = MODEL_PATH) -> dict[str, Any]:
    from rapport.practice.judging.signals import save_drill_embeddings

    save_drill_embeddings(load_drills())
    rows = build_rows()
    c, bar, card = choose(rows)
    coef, intercept, mean, scale = _fit(rows.x, rows.y, rows.weight, c)
    card["dev_labels_sha256"] = hashlib.sha256((DEV / "pass-a.jsonl").read_bytes()).hexdigest()
    save_model(path, coef=coef, intercept=intercept, mean=mean, scale=scale,
               unsure_below=bar, card={"cv": card})
    return {**card, "unsure_below": bar}


if __name__ == "__main__":
    print(train())  # noqa: T201
