"""Empathy coder against the raters: nested CV, frozen split, the passes' agreement, speed.

    .venv/bin/python benchmarks/empathy_eval.py                 # everything (~25 min here)
    .venv/bin/python benchmarks/empathy_eval.py --skip-frozen   # nested CV and speed only
    .venv/bin/python benchmarks/empathy_eval.py --preset fast   # one preset (~2 min)

Both presets unless ``--preset``: ``fast`` (no embeddings, the default of ``rapport code``)
and ``accurate`` (with MiniLM embeddings).

Prints, per EPITOME mechanism (ER, IP, EX) and their sum, Spearman's rho per turn and per
session mean:

1. **Nested cross-validation** on the 86 training transcripts (outer 5 folds by video; the
   regularisation chosen by inner folds inside each outer training part): the honest
   estimate of the whole procedure. The model against the adjudicated gold (42
   double-coded transcripts) and against each pass, beside pass A against pass B; against
   pass A on the 44 single-coded transcripts.
2. The **frozen evaluation split** (19 double-coded transcripts that no training step
   reads, ``data/realtalk/FROZEN.md``), scored with the shipped model, the same way.
3. EPITOME's own measures (accuracy and macro-F1 of the 0/1/2 level against one rater)
   beside the published figures of Sharma et al. (2020), and the confidences' calibration.
4. Speed: CPU ms per utterance of the empathy coder on real-talk sessions, after the
   relationship coder has embedded the turns (as in ``rapport code``) and alone.
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from rapport.coding.empathy import load_coder
from rapport.coding.empathy.data import rated_sessions, split
from rapport.coding.empathy.evaluation import evaluate_cli, nested_cv, report
from rapport.coding.relationship import load_coder as load_relationship
from rapport.domain import Session


def speed(preset: str, n_turns: int = 2000) -> tuple[float, float]:
    """CPU ms per utterance of ``code_session`` on real-talk turns: (after the relationship
    coder embedded them, alone with a cold embedder cache)."""
    train, _ = split(rated_sessions())
    triples = []
    for s in train:
        for role, text in zip(s.dialogue.roles, s.dialogue.texts, strict=True):
            triples.append(("T" if role == "therapist" else "C", role, text))
    coder = load_coder(preset)
    coder.code_session(Session.build("warm-up", triples[-50:]))  # model and ONNX loaded
    out = []
    for shared in (True, False):
        start = n_turns if shared else 2 * n_turns  # a part never embedded before
        session = Session.build("bench", triples[start:start + n_turns])
        if shared:
            load_relationship(preset).code_session(session)
        cpu = time.process_time()
        coder.code_session(session)
        out.append(1000 * (time.process_time() - cpu) / len(session.turns))
    return out[0], out[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-frozen", action="store_true",
                        help="leave the frozen evaluation split unscored")
    parser.add_argument("--skip-nested", action="store_true", help="no nested CV")
    parser.add_argument("--preset", choices=("fast", "accurate", "all"), default="all")
    args = parser.parse_args()
    presets = ("fast", "accurate") if args.preset == "all" else (args.preset,)
    # first, while the embedder's cache is cold (the nested CV embeds every turn)
    speeds = {preset: speed(preset) for preset in presets}
    train, _ = split(rated_sessions())
    for preset in presets if not args.skip_nested else ():
        start = time.perf_counter()
        probs, chosen = nested_cv(train, preset=preset)
        print(f"Nested 5-fold CV by video on the {len(train)} training transcripts, preset "
              f"`{preset}` (c chosen inside each outer training part: "
              f"{', '.join(f'{c:g}' for c in chosen)}; "
              f"{time.perf_counter() - start:,.0f} s):\n")
        print(report(train, probs) + "\n")
    if not args.skip_frozen:
        print(evaluate_cli(args.preset, None) + "\n")
    for preset, (shared, alone) in speeds.items():
        print(f"speed of `{preset}` (2,000 real-talk turns, 1 BLAS thread): {shared:.3f} CPU "
              f"ms per utterance after the relationship coder of the same preset (as in "
              f"rapport code), {alone:.3f} alone; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
