"""The fine-tuned context encoder beside the shipped presets, on the same grouped folds.

Reads the fold predictions ``training/finetune_utterance.py`` wrote (every AnnoMI row was
predicted by a network that never saw its video), refits the ``fast`` preset on the same
five folds (``GroupKFold`` by ``video_url``, as ``rapport evaluate utterance``) and prints
macro-F1 / kappa / ECE per family for:

- ``fast``: the TF-IDF preset, its own tuned decisions;
- ``context``: the encoder's int8 predictions, temperature-scaled with temperatures fitted
  on the other four folds only;
- ``accurate``: the shipped accurate preset (TF-IDF and frozen MiniLM embeddings, stacked);
- ``context+fast``, ``context+accurate``: the mean of the two probability vectors, argmax
  (a rule fixed in advance);
- ``..., tuned decisions``: the presets' own decision rule (class weights that maximise
  macro-F1) on those probabilities, tuned for each fold on the other folds' labels only.

Nothing is tuned on the rows it is scored on.

    python benchmarks/utterance_context_eval.py [--run training/runs/utterance-context] \
        [--cache]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))


def preset_oof(data: Any, preset: str, cache: Path | None
               ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Out-of-fold probabilities of a shipped preset per family (rows: AnnoMI order), and
    the labels its own tuned decision rule picks from them; kept in ``cache`` if given."""
    from rapport.coding.utterance.data import data_sha256

    digest = data_sha256()
    got = np.load(cache) if cache is not None and cache.is_file() else None
    if got is not None and "data_sha256" in got.files and str(got["data_sha256"]) == digest:
        return ({k.removeprefix("p:"): got[k] for k in got.files if k.startswith("p:")},
                {k.removeprefix("d:"): got[k] for k in got.files if k.startswith("d:")})
    from rapport.coding.utterance.evaluation import FOLDS, _folds
    from rapport.coding.utterance.families import FAMILIES
    from rapport.coding.utterance.model import UtteranceCoder
    from rapport.coding.utterance.training import training_frames

    x, y = training_frames(data)
    out = {f.name: np.zeros((len(x), len(f.labels))) for f in FAMILIES}
    decided = {f.name: np.zeros(len(x), dtype=int) for f in FAMILIES}
    for train, test in _folds(x["group"].to_numpy(), FOLDS):
        coder = UtteranceCoder(preset=preset).fit(x.iloc[train].reset_index(drop=True),
                                                  y.iloc[train].reset_index(drop=True))
        probs = coder.predict_proba(x.iloc[test].reset_index(drop=True))
        for name, p in probs.items():
            out[name][test] = p
            decided[name][test] = coder.heads_[name].decide(p)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, data_sha256=np.array(digest), **{f"p:{k}": v for k, v in out.items()},
                 **{f"d:{k}": v for k, v in decided.items()})
    return out, decided


def scores(rows: list[dict[str, Any]], probs: dict[str, np.ndarray],
           choices: dict[str, np.ndarray] | None = None) -> dict[str, dict[str, float]]:
    """Macro-F1, kappa and ECE per family (the training script's scoring)."""
    import finetune_utterance as ft

    return {name: {key: m[key] for key in ("macro_f1", "kappa", "ece")}
            for name, m in ft.family_scores(rows, probs, choices).items()}


def cross_fitted_decisions(rows: list[dict[str, Any]], fold: np.ndarray,
                           probs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """argmax(log p + w) per family, with the class weights ``w`` that maximise macro-F1
    (the presets' own rule, ``stacking.tune_decision_weights``) tuned for each fold on the
    labels of the *other* folds only."""
    from rapport.coding.utterance.families import FAMILIES
    from rapport.coding.utterance.stacking import tune_decision_weights

    out = {}
    for h, fam in enumerate(FAMILIES):
        y = np.array([r["labels"][h] for r in rows])
        p = probs[fam.name]
        logp = np.log(np.clip(p, 1e-6, 1))
        choice = p.argmax(1)
        for f in np.unique(fold):
            fit = (y >= 0) & (fold != f)
            w = tune_decision_weights(p[fit], y[fit])
            choice[fold == f] = np.argmax(logp[fold == f] + w, axis=1)
        out[fam.name] = choice
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=ROOT / "training/runs/utterance-context")
    parser.add_argument("--cache", action="store_true", help=(
        "keep the presets' out-of-fold probabilities in .cache/ (delete after retraining)"))
    args = parser.parse_args()
    import finetune_utterance as ft

    from rapport.coding.utterance.families import FAMILIES

    rows, data = ft.build_rows()
    fold = ft.fold_ids(data, 5)
    _, cross = ft.calibrate(rows, fold, ft.pooled_folds(args.run, 5, len(rows))["int8"])
    context = ft.by_family(cross)
    table = {"context": scores(rows, context),
             "context, tuned decisions": scores(
                 rows, context, cross_fitted_decisions(rows, fold, context))}
    for preset in ("fast", "accurate"):
        cache = ROOT / ".cache" / f"utterance_oof-{preset}.npz" if args.cache else None
        probs, decided = preset_oof(data, preset, cache)
        table[preset] = scores(rows, probs, decided)
        mean = {f.name: (context[f.name] + probs[f.name]) / 2 for f in FAMILIES}
        table[f"context+{preset}"] = scores(rows, mean)
        table[f"context+{preset}, tuned decisions"] = scores(
            rows, mean, cross_fitted_decisions(rows, fold, mean))
    print("| family | " + " | ".join(f"{m} macro-F1 / kappa / ECE" for m in table) + " |")
    print("|---|" + "---|" * len(table))
    for fam in FAMILIES:
        cells = [f"{t[fam.name]['macro_f1']:.3f} / {t[fam.name]['kappa']:.3f} / "
                 f"{t[fam.name]['ece']:.3f}" for t in table.values()]
        print(f"| {fam.name} | " + " | ".join(cells) + " |")
    (args.run / "comparison.json").write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
