"""Transcripts without punctuation: how much the utterance coders lose, and whether a
punctuation-free copy of the training folds wins it back (issue 21, robustness).

    .venv/bin/python benchmarks/utterance_punctuation.py --preset fast      # about 2 min
    .venv/bin/python benchmarks/utterance_punctuation.py --preset accurate  # about 25 min

Grouped 5-fold CV on AnnoMI by video, as `rapport evaluate utterance`. Each held-out fold is
scored twice: as written, and "bare" (lower case, every punctuation mark removed: what a
speech recogniser without punctuation writes). Two training recipes: the shipped one, and
the same with a bare copy of every training transcript added (``bare_copy=True``, the
recipe of the shipped punctuation-free companions; the copy keeps its video, so it never
crosses folds). Prints macro-F1 / kappa / ECE per family.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.coding.utterance.data import load_annomi  # noqa: E402
from rapport.coding.utterance.evaluation import (  # noqa: E402
    FOLDS,
    _folds,
    head_decisions,
    score,
)
from rapport.coding.utterance.families import FAMILIES, PRESETS  # noqa: E402
from rapport.coding.utterance.model import UtteranceCoder  # noqa: E402
from rapport.coding.utterance.punctuation import bare_text  # noqa: E402
from rapport.coding.utterance.training import training_frames  # noqa: E402


def bare(x: pd.DataFrame) -> pd.DataFrame:
    """The turns as a recogniser without punctuation writes them."""
    return x.assign(text=[bare_text(t) for t in x["text"].astype(str)])


def cross_validate(preset: str, augment: bool) -> dict[str, dict[str, dict[str, float]]]:
    """view ("as written", "bare") -> family -> metrics, out of fold."""
    x, y = training_frames(load_annomi())
    found: dict[str, dict[str, list[pd.DataFrame]]] = {"as written": {}, "bare": {}}
    for train, test in _folds(x["group"].to_numpy(), FOLDS):
        x_train = x.iloc[train].reset_index(drop=True)
        y_train = y.iloc[train].reset_index(drop=True)
        coder = UtteranceCoder(preset=preset, bare_copy=augment).fit(x_train, y_train)
        held = x.iloc[test].reset_index(drop=True)
        for view, turns in (("as written", held), ("bare", bare(held))):
            decided = head_decisions(coder.heads_, coder.predict_proba(turns), index=test)
            for name, frame in decided.items():
                found[view].setdefault(name, []).append(frame)
    return {view: score(y, pd.concat([pd.concat(frames).sort_index()
                                      for frames in families.values()], axis=1))
            for view, families in found.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--preset", choices=PRESETS, default="fast")
    args = parser.parse_args()
    shipped = cross_validate(args.preset, augment=False)
    augmented = cross_validate(args.preset, augment=True)
    print(f"`{args.preset}`, {FOLDS}-fold CV grouped by video (macro-F1 / kappa / ECE)\n")
    print("| family | shipped recipe, as written | shipped, bare | with a bare copy, "
          "as written | with a bare copy, bare |")
    print("|---|---|---|---|---|")
    for fam in FAMILIES:
        cells = [f"{m['macro_f1']:.3f} / {m['kappa']:.3f} / {m['ece']:.3f}"
                 for run in (shipped, augmented) for view in ("as written", "bare")
                 if (m := run[view].get(fam.name))]
        if cells:
            print(f"| {fam.name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
