"""Training the shipped utterance coders from the repo's AnnoMI copy, deterministically.

``rapport train utterance --preset fast`` calls :func:`train_cli`. Seeds are fixed, folds
are grouped by ``video_url`` and rows are in transcript order, so the same data and code
give the same model. Cross-validated metrics written by ``rapport evaluate utterance``
(``models/utterance-<preset>-cv.json``) are copied into the model card when they were
computed on the same data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.coding.utterance.data import DATA_DIR, LABEL_COLUMNS, data_sha256, load_annomi
from rapport.coding.utterance.families import PRESETS
from rapport.coding.utterance.model import UtteranceCoder
from rapport.coding.utterance.persist import MODELS_DIR, save_coder
from rapport.coding.utterance.punctuation import preset_label

if TYPE_CHECKING:
    import pandas as pd


def training_frames(data: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Turn frame ``X`` (session = transcript, group = video) and label frame ``y``."""
    x = data.assign(session=data["transcript_id"].astype(str),
                    group=data["video_url"].astype(str))[["session", "role", "text", "group"]]
    return x.reset_index(drop=True), data[list(LABEL_COLUMNS)].reset_index(drop=True)


def cv_metrics_path(preset: str, models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"utterance-{preset}-cv.json"


def train(preset: str, *, data_dir: Path = DATA_DIR, out_dir: Path = MODELS_DIR,
          bare: bool = False) -> Path:
    """Fit a coder of ``preset`` on all of AnnoMI and save it with its card (``bare``: the
    punctuation-free companion, compiled file and card only)."""
    data = load_annomi(data_dir)
    x, y = training_frames(data)
    coder = UtteranceCoder(preset=preset, bare_copy=bare).fit(x, y)
    digest = data_sha256(data_dir)
    metrics: dict[str, Any] = {"inner_oof_macro_f1": {
        name: head.inner_f1 for name, head in coder.heads_.items()},
        "chosen_c": {name: head.chosen_c for name, head in coder.heads_.items()}}
    cv_file = cv_metrics_path(preset, out_dir)
    if cv_file.exists() and not bare:
        cv = json.loads(cv_file.read_text())
        if cv.get("data_sha256") == digest:
            metrics["cross_validation"] = cv.get("families", {})
    path = out_dir / f"utterance-{preset_label(preset, bare=bare)}.joblib"
    save_coder(coder, path, data_sha256=digest, metrics=metrics, companion=bare)
    return path.with_suffix(".npz") if bare else path


def attach_cv_metrics(preset: str, models_dir: Path = MODELS_DIR) -> bool:
    """Copy ``rapport evaluate`` metrics into an existing model card (same data only)."""
    from rapport.coding.utterance.persist import card_path

    cv_file = cv_metrics_path(preset, models_dir)
    card_file = card_path(models_dir / f"utterance-{preset}.joblib")
    if not cv_file.exists() or not card_file.exists():
        return False
    cv = json.loads(cv_file.read_text())
    card = json.loads(card_file.read_text())
    if cv.get("data_sha256") != card.get("data_sha256"):
        return False
    card.setdefault("metrics", {})["cross_validation"] = cv.get("families", {})
    card_file.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return True


def train_cli(preset: str, out_dir: Path | None = None) -> str:
    """Entry point of ``rapport train utterance``; returns a summary for the terminal."""
    presets = PRESETS if preset == "all" else (preset,)
    lines = []
    for name in presets:
        # each session preset is rebuilt with its punctuation-free companion
        for bare in (False, True) if name in PRESETS else (False,):
            path = train(name, out_dir=out_dir or MODELS_DIR, bare=bare)
            label = f"utterance-{preset_label(name, bare=bare)}"
            lines.append(f"{label}: {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return "\n".join(lines)
