"""Transcripts without punctuation: how much the utterance coders lose, and what the
punctuation-free companions win back (issue 21, robustness).

    .venv/bin/python benchmarks/utterance_punctuation.py --preset fast      # about 2 min
    .venv/bin/python benchmarks/utterance_punctuation.py --preset accurate  # about 25 min

Grouped 5-fold CV on AnnoMI by video, as `rapport evaluate utterance` (which prints the same
table after its own). Each held-out fold is scored twice: as written, and "bare" (lower
case, every punctuation mark removed: what a speech recogniser without punctuation writes).
Two training recipes: the main model's, and the companion's (``bare_copy=True``: a bare
copy of every training transcript added; the copy keeps its video, so it never crosses
folds). Prints macro-F1 / kappa / ECE per family; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.coding.utterance.evaluation import evaluate  # noqa: E402
from rapport.coding.utterance.families import PRESETS  # noqa: E402
from rapport.coding.utterance.report import render_punctuation  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--preset", choices=PRESETS, default="fast")
    args = parser.parse_args()
    main_model = evaluate(args.preset, write=False)
    companion = evaluate(args.preset, write=False, companion=True)
    print(render_punctuation([main_model], [companion]))


if __name__ == "__main__":
    main()
