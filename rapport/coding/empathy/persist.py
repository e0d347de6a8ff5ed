"""Save and load a fitted :class:`EmpathyModel` as JSON + ``.npz`` (never a pickle).

The relationship coder's format: the JSON records the format and model versions, the
label set, the sha256 of the training data, the package version, the parameters and the
cross-validated metrics; the arrays sit in the ``.npz``. The JSON also pins the sha256 of
its ``.npz``: loading refuses a different format or label set, or arrays that are not the
ones the JSON was written with (a swapped or damaged file would change every rating
silently), and warns when the model was saved by another package version.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from rapport import __version__
from rapport.coding.empathy.codes import MODEL_VERSION, families
from rapport.coding.empathy.model import HEADS, EmpathyModel
from rapport.coding.presets import preset_model_name
from rapport.coding.relationship.data import file_sha256
from rapport.coding.relationship.persist import atomic_write, npz_bytes
from rapport.errors import RapportInputError

FORMAT_VERSION = 1
MODEL_DIR = Path(__file__).resolve().parent / "models"
#: The file of each preset's model: ``accurate`` keeps the one model's name (MiniLM
#: embeddings on); ``fast`` is the same recipe without embeddings (no ONNX Runtime).
MODEL_NAMES = {"fast": "empathy-fast", "accurate": "empathy"}
MODEL_NAME = MODEL_NAMES["accurate"]
_ARRAYS = ("weights", "bias", "ratio")
_RETRAIN = "rebuild it with `rapport train empathy --gold data/realtalk/gold.jsonl`"


def model_name(preset: str) -> str:
    """The file name (without suffix) of ``preset``'s model."""
    return preset_model_name(MODEL_NAMES, preset)


def model_id(preset: str) -> str:
    """The ``source`` the codes of ``preset``'s model carry (stored with every code)."""
    return f"{model_name(preset)}@{MODEL_VERSION}"


def label_set() -> dict[str, list[str]]:
    """Each family's labels and the heads, in order: what a saved model must match."""
    out = {f.name: list(f.labels) for f in families()}
    out["heads"] = [f"{m}>={k}" for m, k in HEADS]
    return out


def save_model(model: EmpathyModel, directory: Path = MODEL_DIR, *, data: dict[str, str],
               name: str = MODEL_NAME) -> Path:
    """Write ``<name>.npz`` then ``<name>.json`` into ``directory``; returns the JSON path.

    ``data``: what the model was trained on, ``file -> sha256``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    vec = model.vectorizer_
    arrays = {"word_idf": vec.word_idf_, "prev_idf": vec.prev_idf_,
              # weights as float32 halve the file; biases and shares stay exact
              "weights": model.weights_.astype(np.float32), "bias": model.bias_,
              "ratio": model.ratio_}
    npz_path = directory / f"{name}.npz"
    atomic_write(npz_path, npz_bytes(arrays))
    meta = {
        "format_version": FORMAT_VERSION, "model_version": MODEL_VERSION,
        "package_version": __version__, "labels": label_set(), "training_data": data,
        "arrays": {"file": npz_path.name, "sha256": file_sha256(npz_path)},
        "params": {"c": model.c, "context_weight": model.context_weight,
                   "embed_weight": model.embed_weight,
                   "min_positives": model.min_positives,
                   "random_state": model.random_state},
        "cv_metrics": model.cv_metrics_,
        "vocab": {"word": vec.word_vocab_, "prev": vec.prev_vocab_},
    }
    json_path = directory / f"{name}.json"
    atomic_write(json_path, json.dumps(meta, ensure_ascii=False, separators=(",", ":"),
                                       sort_keys=True).encode("utf-8"))
    return json_path


def read_meta(path: Path) -> dict[str, Any]:
    """Read a model's JSON and refuse a format or label set this code does not speak."""
    if not path.is_file():
        raise RapportInputError("empathy model not found", where=str(path), fix=_RETRAIN)
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise RapportInputError(
            f"model format {meta.get('format_version')!r} is not {FORMAT_VERSION}",
            where=str(path), fix=_RETRAIN)
    if meta.get("labels") != label_set():
        raise RapportInputError("the model's labels do not match this version's",
                                where=str(path), fix=_RETRAIN)
    if meta.get("package_version") != __version__:
        warnings.warn(f"empathy model saved by rapport {meta.get('package_version')}, "
                      f"running {__version__}", UserWarning, stacklevel=2)
    return meta


def load_model(directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> EmpathyModel:
    """Rebuild a fitted model from ``<name>.json`` and its checked ``.npz``."""
    meta = read_meta(directory / f"{name}.json")
    npz_path = directory / meta["arrays"]["file"]
    if not npz_path.is_file() or file_sha256(npz_path) != meta["arrays"]["sha256"]:
        raise RapportInputError(f"{npz_path.name} does not match the sha256 its model "
                                "file records", where=str(npz_path), fix=_RETRAIN)
    model = EmpathyModel(**meta["params"])
    vec = model.new_vectorizer()
    vec.word_vocab_ = meta["vocab"]["word"]
    vec.prev_vocab_ = meta["vocab"]["prev"]
    with np.load(npz_path, allow_pickle=False) as arrays:
        vec.word_idf_ = arrays["word_idf"]
        vec.prev_idf_ = arrays["prev_idf"]
        model.weights_, model.bias_, model.ratio_ = (
            arrays[field].astype(np.float64) for field in _ARRAYS)
    model.vectorizer_ = vec
    model.cv_metrics_ = meta["cv_metrics"]
    return model
