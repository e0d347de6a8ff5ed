"""Presets of a coder: which model file each preset loads, and the id its codes carry.

The relationship and empathy coders each ship a ``fast`` model (no embeddings) and an
``accurate`` one; this is the one place that maps a preset to its file name.
"""

from __future__ import annotations

from collections.abc import Mapping

from rapport.errors import RapportInputError


def preset_model_name(names: Mapping[str, str], preset: str) -> str:
    """The file name (without suffix) of ``preset``'s model among ``names``."""
    if preset not in names:
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use one of: " + ", ".join(names))
    return names[preset]
