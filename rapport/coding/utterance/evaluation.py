"""Grouped cross-validation of the utterance coders and the tables of docs/models.md.

Five folds grouped by ``video_url`` (a video never straddles train and test); every
tuning step (C, decision weights, the meta model) runs on inner folds of the training
part only. Main families are scored on every turn of the right role; sub-families on
the turns whose *gold* parent matches (their head's own quality, the usual convention),
and the pipeline's gated output is what :func:`out_of_fold_predictions` returns.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rapport.coding.agreement import (
    cohen_kappa,
    confusion_matrix,
    expected_calibration_error,
    fleiss_kappa,
    krippendorff_alpha,
    macro_f1,
    per_label_scores,
)
from rapport.coding.utterance.data import annotator_labels, data_sha256, load_annomi
from rapport.coding.utterance.families import FAMILIES, PRESETS
from rapport.coding.utterance.model import UtteranceCoder
from rapport.coding.utterance.punctuation import bare_text, preset_label
from rapport.coding.utterance.training import cv_metrics_path, training_frames

if TYPE_CHECKING:
    import pandas as pd

FOLDS = 5
#: Published figures quoted beside ours (macro-F1; see docs/models.md for the caveats).
ANCHORS = {"therapist_behaviour": "Wu et al. 2023: 0.72; M3TCM 2024 (utterance split, "
                                  "leaks): 0.83; TF-IDF+LR grouped: ~0.71",
           "client_talk": "Wu et al. 2023: 0.55; M3TCM 2024 (utterance split, leaks): 0.66; "
                          "TF-IDF+LR grouped: ~0.50"}
GOALS = {"accurate": {"therapist_behaviour": 0.80, "client_talk": 0.62, "question_type": 0.90,
                      "reflection_type": 0.70},
         "fast": {"therapist_behaviour": 0.75, "client_talk": 0.55}}


def _folds(groups: np.ndarray, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=n).split(np.zeros(len(groups)), groups=groups))


def cross_validate(preset: str, *, folds: int = FOLDS, data: pd.DataFrame | None = None,
                   bare_copy: bool = False, bare: bool = False
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]:
    """Out-of-fold ``(gated, direct, direct_bare)`` predictions for every utterance of AnnoMI.

    ``gated``: what the pipeline emits (sub-family only under a predicted parent).
    ``direct``: every head's label and confidence on every row, for scoring.
    ``direct_bare`` (with ``bare``, else None): the same models on the held-out turns made
    bare (:func:`~.punctuation.bare_text`), as a recogniser without punctuation writes them.
    ``bare_copy``: the punctuation-free companion's recipe instead of the main model's.
    """
    import pandas as pd

    data = load_annomi() if data is None else data
    x, y = training_frames(data)
    gated = []
    direct: dict[str, list[pd.DataFrame]] = {}
    direct_bare: dict[str, list[pd.DataFrame]] = {}
    for train, test in _folds(x["group"].to_numpy(), folds):
        coder = UtteranceCoder(preset=preset, bare_copy=bare_copy).fit(
            x.iloc[train].reset_index(drop=True), y.iloc[train].reset_index(drop=True))
        x_test = x.iloc[test].reset_index(drop=True)
        probs = coder.predict_proba(x_test)
        gated.append(coder.decide(x_test, probs).set_axis(test))
        for name, frame in head_decisions(coder.heads_, probs, index=test).items():
            direct.setdefault(name, []).append(frame)
        if bare:
            bare_test = x_test.assign(text=[bare_text(t) for t in x_test["text"].astype(str)])
            for name, frame in head_decisions(coder.heads_, coder.predict_proba(bare_test),
                                              index=test).items():
                direct_bare.setdefault(name, []).append(frame)

    def joined(frames: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
        return pd.concat([pd.concat(v).sort_index() for v in frames.values()], axis=1)

    return (pd.concat(gated).sort_index(), joined(direct),
            joined(direct_bare) if bare else None)


def head_decisions(heads: Mapping[str, Any], probs: Mapping[str, np.ndarray], *,
                   index: Any = None) -> dict[str, pd.DataFrame]:
    """Each head's own label and its confidence per row (``<family>``,
    ``<family>_confidence``), whatever the parent head said: what the metrics score."""
    import pandas as pd

    out = {}
    for name, p in probs.items():
        head = heads[name]
        choice = head.decide(p)
        out[name] = pd.DataFrame({name: np.array(head.labels, dtype=object)[choice],
                                  f"{name}_confidence": p[np.arange(len(p)), choice]},
                                 index=index)
    return out


def family_metrics(truth: list[Any], predicted: list[Any], confidence: list[float],
                   labels: tuple[str, ...]) -> dict[str, Any]:
    """Macro-F1, per-class F1, kappa, confusion matrix and ECE of one family."""
    return {"n": len(truth), "macro_f1": round(macro_f1(truth, predicted, labels), 3),
            "kappa": round(cohen_kappa(truth, predicted), 3),
            "per_class_f1": {str(s.label): round(s.f1, 3)
                             for s in per_label_scores(truth, predicted, labels)},
            "confusion": confusion_matrix(truth, predicted, labels).tolist(),
            "ece": round(expected_calibration_error(
                confidence, [t == p for t, p in zip(truth, predicted, strict=True)]), 3)}


def score(data: pd.DataFrame, direct: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Metrics per family from out-of-fold ``direct`` predictions."""
    out = {}
    for fam in FAMILIES:
        if fam.name not in direct:
            continue
        rows = data[fam.name].notna().to_numpy()
        out[fam.name] = family_metrics(
            data.loc[rows, fam.name].tolist(), direct.loc[rows, fam.name].tolist(),
            direct.loc[rows, f"{fam.name}_confidence"].astype(float).tolist(), fam.labels)
    return out


def human_agreement() -> dict[str, dict[str, float]]:
    """Agreement of AnnoMI's annotators on the multi-annotated transcripts (7, 55, 66)."""
    out = {}
    for fam in FAMILIES:
        by_unit = annotator_labels(fam.name)
        coders = sorted({a for labels in by_unit.values() for a in labels})
        units = sorted(by_unit)
        table = [[by_unit[u].get(c) for u in units] for c in coders]
        pairwise = [cohen_kappa(a, b) for a, b in itertools.combinations(table, 2)
                    if sum(x is not None and y is not None for x, y in zip(a, b, strict=True))
                    >= 10]
        # a pair that used one label throughout has no kappa (NaN): left out of the mean
        # and counted, never taken as 1
        defined = [k for k in pairwise if not np.isnan(k)]
        out[fam.name] = {"units": len(units), "coders": len(coders),
                         "fleiss_kappa": round(fleiss_kappa(table), 3),
                         "krippendorff_alpha": round(krippendorff_alpha(table), 3),
                         "mean_pairwise_cohen_kappa": round(float(np.mean(defined)), 3)
                         if defined else float("nan"),
                         "pairs_undefined": len(pairwise) - len(defined)}
    return out


def out_of_fold_predictions(preset: str = "fast", *, folds: int = FOLDS,
                            data: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per-utterance out-of-fold codes for AnnoMI, keyed by transcript and utterance id.

    Columns: ``transcript_id, utterance_id, role`` and ``<family>``,
    ``<family>_confidence`` as the pipeline emits them (a sub-family only under its
    predicted parent). Each row was coded by a model that never saw its video.
    ``data`` (default: all of AnnoMI, as :func:`~rapport.coding.utterance.data.
    load_annomi` returns it) lets callers use a subset.
    """
    data = load_annomi() if data is None else data.reset_index(drop=True)
    gated, _, _ = cross_validate(preset, folds=folds, data=data)
    keys = data[["transcript_id", "utterance_id", "role"]].reset_index(drop=True)
    return keys.join(gated.reset_index(drop=True))


def evaluate(preset: str, *, folds: int = FOLDS, write: bool = True,
             companion: bool = False) -> dict[str, Any]:
    """Cross-validate ``preset`` (or, with ``companion``, its punctuation-free companion)
    and (optionally) write its metrics file beside the models.

    ``families`` are the figures of the text the model is used on: as written for the
    main model, bare for the companion; ``bare`` / ``as_written`` hold the other view."""
    data = load_annomi()
    _, direct, direct_bare = cross_validate(preset, folds=folds, data=data,
                                            bare_copy=companion, bare=True)
    assert direct_bare is not None
    name = preset_label(preset, bare=companion)
    written, bare = score(data, direct), score(data, direct_bare)
    result: dict[str, Any] = {"preset": name, "folds": folds, "data_sha256": data_sha256()}
    result |= ({"families": bare, "as_written": written} if companion
               else {"families": written, "bare": bare})
    if write:
        from rapport.coding.utterance.training import attach_cv_metrics

        path = cv_metrics_path(name)
        path.write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
        attach_cv_metrics(name)
    return result


def evaluate_cli(preset: str, out: Path | None = None) -> str:
    """Entry point of ``rapport evaluate utterance``: markdown tables for docs/models.md
    (the grouped CV, then the shipped models on the robustness set)."""
    from rapport.coding.utterance.report import render, render_punctuation
    from rapport.coding.utterance.robustness import evaluate_robustness
    from rapport.coding.utterance.robustness import render as render_robustness

    presets = PRESETS if preset == "all" else (preset,)
    results = [evaluate(p) for p in presets]
    companions = [evaluate(p, companion=True) for p in presets]
    text = render(results, human_agreement())
    text += "\n" + render_punctuation(results, companions)
    # the shipped models on talk unlike AnnoMI's, beside the CV just computed (issue 21)
    text += "\n" + render_robustness(evaluate_robustness(presets),
                                      {r["preset"]: r["families"] for r in results})
    if out is not None:
        out.write_text(text)
    return text
