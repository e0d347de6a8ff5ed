"""Save and load a fitted :class:`RelationshipModel` as JSON + ``.npz`` (never a pickle).

The JSON records the format version, the label set, the sha256 of the training data, the
package version, the parameters and the cross-validated metrics. Loading refuses a
different format or label set (:class:`RapportInputError`) and warns when the model was
saved by another package version.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from rapport import __version__
from rapport.coding.presets import preset_model_name
from rapport.coding.relationship.codes import CODES_BY_ROLE
from rapport.coding.relationship.features import ROLES, TurnVectorizer
from rapport.coding.relationship.model import RelationshipModel, RoleHeads
from rapport.domain import Role
from rapport.errors import RapportInputError

FORMAT_VERSION = 2
#: The version in each preset's model id. ``accurate`` 2.1 ships the mean of its fold
#: models instead of a refit (same codes and thresholds chosen, new weights): codes of 2.0
#: stay readable but never drive feedback, since its held-out check measured another model.
#: ``fast`` 2.1 and ``accurate`` 2.2 are the same recipes retrained on the gold whose every
#: development transcript is double-coded (2026-12-07).
MODEL_VERSIONS = {"fast": "2.1", "accurate": "2.2"}
MODEL_DIR = Path(__file__).resolve().parent / "models"
#: The file of each preset's model. ``accurate`` keeps the name the one model had before
#: the presets split (it is that model: frozen MiniLM embeddings on); ``fast`` is the same
#: recipe without embeddings, so `rapport code` never loads ONNX Runtime for it.
MODEL_NAMES = {"fast": "relationship-fast", "accurate": "relationship"}
MODEL_NAME = MODEL_NAMES["accurate"]


def model_name(preset: str) -> str:
    """The file name (without suffix) of ``preset``'s model."""
    return preset_model_name(MODEL_NAMES, preset)


def model_id(preset: str) -> str:
    """The ``source`` the codes of ``preset``'s model carry (stored with every code)."""
    name = model_name(preset)
    return f"{name}@{MODEL_VERSIONS[preset]}"


def label_set() -> dict[str, list[str]]:
    """The codes of each role, in order: what a saved model must match."""
    return {role: list(CODES_BY_ROLE[Role(role)]) for role in ROLES}


def atomic_write(path: Path, data: bytes) -> None:
    # write beside the target and rename, so a crash never leaves half a model
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).chmod(0o644)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An ``.npz`` that ``np.load`` reads, byte for byte the same for the same arrays.

    ``np.savez`` stamps each member with the current time, so the same model would get a
    new sha256 on every training run; here every member carries a fixed date.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for key in sorted(arrays):
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as member:
                np.lib.format.write_array(member, np.asarray(arrays[key]),
                                          allow_pickle=False)
    return buffer.getvalue()


def _version_of(name: str) -> str:
    # a file saved under another name (a test's, a benchmark's) takes the accurate version
    preset = next((p for p, n in MODEL_NAMES.items() if n == name), "accurate")
    return MODEL_VERSIONS[preset]


_HEAD_ARRAYS = ("stage1", "bias1", "stage2", "bias2", "scale", "shift", "threshold")


def save_model(model: RelationshipModel, directory: Path = MODEL_DIR, *,
               data: dict[str, str], name: str = MODEL_NAME) -> Path:
    """Write ``<name>.json`` and ``<name>.npz`` into ``directory``; returns the JSON path.

    ``data``: what the model was trained on, ``file -> sha256``.
    """
    directory.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    vocab: dict[str, dict[str, list[str]]] = {}
    for role, vec in model.vectorizers_.items():
        vocab[role] = {"word": vec.word_vocab_, "prev": vec.prev_vocab_}
        arrays[f"{role}.word_idf"] = vec.word_idf_
        arrays[f"{role}.prev_idf"] = vec.prev_idf_
    for role, heads in model.heads_.items():
        for field in _HEAD_ARRAYS:
            value = getattr(heads, field)
            # weights as float32 halve the file; the biases and calibration stay exact
            arrays[f"{role}.{field}"] = (value.astype(np.float32)
                                         if field in ("stage1", "stage2") else value)
    meta = {
        "format_version": FORMAT_VERSION, "model_version": _version_of(name),
        "package_version": __version__, "labels": label_set(), "training_data": data,
        "params": {"c": model.c, "rule_weight": model.rule_weight,
                   "context_weight": model.context_weight,
                   "embed_weight": model.embed_weight, "stack_weight": model.stack_weight,
                   "offsets": model.offsets,
                   "cv_folds": model.cv_folds, "random_state": model.random_state,
                   "synthetic_codes": list(model.synthetic_codes), "final": model.final},
        "cv_metrics": model.cv_metrics_, "feedback": model.feedback_, "vocab": vocab,
    }
    npz_path = directory / f"{name}.npz"
    atomic_write(npz_path, npz_bytes(arrays))
    json_path = directory / f"{name}.json"
    atomic_write(json_path, json.dumps(meta, ensure_ascii=False, separators=(",", ":"),
                                        sort_keys=True).encode("utf-8"))
    return json_path


def read_meta(path: Path) -> dict[str, Any]:
    """Read a model's JSON and refuse a format or label set this code does not speak."""
    if not path.is_file():
        raise RapportInputError("relationship model not found", where=str(path),
                                fix="run `python -m rapport.coding.relationship.training`")
    meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise RapportInputError(
            f"model format {meta.get('format_version')!r} is not {FORMAT_VERSION}",
            where=str(path), fix="retrain the relationship model with this version")
    if meta.get("labels") != label_set():
        raise RapportInputError("the model's codes do not match this version's codes",
                                where=str(path),
                                fix="retrain the relationship model with this version")
    if meta.get("package_version") != __version__:
        warnings.warn(f"relationship model saved by rapport {meta.get('package_version')}, "
                      f"running {__version__}", UserWarning, stacklevel=2)
    return meta


def load_model(directory: Path = MODEL_DIR, name: str = MODEL_NAME) -> RelationshipModel:
    """Rebuild a fitted model from ``<name>.json`` and ``<name>.npz``."""
    meta = read_meta(directory / f"{name}.json")
    # files written before ``final`` existed hold a refit on all rows
    model = RelationshipModel(**{"final": "refit", **meta["params"]})
    with np.load(directory / f"{name}.npz", allow_pickle=False) as arrays:
        model.vectorizers_ = {}
        model.heads_ = {}
        for role in ROLES:
            vec = TurnVectorizer(role=role, rule_weight=model.rule_weight,
                                 context_weight=model.context_weight,
                                 embed_weight=model.embed_weight)
            vec.word_vocab_ = meta["vocab"][role]["word"]
            vec.prev_vocab_ = meta["vocab"][role]["prev"]
            vec.word_idf_ = arrays[f"{role}.word_idf"]
            vec.prev_idf_ = arrays[f"{role}.prev_idf"]
            model.vectorizers_[role] = vec
            model.heads_[role] = RoleHeads(**{
                field: arrays[f"{role}.{field}"].astype(np.float64) for field in _HEAD_ARRAYS})
    model.cv_metrics_ = meta["cv_metrics"]
    model.feedback_ = meta["feedback"]
    return model
