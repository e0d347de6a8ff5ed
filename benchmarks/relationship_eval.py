"""Relationship coder on real talk: per-code and episode figures, then coding speed.

    .venv/bin/python benchmarks/relationship_eval.py            # frozen split + speed
    .venv/bin/python benchmarks/relationship_eval.py --nested   # + nested CV (~40 min)
    .venv/bin/python benchmarks/relationship_eval.py --preset fast --nested  # (~3 min)

Prints, for the shipped model of each preset (``fast``: no embeddings, the default;
``accurate``: with MiniLM embeddings): the frozen evaluation split of the real-talk gold (19
transcripts never trained on), the out-of-fold figures recorded in the model file, and the
first coder's project-written frozen set (comparison only). ``--nested`` refits the whole
training procedure inside each of 5 folds grouped by video on the development transcripts
and scores the held-out fold: the honest estimate of every choice made in training. Then
utterances per second of the full coder on a 2,000-turn session.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from rapport.coding.relationship import load_coder
from rapport.coding.relationship.evaluation import (
    code_metrics,
    episode_metrics,
    evaluate_cli,
    format_episodes,
    nested_cv,
)
from rapport.coding.relationship.training import format_table, gold_dialogues, written_dialogues
from rapport.domain import Session


def speed(preset: str, n_turns: int = 2000) -> tuple[float, float]:
    """Utterances per wall-clock and per CPU second through ``code_session``.

    The session is made of real-talk turns in order; the coder runs once first (rules
    compiled; for ``accurate`` the embedder's cache warmed, as another coder sharing the
    embeddings would warm it in the pipeline).
    """
    dev, _ = gold_dialogues()
    triples = []
    for d in dev:
        for role, text in zip(d.roles, d.texts, strict=True):
            triples.append(("T" if role == "therapist" else "C", role, text))
    session = Session.build("bench", triples[:n_turns])
    coder = load_coder(preset)
    coder.code_session(session)  # warm-up: rules compiled, embeddings cached
    start, cpu = time.perf_counter(), time.process_time()
    coder.code_session(session)
    return n_turns / (time.perf_counter() - start), n_turns / (time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nested", action="store_true", help="also run the nested CV")
    parser.add_argument("--preset", choices=("fast", "accurate", "all"), default="all")
    args = parser.parse_args()
    presets = ("fast", "accurate") if args.preset == "all" else (args.preset,)
    print(evaluate_cli(args.preset, None))
    for preset in presets if args.nested else ():
        dev, _ = gold_dialogues()
        start = time.process_time()
        scored = nested_cv(dev, written_dialogues(), preset=preset)
        print(f"\nNested 5-fold CV by video on the development transcripts, preset "
              f"`{preset}` ({time.process_time() - start:,.0f} CPU s):\n")
        print(format_table(code_metrics(scored)))
        print("\n" + format_episodes(episode_metrics(scored)))
    for preset in presets:
        wall, cpu = speed(preset)
        print(f"\nspeed of `{preset}` (2000 real-talk turns, embeddings cached, 1 BLAS "
              f"thread): {wall:,.0f} utterances per wall-clock second, {cpu:,.0f} per CPU "
              f"second; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
