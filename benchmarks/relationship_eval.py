"""Relationship codes: accuracy on the frozen evaluation set and coding speed on one core.

    .venv/bin/python benchmarks/relationship_eval.py

Prints per-code precision / recall / F1 and macro-F1 of the shipped model on
``data/relationship/eval.jsonl``, then utterances per second of the full coder (rules,
features, model and evidence) on a synthetic session built from the training texts.
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from rapport.coding.relationship import load_coder
from rapport.coding.relationship.data import TRAIN_FILE, load_examples
from rapport.coding.relationship.evaluation import evaluate_cli
from rapport.domain import Session


def speed(n_turns: int = 2000) -> tuple[float, float]:
    """Utterances per wall-clock and per CPU second through ``code_session``."""
    rows = load_examples(TRAIN_FILE)
    triples = []
    for i in range(n_turns):
        row = rows[i % len(rows)]
        role = "therapist" if i % 2 == 0 else "client"
        text = row.text if row.role == role else row.previous or row.text
        triples.append(("T" if role == "therapist" else "C", role, text))
    session = Session.build("bench", triples)
    coder = load_coder("fast")
    # warm-up: compiles the rules and builds every code's example index once
    coder.code_session(Session.build("warm", triples[:400]))
    start, cpu = time.perf_counter(), time.process_time()
    coder.code_session(session)
    return n_turns / (time.perf_counter() - start), n_turns / (time.process_time() - cpu)


if __name__ == "__main__":
    print(evaluate_cli("all", None))
    wall, cpu = speed()
    print(f"\nspeed (2000 turns, one process, 1 BLAS thread): {wall:,.0f} utterances per "
          f"wall-clock second, {cpu:,.0f} per CPU second; load average {os.getloadavg()[0]:.1f}")
