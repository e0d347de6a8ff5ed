"""Train the empathy model on the real-talk gold's empathy layer and ship it.

    rapport train empathy [--gold FILE] [--out DIR]
    python -m rapport.coding.empathy.training [--gold FILE] [--out DIR] [--c C ...]

The model learns from every transcript outside the frozen evaluation split of
``plan.json`` (86 development transcripts, all double-coded since 2026-12-07; a
single-coded transcript, if a gold has one, is learnt from its one pass), whole
transcripts at a time. The regularisation ``c`` is picked by out-of-fold Spearman of the
turns' summed empathy against the gold, over 5 folds grouped by source video; the chosen
``c``'s out-of-fold figures are kept in the model file. Deterministic: the same data give
the same files, byte for byte. Two presets, one file each, the same recipe and data:
``fast`` (words and context; the default of ``rapport code``, no ONNX Runtime) and
``accurate`` (plus frozen MiniLM embeddings of the turn and its seeker post).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rapport.coding.empathy.data import GOLD_FILE, RatedSession, rated_sessions, split
from rapport.coding.empathy.model import EmpathyModel
from rapport.coding.empathy.persist import MODEL_DIR, MODEL_NAMES, model_name, save_model
from rapport.coding.empathy.ratings import nearest_whole, turn_ratings
from rapport.coding.empathy.scoring import (
    RatingTable,
    calibration,
    correlations,
    pair,
    spearman,
)
from rapport.coding.relationship.data import file_sha256
from rapport.errors import RapportInputError

#: The grid of ``c`` searched; the other parameters are fixed (:func:`make_model`).
C_GRID = (1.0, 4.0, 16.0)
FOLDS = 5
#: ``transcript -> (turns, 3, 3)`` level probabilities (NaN off therapist turns).
Probabilities = dict[str, np.ndarray]


#: The embeddings' weight per preset: all that differs between the two models.
EMBED_WEIGHT = {"fast": 0.0, "accurate": 1.0}


def make_model(c: float, preset: str = "accurate") -> EmpathyModel:
    return EmpathyModel(c=c, embed_weight=EMBED_WEIGHT[preset])


def folds_of(groups: Sequence[str], folds: int = FOLDS, seed: int = 0) -> dict[str, int]:
    """A fold number per group (source video): a fixed shuffle, then round robin."""
    unique = sorted(set(groups))
    order = np.random.default_rng(seed).permutation(len(unique))
    return {unique[i]: n % folds for n, i in enumerate(order)}


def out_of_fold(sessions: Sequence[RatedSession], c: float, *, folds: int = FOLDS,
                preset: str = "accurate") -> Probabilities:
    """Each transcript's probabilities from a model fitted without its video."""
    fold_of = folds_of([s.dialogue.group for s in sessions], folds)
    out: Probabilities = {}
    for f in range(folds):
        test = [s for s in sessions if fold_of[s.dialogue.group] == f]
        if not test:
            continue
        model = make_model(c, preset).fit(
            [s for s in sessions if fold_of[s.dialogue.group] != f])
        for s, probs in zip(test, model.predict_many([s.dialogue for s in test]),
                            strict=True):
            out[s.key] = probs
    return out


def predict(model: EmpathyModel, sessions: Sequence[RatedSession]) -> Probabilities:
    probs = model.predict_many([s.dialogue for s in sessions])
    return {s.key: p for s, p in zip(sessions, probs, strict=True)}


def predicted_table(sessions: Sequence[RatedSession], probs: Probabilities
                    ) -> RatingTable:
    """The values the coder writes for the gold-rated turns, as a rating table."""
    values: dict[str, dict[int, tuple[float, ...]]] = {}
    for s in sessions:
        turns = s.rated_turns()
        out = turn_ratings(np.stack([probs[s.key][i] for i in turns]))
        values[s.key] = {i: tuple(out.mechanisms[n]) for n, i in enumerate(turns)}
    return values


def gold_table(sessions: Sequence[RatedSession]) -> RatingTable:
    return {s.key: s.gold for s in sessions}


def selection_score(sessions: Sequence[RatedSession], probs: Probabilities) -> float:
    """What ``c`` is chosen by: Spearman of the turns' summed empathy with the gold."""
    values = predicted_table(sessions, probs)
    p = pair(values, gold_table(sessions))
    return spearman(p.turns_a[:, 3], p.turns_b[:, 3])


def confidence_calibration(sessions: Sequence[RatedSession], probs: Probabilities
                           ) -> dict[str, dict[str, float]]:
    """Calibration of the confidences: is the whole number nearest the value the one a
    rater gave, as often as the confidence says? (Every coding pass counts.)"""
    conf, hit, total_conf, total_hit = [], [], [], []
    for s in sessions:
        turns = s.rated_turns()
        out = turn_ratings(np.stack([probs[s.key][i] for i in turns]))
        for ratings in s.passes:
            rater = np.array([ratings[i] for i in turns])
            conf.append(out.mechanism_confidence.ravel())
            hit.append((nearest_whole(out.mechanisms) == rater).ravel())
            total_conf.append(out.total_confidence)
            total_hit.append(nearest_whole(out.total) == rater.sum(axis=1))
    if not conf:
        return {}
    return {"mechanism": calibration(np.concatenate(conf), np.concatenate(hit)),
            "sum": calibration(np.concatenate(total_conf), np.concatenate(total_hit))}


def summary(sessions: Sequence[RatedSession], probs: Probabilities) -> dict[str, Any]:
    """Spearman per mechanism and sum, per turn and per transcript mean: double-coded
    transcripts against the adjudicated gold, single-coded against their one pass; and
    the confidences' calibration."""
    values = predicted_table(sessions, probs)
    double = [s for s in sessions if s.double_coded]
    single = [s for s in sessions if not s.double_coded]
    out: dict[str, Any] = {}
    for name, part in (("adjudicated", double), ("single_coded", single)):
        if part:
            p = pair({s.key: values[s.key] for s in part}, gold_table(part))
            out[name] = {**correlations(p), "turns": p.n_turns,
                         "transcripts": p.n_transcripts}
    out["calibration"] = confidence_calibration(sessions, probs)
    return out


def train(sessions: Sequence[RatedSession], *, c_grid: Sequence[float] = C_GRID,
          preset: str = "accurate") -> tuple[EmpathyModel, dict[float, float]]:
    """Pick ``c`` by out-of-fold Spearman, fit on all ``sessions``; the model carries the
    chosen ``c``'s out-of-fold summary in ``cv_metrics_``."""
    if not c_grid:
        raise RapportInputError("no value of c to try", fix="give at least one --c")
    scores: dict[float, float] = {}
    oof: dict[float, Probabilities] = {}
    for c in c_grid:
        oof[c] = out_of_fold(sessions, c, preset=preset)
        scores[c] = selection_score(sessions, oof[c])
    best = max(c_grid, key=lambda c: (np.nan_to_num(scores[c], nan=-2.0), -c))
    model = make_model(best, preset).fit(sessions)
    model.cv_metrics_ = {"folds": FOLDS, "c_scores": {str(c): s for c, s in scores.items()},
                         **summary(sessions, oof[best])}
    return model, scores


def format_summary(s: dict[str, Any]) -> str:
    """A markdown table of a :func:`summary`."""
    lines = ["| compared with | transcripts | turns | level | ER | IP | EX | sum |",
             "|---|---|---|---|---|---|---|---|"]
    for name, what in (("adjudicated", "adjudicated gold (double-coded)"),
                       ("single_coded", "pass A (single-coded)")):
        if name not in s:
            continue
        part = s[name]
        for level in ("turn", "session"):
            r = part[level]
            lines.append(f"| {what} | {part['transcripts']} | {part['turns']} | "
                         f"{'turn' if level == 'turn' else 'session mean'} | "
                         + " | ".join(f"{r[c]:.3f}" for c in ("er", "ip", "ex", "sum"))
                         + " |")
    cal = s.get("calibration") or {}
    for name in ("mechanism", "sum"):
        if name in cal:
            c = cal[name]
            lines.append(f"\nconfidence of the {name} (a rater gives its nearest whole "
                         f"number): mean {c['confidence']:.2f}, observed "
                         f"{c['observed']:.2f}, ECE {c['ece']:.3f}")
    return "\n".join(lines)


def train_cli(preset: str = "all", out_dir: Path | None = None, *, gold: Path = GOLD_FILE,
              c_grid: Sequence[float] | None = None) -> str:
    """Train, save, and return the cross-validated report; the ``rapport train`` task.

    ``preset``: ``fast``, ``accurate`` or ``all`` (both, one file each).
    """
    if preset not in ("fast", "accurate", "all"):
        raise RapportInputError(f"unknown preset {preset!r}", fix="use fast, accurate or all")
    sessions, _ = split(rated_sessions(gold))
    lines: list[str] = []
    for name in (MODEL_NAMES if preset == "all" else (preset,)):
        cpu = time.process_time()
        model, scores = train(sessions, c_grid=c_grid or C_GRID, preset=name)
        lines.append(f"## preset `{name}`")
        lines += [f"c={c:g}: out-of-fold Spearman of the summed empathy {s:.3f}"
                  for c, s in scores.items()]
        lines.append(f"chosen c={model.c:g}; {FOLDS}-fold out-of-fold figures on the "
                     f"{len(sessions)} training transcripts of {gold.name} (folds by video):")
        lines.append(format_summary(model.cv_metrics_))
        path = save_model(model, out_dir or MODEL_DIR, name=model_name(name),
                          data={gold.name: file_sha256(gold)})
        lines.append(f"saved {path} ({time.process_time() - cpu:.0f} CPU s)")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_FILE)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--c", type=float, nargs="+", default=list(C_GRID))
    parser.add_argument("--preset", choices=("fast", "accurate", "all"), default="all")
    args = parser.parse_args(argv)
    sys.stdout.write(train_cli(args.preset, args.out, gold=args.gold, c_grid=args.c)
                     + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
