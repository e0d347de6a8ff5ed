"""The risk coder on the frozen evaluation set, beside a rule-only baseline (prints tables).

    .venv/bin/python benchmarks/risk_eval.py

Also prints the agreement of the two independent coding passes that made the gold, and the
false flags on AnnoMI client turns (out of fold, recorded when the model was trained: every
flag is listed with its judgement in docs/risk.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.risk.evaluation import agreement_lines, evaluate, frozen_items, render  # noqa: E402
from rapport.risk.persist import load_model  # noqa: E402


def main() -> None:
    items = frozen_items()
    print(f"frozen evaluation set: {len(items)} client turns, "
          f"{sum(not i.codes for i in items)} without risk (hard negatives), project-written\n")
    print("\n".join(agreement_lines()) + "\n")
    print("\n".join(render(evaluate())))
    _, meta = load_model()
    annomi = meta["metrics"]["annomi_out_of_fold"]
    print(f"\nAnnoMI client turns, out of fold: {annomi['flagged']} false flags in "
          f"{annomi['turns']} turns = {annomi['per_1000']:.1f} per 1,000 (goal <= 2; every "
          "flag judged in docs/risk.md)")


if __name__ == "__main__":
    main()
