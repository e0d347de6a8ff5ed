"""Score the shipped relationship model on the frozen evaluation set.

    python -m rapport.coding.relationship.evaluation [--data FILE]

Prints per-code precision, recall and F1 and the macro-F1 over codes. The frozen set
(``data/relationship/eval.jsonl``) is read only here and in the benchmark.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rapport.coding.relationship.codes import CODES_BY_ROLE
from rapport.coding.relationship.data import EVAL_FILE, Example, file_sha256, load_examples
from rapport.coding.relationship.model import ROLES, RelationshipModel, prf
from rapport.coding.relationship.persist import load_model
from rapport.coding.relationship.training import format_table, write_line
from rapport.domain import Role


def evaluate(model: RelationshipModel, examples: Sequence[Example]
             ) -> dict[str, dict[str, float]]:
    """``code -> {precision, recall, f1, support}`` of ``model`` on ``examples``."""
    metrics: dict[str, dict[str, float]] = {}
    for role in ROLES:
        rows = [e for e in examples if e.role == role]
        probs = model.predict_proba([e.text for e in rows], [e.previous for e in rows], role)
        for code in CODES_BY_ROLE[Role(role)]:
            y = np.array([code in e.codes for e in rows], dtype=bool)
            metrics[code] = prf(y, probs[code] >= 0.5)
    return metrics


def evaluate_cli(*, data: Path = EVAL_FILE) -> dict[str, dict[str, float]]:
    """Print the table for the shipped model on ``data``; used by ``rapport evaluate``."""
    metrics = evaluate(load_model(), load_examples(data))
    write_line(f"{data.name} (sha256 {file_sha256(data)[:12]}…), shipped relationship model:")
    write_line(format_table(metrics))
    return metrics


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=EVAL_FILE)
    args = parser.parse_args(argv)
    evaluate_cli(data=args.data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
