"""Utterance codes: therapist behaviour (and its sub-types) and client talk, per turn.

Two presets behind one API: ``fast`` (TF-IDF of the turn and its context, stacked linear
models) and ``accurate`` (adds frozen MiniLM ONNX embeddings; extra ``accurate``). The
trained models ship in ``models/``; ``rapport train utterance`` rebuilds them.
See ``docs/models.md`` (model cards) and ``docs/codebook.md`` (the codes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.coding.utterance.families import FAMILIES, LIVE_PRESET, MODEL_PRESETS, PRESETS

if TYPE_CHECKING:
    from rapport.coding.utterance.compiled import CompiledCoder

__all__ = ["FAMILIES", "LIVE_PRESET", "PRESETS", "load_coder"]


def load_coder(preset: str = "fast") -> CompiledCoder:
    """The shipped coder of ``preset`` (``fast``, ``accurate`` or ``live``), checked on load.

    ``live`` reads only the turn and the turns before it (for a reply typed in the
    practice room, which has no turns after it).

    Returns the compiled, numpy-only form (no scikit-learn import: fast start-up); the
    scikit-learn estimator itself loads with ``persist.load_coder_file``. The session
    presets come with their punctuation-free companion (``coder.companion``, loaded on
    first use), which codes sessions without punctuation
    (:mod:`rapport.coding.utterance.punctuation`).
    """
    from rapport.coding.utterance.persist import card_path, load_compiled_file, shipped_path
    from rapport.errors import RapportInputError

    if preset not in MODEL_PRESETS:
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use one of: " + ", ".join(MODEL_PRESETS))
    path = shipped_path(preset)
    if not path.exists():
        raise RapportInputError(f"no shipped {preset} utterance model", where=str(path),
                                fix="run `rapport train utterance --preset " + preset + "`")
    coder = load_compiled_file(path)
    companion = shipped_path(preset, bare=True)
    if preset in PRESETS and card_path(companion).exists():
        coder.companion_file = companion  # loaded (and checked) when first needed
    return coder
