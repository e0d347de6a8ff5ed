"""What the risk coder says on fixed inputs, written once and compared on every change.

The risk coder is safety: a speed-up must not move a single flag. ``outputs()`` runs the
shipped coder over the frozen evaluation items (each read with the therapist turn before
it) and over the client turns of the first AnnoMI transcripts, and returns every code's
decision, probability (to 6 decimals; ``test_risk_unchanged.py`` allows the spread between
CPUs) and evidence. ``python tests/risk/risk_reference.py`` rewrites
``data/risk_reference.json``; run it only from code whose outputs are known right, and say
so in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

REFERENCE = Path(__file__).resolve().parent / "data" / "risk_reference.json"
ANNOMI_TRANSCRIPTS = 12


def _code_rows(coded: list[Any]) -> list[list[Any]]:
    return [[tc.turn_index, [[c.name, c.value, round(c.confidence, 6), list(c.evidence)]
                             for c in tc.codes]] for tc in coded]


def outputs() -> dict[str, Any]:
    from rapport.ingest import read_sessions
    from rapport.risk.coder import load_coder
    from rapport.risk.data import EVAL_DIR, load_items

    coder = load_coder("fast")
    items = load_items(EVAL_DIR)
    probs = coder.turn_probabilities([i.previous for i in items], [i.client for i in items])
    decided = [sorted(coder.decide(probs, r)) for r in range(len(items))]
    rounded = {code: [round(float(p), 6) for p in values] for code, values in probs.items()}
    root = Path(__file__).resolve().parents[2]
    read = read_sessions([root / "data" / "annomi" / "AnnoMI-simple.csv"])
    sessions = [r.session for r in read][:ANNOMI_TRANSCRIPTS]
    return {"eval_items": {"probabilities": rounded, "decided": decided},
            "annomi": {s.id: _code_rows(coder.code_session(s)) for s in sessions}}


def main() -> int:
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE.write_text(json.dumps(outputs(), sort_keys=True, indent=0) + "\n",
                         encoding="utf-8")
    sys.stdout.write(f"wrote {REFERENCE}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
