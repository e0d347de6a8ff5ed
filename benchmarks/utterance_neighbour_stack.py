"""Does a second stage that reads the neighbouring turns' predictions help? (issue 21)

"Stacked sequential learning": a preset's out-of-fold probabilities of the turn *and of
its neighbours* (the same speaker's turns two places before and after, the other
speaker's turns just before and after) feed one more logistic regression per family. The
presets already read the neighbours' words (``TextContextVectorizer``); this asks whether
the neighbours' *labels* add anything.

Every AnnoMI utterance's probabilities come from the preset refitted on the grouped folds
of ``rapport evaluate utterance`` (``GroupKFold`` by ``video_url``), so no row is scored
by a model that saw its video. The second stage is fitted for each outer fold on the other
four folds only; its decision weights (the presets' macro-F1 rule) are tuned on its own
inner out-of-fold probabilities within those four folds. Printed per family: the shipped
decision rule on the preset's probabilities, the second stage on the turn's own
probabilities (the cost of refitting alone), and the second stage with the neighbours.

    python benchmarks/utterance_neighbour_stack.py --preset fast|accurate [--cache]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from utterance_context_eval import preset_oof  # noqa: E402

from rapport.coding.utterance.data import load_annomi  # noqa: E402
from rapport.coding.utterance.evaluation import FOLDS, _folds  # noqa: E402
from rapport.coding.utterance.families import FAMILIES  # noqa: E402
from rapport.coding.utterance.features import previous_index  # noqa: E402
from rapport.coding.utterance.stacking import macro_f1_idx, tune_decision_weights  # noqa: E402
from rapport.coding.utterance.training import training_frames  # noqa: E402
from rapport.domain import Role  # noqa: E402

MAIN = {Role.THERAPIST.value: "therapist_behaviour", Role.CLIENT.value: "client_talk"}


def lagged(matrix: np.ndarray, sessions: np.ndarray, lag: int) -> np.ndarray:
    """``matrix`` rows ``lag`` turns earlier (later if negative) in the same session, zero
    where there is none, and a column saying whether there is one."""
    idx = previous_index(sessions, lag)
    there = idx >= 0
    rows = np.where(there[:, None], matrix[np.maximum(idx, 0)], 0.0)
    return np.hstack([rows, there[:, None].astype(float)])


def second_stage(features: np.ndarray, target: np.ndarray, fold: np.ndarray, k: int
                 ) -> np.ndarray:
    """Out-of-fold labels of a logistic regression on ``features``; for each outer fold,
    fitted and its decision weights tuned on the other folds only."""
    choice = np.zeros(len(target), dtype=int)
    for f in np.unique(fold):
        train, test = fold != f, fold == f
        x, y, inner_fold = features[train], target[train], fold[train]
        inner = np.zeros((len(y), k))
        for g in np.unique(inner_fold):
            held = inner_fold == g
            model = LogisticRegression(max_iter=3000).fit(x[~held], y[~held])
            inner[np.ix_(held, model.classes_)] = model.predict_proba(x[held])
        weights = tune_decision_weights(inner, y)
        model = LogisticRegression(max_iter=3000).fit(x, y)
        probs = np.zeros((int(test.sum()), k))
        probs[:, model.classes_] = model.predict_proba(features[test])
        choice[test] = np.argmax(np.log(np.clip(probs, 1e-6, 1)) + weights, axis=1)
    return choice


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--cache", action="store_true", help=(
        "keep the preset's out-of-fold probabilities in .cache/ (delete after retraining)"))
    args = parser.parse_args()

    data = load_annomi()
    x, y = training_frames(data)
    cache = ROOT / ".cache" / f"utterance_oof-{args.preset}.npz" if args.cache else None
    probs, decided = preset_oof(data, args.preset, cache)
    sessions = x["session"].to_numpy()
    roles = x["role"].astype(str).to_numpy()
    fold = np.zeros(len(x), dtype=int)
    for f, (_, test) in enumerate(_folds(x["group"].to_numpy(), FOLDS)):
        fold[test] = f
    logp = {name: np.log(np.clip(p, 1e-4, 1)) for name, p in probs.items()}

    print(f"`{args.preset}`, macro-F1 out of fold ({len(x)} AnnoMI utterances, "
          f"{FOLDS} folds by video)\n")
    print("| family | shipped decisions | second stage, own turn | "
          "second stage, own turn + neighbours |")
    print("|---|---|---|---|")
    for fam in FAMILIES:
        role = fam.roles[0].value
        other = MAIN[Role.CLIENT.value if role == Role.THERAPIST.value else
                     Role.THERAPIST.value]
        raw = y[fam.name].to_numpy(dtype=object)
        rows = np.flatnonzero(np.isin(roles, [r.value for r in fam.roles])
                              & np.array([v in fam.labels for v in raw]))
        target = np.array([fam.labels.index(v) for v in raw[rows]])
        k = len(fam.labels)
        own = logp[fam.name]
        # same speaker two turns away, the other speaker's main family one turn away
        near = np.hstack([own, lagged(logp[MAIN[role]], sessions, 2),
                          lagged(logp[MAIN[role]], sessions, -2),
                          lagged(logp[other], sessions, 1), lagged(logp[other], sessions, -1)])
        cells = [macro_f1_idx(target, decided[fam.name][rows], k),
                 macro_f1_idx(target, second_stage(own[rows], target, fold[rows], k), k),
                 macro_f1_idx(target, second_stage(near[rows], target, fold[rows], k), k)]
        print(f"| {fam.name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
