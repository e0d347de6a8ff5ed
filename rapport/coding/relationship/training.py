"""Train the relationship model on ``data/relationship/train.jsonl`` and ship it.

    rapport train relationship [--out DIR]
    python -m rapport.coding.relationship.training [--c 1 4 16] [--out DIR]

Picks the regularisation ``c`` by macro-F1 of out-of-fold predictions on the training
data (never the frozen evaluation set), refits on all of it and writes the model files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rapport.coding.relationship.data import (
    ANNOMI_FILE,
    TRAIN_FILE,
    Example,
    file_sha256,
    load_examples,
    load_weak_negatives,
)
from rapport.coding.relationship.model import RelationshipModel
from rapport.coding.relationship.persist import MODEL_DIR, save_model
from rapport.coding.relationship.rules import rule_hits
from rapport.errors import RapportInputError

#: How many AnnoMI turns join the training data as weak negatives.
WEAK_NEGATIVES = 1500


def macro_f1(metrics: dict[str, dict[str, float]]) -> float:
    """Unweighted mean F1 over codes."""
    return sum(m["f1"] for m in metrics.values()) / max(len(metrics), 1)


def weak_negatives(limit: int = WEAK_NEGATIVES) -> list[Example]:
    """Up to ``limit`` AnnoMI turns (even transcripts) on which no relationship rule fires."""
    rows = [e for e in load_weak_negatives(parity=0)
            if not rule_hits(e.text, e.previous, e.role)]
    # a fixed, spread-out subset: every k-th turn keeps all transcripts represented
    step = max(1, len(rows) // limit) if limit else len(rows) + 1
    return rows[::step][:limit]


def train(data: Path = TRAIN_FILE, *, c_grid: Sequence[float] = (1.0, 4.0, 16.0),
          n_weak: int = WEAK_NEGATIVES) -> tuple[RelationshipModel, dict[float, float]]:
    """Fit one model per ``c``; return the best (by cross-validated macro-F1) and all scores.

    Cross-validation runs over the written examples plus the weak negatives, so the
    scores count false positives on real counselling talk too.
    """
    examples = load_examples(data) + weak_negatives(n_weak)
    scores: dict[float, float] = {}
    best: RelationshipModel | None = None
    for c in c_grid:
        model = RelationshipModel(c=c).fit(examples)
        scores[c] = macro_f1(model.cv_metrics_)
        if best is None or scores[c] > scores[best.c]:
            best = model
    if best is None:
        msg = "c_grid is empty"
        raise ValueError(msg)
    return best, scores


def format_table(metrics: dict[str, dict[str, float]]) -> str:
    """A markdown table of per-code precision, recall, F1 and support, with macro-F1."""
    lines = ["| code | precision | recall | F1 | positives |", "|---|---|---|---|---|"]
    for code, m in metrics.items():
        lines.append(f"| {code} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} "
                     f"| {int(m['support'])} |")
    lines.append(f"| **macro-F1** | | | **{macro_f1(metrics):.3f}** | |")
    return "\n".join(lines)


def train_cli(preset: str = "all", out_dir: Path | None = None, *, data: Path = TRAIN_FILE,
              c_grid: Sequence[float] = (1.0, 4.0, 16.0)) -> str:
    """Train, save, and return the cross-validated report; the ``rapport train`` task.

    Both presets share this one model, so ``preset`` only has to be a known name.
    """
    if preset not in ("fast", "accurate", "all"):
        raise RapportInputError(f"unknown preset {preset!r}", fix="use fast, accurate or all")
    model, scores = train(data, c_grid=c_grid)
    lines = [f"c={c:g}: cross-validated macro-F1 {score:.3f}" for c, score in scores.items()]
    lines.append(f"chosen c={model.c:g}; {model.cv_folds}-fold out-of-fold metrics on "
                 f"{data.name}:")
    lines.append(format_table(model.cv_metrics_))
    path = save_model(model, out_dir or MODEL_DIR, data_sha256=file_sha256(data),
                      weak_negatives_sha256=file_sha256(ANNOMI_FILE))
    lines.append(f"saved {path}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=TRAIN_FILE)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--c", type=float, nargs="+", default=[1.0, 4.0, 16.0])
    args = parser.parse_args(argv)
    sys.stdout.write(train_cli("all", args.out, data=args.data, c_grid=args.c) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
