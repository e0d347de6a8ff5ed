"""Which relationship codes may drive feedback, and from what confidence.

A code drives a moment, a rupture episode or an alert only at or above its feedback
threshold: the lowest confidence at which its out-of-fold precision on real talk reached
0.70 (:mod:`~rapport.coding.relationship.model`). Codes without one are shown as codes
but never turned into advice. The threshold belongs to the model that made the code (the
``fast`` and ``accurate`` presets each have their own, chosen the same way): codes from an
earlier relationship model (never measured on real talk) never count, and codes from
elsewhere (a person's corrections, an imported table) count as they are.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rapport.coding.relationship.codes import ALL_CODES
from rapport.coding.relationship.persist import MODEL_DIR, MODEL_NAMES, model_id, read_meta
from rapport.domain import Code

#: The model id of each preset's codes, ``source -> preset``.
MODEL_IDS = {model_id(preset): preset for preset in MODEL_NAMES}
#: The id of the default (``fast``) model's codes.
MODEL_ID = model_id("fast")


def is_relationship_source(source: str) -> bool:
    """True when ``source`` names any relationship model, this version's or an earlier one."""
    return source.startswith(("relationship@", "relationship-"))


@lru_cache(maxsize=2)
def _meta(preset: str) -> dict[str, Any]:
    return read_meta(MODEL_DIR / f"{MODEL_NAMES[preset]}.json")


def feedback_thresholds(source: str = MODEL_ID) -> dict[str, float | None]:
    """``code -> threshold`` (None: not used for feedback) of the shipped model that
    writes ``source`` (the default preset's when not given)."""
    return dict(_meta(MODEL_IDS[source])["feedback"])


def usable_for_feedback(code: Code) -> bool:
    """True when ``code`` applies and is sure enough to base feedback on."""
    if code.value is not True:
        return False
    if code.name not in ALL_CODES or not is_relationship_source(code.source):
        return True
    if code.source not in MODEL_IDS:
        return False
    cut = feedback_thresholds(code.source).get(code.name)
    return cut is not None and code.confidence >= cut


def _precision(source: str) -> dict[str, float]:
    meta = _meta(MODEL_IDS[source])
    return {code: float(m["precision"]) for code, m in meta["cv_metrics"].items()}


def not_used_note(codes: tuple[str, ...], what: str, source: str = MODEL_ID) -> str | None:
    """Why ``what`` is not shown, when none of ``codes`` reaches its feedback bar in the
    model that wrote ``source``, else None."""
    cuts = feedback_thresholds(source)
    if any(cuts.get(code) is not None for code in codes):
        return None
    right = " / ".join(f"{code} {_precision(source).get(code, 0.0):.0%}" for code in codes)
    return (f"{what} are not shown: on real sessions the relationship coder's markers were "
            f"right too rarely to act on ({right} precision, below the 70% bar for "
            "feedback; docs/models.md)")
