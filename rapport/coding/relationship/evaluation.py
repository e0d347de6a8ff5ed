"""Score the shipped relationship model on the frozen evaluation set.

    rapport evaluate relationship [--out FILE]
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

from rapport.coding.relationship.codes import ALL_CODES, CODES_BY_ROLE
from rapport.coding.relationship.data import EVAL_FILE, Example, file_sha256, load_examples
from rapport.coding.relationship.model import ROLES, RelationshipModel, prf
from rapport.coding.relationship.persist import load_model
from rapport.coding.relationship.training import format_table
from rapport.domain import Role
from rapport.errors import RapportInputError


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


def evaluate_cli(preset: str = "all", out: Path | None = None, *,
                 data: Path = EVAL_FILE) -> str:
    """Markdown tables for the shipped model; the ``rapport evaluate relationship`` task.

    First the frozen evaluation set, then the cross-validated training metrics recorded
    in the model file. Both presets share the model. ``out``: also write the markdown there.
    """
    if preset not in ("fast", "accurate", "all"):
        raise RapportInputError(f"unknown preset {preset!r}", fix="use fast, accurate or all")
    model = load_model()
    text = "\n".join([
        (f"Frozen evaluation set `{data.name}` (sha256 `{file_sha256(data)[:12]}…`), "
        "shipped model:"), "", format_table(evaluate(model, load_examples(data))), "",
        "Out-of-fold (cross-validated) metrics on the training data, from the model file:",
        "", format_table({c: model.cv_metrics_[c] for c in ALL_CODES})])
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=EVAL_FILE)
    args = parser.parse_args(argv)
    sys.stdout.write(evaluate_cli("all", None, data=args.data) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
