"""Which relationship codes may drive feedback, and from what confidence.

A code drives a moment, a rupture episode or an alert only at or above its feedback
threshold: the lowest confidence at which its out-of-fold precision on real talk reached
0.70 (:mod:`~rapport.coding.relationship.model`). Codes without one are shown as codes
but never turned into advice. The threshold belongs to the model that made the code:
codes from an earlier relationship model (never measured on real talk) never count, and
codes from elsewhere (a person's corrections, an imported table) count as they are.
"""

from __future__ import annotations

from functools import lru_cache

from rapport.coding.relationship.codes import ALL_CODES
from rapport.coding.relationship.persist import MODEL_DIR, MODEL_NAME, MODEL_VERSION, read_meta
from rapport.domain import Code

MODEL_ID = f"relationship@{MODEL_VERSION}"


@lru_cache(maxsize=1)
def feedback_thresholds() -> dict[str, float | None]:
    """``code -> threshold`` (None: not used for feedback) of the shipped model."""
    meta = read_meta(MODEL_DIR / f"{MODEL_NAME}.json")
    return dict(meta["feedback"])


def usable_for_feedback(code: Code) -> bool:
    """True when ``code`` applies and is sure enough to base feedback on."""
    if code.value is not True:
        return False
    if code.name not in ALL_CODES or not code.source.startswith("relationship@"):
        return True
    if code.source != MODEL_ID:
        return False
    cut = feedback_thresholds().get(code.name)
    return cut is not None and code.confidence >= cut


@lru_cache(maxsize=1)
def _precision() -> dict[str, float]:
    meta = read_meta(MODEL_DIR / f"{MODEL_NAME}.json")
    return {code: float(m["precision"]) for code, m in meta["cv_metrics"].items()}


def not_used_note(codes: tuple[str, ...], what: str) -> str | None:
    """Why ``what`` is not shown, when none of ``codes`` reaches its feedback bar, else None."""
    cuts = feedback_thresholds()
    if any(cuts.get(code) is not None for code in codes):
        return None
    right = " / ".join(f"{code} {_precision().get(code, 0.0):.0%}" for code in codes)
    return (f"{what} are not shown: on real sessions the relationship coder's markers were "
            f"right too rarely to act on ({right} precision, below the 70% bar for "
            "feedback; docs/models.md)")
