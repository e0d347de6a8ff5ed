"""Save and load a fitted :class:`RiskModel` as JSON + ``.npz`` (never a pickle).

The JSON records the format and model versions, the codes, the sha256 of the training data
and of the encoder file, the package version, the parameters, calibration, thresholds and
the cross-validated metrics. Loading refuses another format or code set and warns when
another package version saved it.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from rapport import __version__
from rapport.errors import RapportInputError
from rapport.risk.features import TurnFeatures
from rapport.risk.model import CODES, REPLY_KINDS, Head, RiskModel

FORMAT_VERSION = 2
MODEL_VERSION = "1.0"
MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_NAME = "risk"


def write_file(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a crash never leaves half a model."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _meta(head: Head) -> dict[str, float]:
    return {"intercept": head.intercept, "scale": head.scale, "shift": head.shift,
            "threshold": head.threshold}


def save_model(model: RiskModel, directory: Path = MODEL_DIR, *, data_sha256: str,
               metrics: dict[str, Any], name: str = MODEL_NAME) -> Path:
    """Write ``<name>.json`` and ``<name>.npz`` into ``directory``; returns the JSON path.
    The encoder file (``model.encoder_file_``) must already be in ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {"coef.gate": model.gate_.coef, "idf.turn": model.features_.idf_,
              "idf.reply": model.reply_features_.idf_, "reply.coef": model.reply_coef_,
              "reply.intercept": model.reply_intercept_}
    meta = {
        "format": FORMAT_VERSION, "model_version": MODEL_VERSION, "codes": list(CODES),
        "reply_kinds": list(REPLY_KINDS), "rapport_version": __version__,
        "data_sha256": data_sha256,
        "encoder": {"file": model.encoder_file_, "sha256": model.encoder_sha256_},
        "params": {"c": model.c, "folds": model.folds, "random_state": model.random_state},
        "gate": _meta(model.gate_),
        "heads": {c: _meta(h) for c, h in model.heads_.items()},
        "history_head": _meta(model.history_head_),
        "rule_precision": model.rule_precision_,
        "vocab": {"turn": model.features_.vocab_, "reply": model.reply_features_.vocab_},
        "metrics": metrics,
    }
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    write_file(directory / f"{name}.npz", buffer.getvalue())
    target = directory / f"{name}.json"
    write_file(target, (json.dumps(meta, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    return target


def load_model(directory: Path = MODEL_DIR, name: str = MODEL_NAME
               ) -> tuple[RiskModel, dict[str, Any]]:
    """The saved model and its metadata; refuses a format or code set it cannot use."""
    path = directory / f"{name}.json"
    if not path.exists():
        raise RapportInputError("no trained risk model", where=str(path),
                                fix="run `rapport train risk`")
    meta = json.loads(path.read_text("utf-8"))
    if meta.get("format") != FORMAT_VERSION or meta.get("codes") != list(CODES):
        raise RapportInputError("the risk model was saved in another format or code set",
                                where=str(path), fix="run `rapport train risk`")
    if meta.get("rapport_version") != __version__:
        warnings.warn(f"risk model saved by Rapport {meta.get('rapport_version')}, "
                      f"running {__version__}", stacklevel=2)
    params = meta["params"]
    model = RiskModel(c=params["c"], folds=params["folds"],
                      random_state=params["random_state"])
    with np.load(directory / f"{name}.npz") as arrays:
        model.gate_ = Head(coef=arrays["coef.gate"], **meta["gate"])
        model.heads_ = {c: Head(coef=np.zeros(0), **meta["heads"][c]) for c in CODES}
        model.history_head_ = Head(coef=np.zeros(0), **meta["history_head"])
        model.features_ = _features(meta["vocab"]["turn"], arrays["idf.turn"])
        model.reply_features_ = _features(meta["vocab"]["reply"], arrays["idf.reply"])
        model.reply_coef_ = arrays["reply.coef"]
        model.reply_intercept_ = arrays["reply.intercept"]
    model.rule_precision_ = dict(meta["rule_precision"])
    model.encoder_file_ = meta["encoder"]["file"]
    model.encoder_sha256_ = meta["encoder"]["sha256"]
    return model, meta


def _features(vocab: list[str], idf: np.ndarray) -> TurnFeatures:
    features = TurnFeatures()
    features.vocab_ = list(vocab)
    features.idf_ = np.asarray(idf)
    return features
