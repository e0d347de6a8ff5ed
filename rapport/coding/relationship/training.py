"""Train the relationship model on ``data/relationship/train.jsonl`` and ship it.

    python -m rapport.coding.relationship.training [--c 1 4 16] [--out DIR]

Picks the regularisation ``c`` by macro-F1 of out-of-fold predictions on the training
data (never the frozen evaluation set), refits on all of it and writes the model files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rapport.coding.relationship.data import TRAIN_FILE, file_sha256, load_examples
from rapport.coding.relationship.model import RelationshipModel
from rapport.coding.relationship.persist import MODEL_DIR, save_model


def write_line(line: str) -> None:
    # these are command-line entry points: the table is their output
    sys.stdout.write(line + "\n")


def macro_f1(metrics: dict[str, dict[str, float]]) -> float:
    """Unweighted mean F1 over codes."""
    return sum(m["f1"] for m in metrics.values()) / max(len(metrics), 1)


def train(data: Path = TRAIN_FILE, *, c_grid: Sequence[float] = (1.0, 4.0, 16.0)
          ) -> tuple[RelationshipModel, dict[float, float]]:
    """Fit one model per ``c``; return the best (by cross-validated macro-F1) and all scores."""
    examples = load_examples(data)
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
    """A plain-text table of per-code precision, recall, F1 and support, with macro-F1."""
    lines = [f"{'code':28} {'prec':>6} {'rec':>6} {'F1':>6} {'n':>5}"]
    for code, m in metrics.items():
        lines.append(f"{code:28} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} "
                     f"{int(m['support']):5d}")
    lines.append(f"{'macro-F1':28} {'':6} {'':6} {macro_f1(metrics):6.3f}")
    return "\n".join(lines)


def train_cli(*, data: Path = TRAIN_FILE, out: Path = MODEL_DIR,
              c_grid: Sequence[float] = (1.0, 4.0, 16.0)) -> RelationshipModel:
    """Train, print the cross-validated table, save the model; used by ``rapport train``."""
    model, scores = train(data, c_grid=c_grid)
    for c, score in scores.items():
        write_line(f"c={c:g}: cross-validated macro-F1 {score:.3f}")
    write_line(f"chosen c={model.c:g}; 5-fold out-of-fold metrics on {data.name}:")
    write_line(format_table(model.cv_metrics_))
    path = save_model(model, out, data_sha256=file_sha256(data))
    write_line(f"saved {path}")
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=TRAIN_FILE)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--c", type=float, nargs="+", default=[1.0, 4.0, 16.0])
    args = parser.parse_args(argv)
    train_cli(data=args.data, out=args.out, c_grid=args.c)
    return 0


if __name__ == "__main__":
    sys.exit(main())
