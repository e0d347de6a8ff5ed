"""Saving and loading coders: a joblib file plus a JSON card that is checked first.

The card (``<name>.json``) records the format version, the label set, the sha256 of the
training data, the package and scikit-learn versions and the cross-validated metrics.
Loading refuses a model whose format or label set differs from this code's (the codes
would mean something else) and warns when the package version differs.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rapport import __version__
from rapport.coding.utterance.families import LABEL_SET
from rapport.coding.utterance.punctuation import preset_label
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from rapport.coding.utterance.compiled import CompiledCoder
    from rapport.coding.utterance.model import UtteranceCoder

FORMAT_VERSION = 2  # 2: reply (next-turn) context blocks in the compiled layout
MODELS_DIR = Path(__file__).parent / "models"


class ModelVersionWarning(UserWarning):
    """A saved model was made by another Rapport version (it still loads)."""


def card_path(path: Path) -> Path:
    return path.with_suffix(".json")


def save_coder(coder: UtteranceCoder, path: Path, *, data_sha256: str,
               metrics: dict[str, Any] | None = None, companion: bool = False) -> Path:
    """Write ``path`` (joblib), its compiled ``.npz`` and its card; returns the card's path.

    ``companion=True`` (the punctuation-free companions) writes only the compiled file,
    with float32 coefficients, and the card: inference never needs a companion's
    scikit-learn form, and the two would add about 30 MB to the package."""
    import joblib
    import sklearn

    from rapport.coding.utterance.compiled import compile_coder

    path.parent.mkdir(parents=True, exist_ok=True)
    compiled = compile_coder(coder, path.with_suffix(".npz"),
                             coef_dtype=np.float32 if companion else np.float64)
    card = {"format_version": FORMAT_VERSION, "model_id": coder.model_id,
            "preset": coder.preset, "labels": LABEL_SET, "data_sha256": data_sha256,
            "package_version": __version__, "sklearn_version": sklearn.__version__,
            "params": {k: list(v) if isinstance(v, tuple) else v
                       for k, v in coder.get_params().items()},
            "metrics": metrics or {},
            "compiled": {"file": compiled.name, "sha256": _sha256(compiled)}}
    if not companion:
        tmp = path.with_suffix(".tmp")
        joblib.dump(coder, tmp, compress=3)
        tmp.replace(path)
    card_path(path).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card_path(path)


def read_card(path: Path) -> dict[str, Any]:
    try:
        card: dict[str, Any] = json.loads(card_path(path).read_text())
    except FileNotFoundError as exc:
        raise RapportInputError("model card missing", where=str(card_path(path)),
                                fix="rebuild the model with `rapport train utterance`"
                                ) from exc
    return card


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_card(path: Path) -> dict[str, Any]:
    """Refuse a format or label-set mismatch, warn on a package-version mismatch."""
    card = read_card(path)
    if card.get("format_version") != FORMAT_VERSION:
        raise RapportInputError(
            f"model format {card.get('format_version')} is not {FORMAT_VERSION}",
            where=str(path), fix="rebuild the model with `rapport train utterance`")
    if card.get("labels") != LABEL_SET:
        raise RapportInputError("model label set differs from this version's code families",
                                where=str(path),
                                fix="rebuild the model with `rapport train utterance`")
    if card.get("package_version") != __version__:
        warnings.warn(f"model {path.name} was saved by rapport {card.get('package_version')}"
                      f", this is {__version__}; codes may differ slightly",
                      ModelVersionWarning, stacklevel=3)
    return card


def load_coder_file(path: Path) -> UtteranceCoder:
    """Load a saved (scikit-learn) coder after checking its card (see module docstring)."""
    import joblib

    from rapport.coding.utterance.model import UtteranceCoder

    check_card(path)
    with warnings.catch_warnings():
        # scikit-learn's own version warning is covered by the card check above
        warnings.simplefilter("ignore", UserWarning)
        coder = joblib.load(path)
    if not isinstance(coder, UtteranceCoder):
        raise RapportInputError("file does not hold an utterance coder", where=str(path),
                                fix="rebuild the model with `rapport train utterance`")
    return coder


def load_compiled_file(path: Path) -> CompiledCoder:
    """Load the compiled (numpy-only) form of a saved coder after checking its card."""
    from rapport.coding.utterance.compiled import load_compiled

    card = check_card(path)
    info = card.get("compiled") or {}
    compiled = path.with_name(str(info.get("file", "")))
    if not info or not compiled.is_file() or _sha256(compiled) != info.get("sha256"):
        raise RapportInputError("compiled model missing or not the one its card names",
                                where=str(compiled),
                                fix="rebuild the model with `rapport train utterance`")
    return load_compiled(compiled)


def shipped_path(preset: str, *, bare: bool = False) -> Path:
    """Where the shipped coder of ``preset`` lives (``bare``: its punctuation-free
    companion; only its card and compiled file exist)."""
    return MODELS_DIR / f"utterance-{preset_label(preset, bare=bare)}.joblib"
