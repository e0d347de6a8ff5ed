"""Which relationship codes may drive feedback, and from what confidence.

A code drives a moment, a rupture episode or an alert only at or above its feedback
threshold: the lowest confidence at which its out-of-fold precision on real talk was at
least 0.70 with 90% confidence, on at least 10 turns
(:mod:`~rapport.coding.relationship.threshold`). Codes without one are shown as codes but
never turned into advice, and every report the model coded says which codes drive feedback
(:func:`feedback_codes_note`). The threshold belongs to the model that made the code (the
``fast`` and ``accurate`` presets each have their own, chosen the same way): codes from an
earlier relationship model (never measured on real talk) never count, and codes from
elsewhere (a person's corrections, an imported table) count as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from rapport.coding.relationship.codes import ALL_CODES, CODE_LABELS
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


def _how_often_right(source: str, code: str) -> str:
    """``right 4 of 6 times`` out of fold at the decision threshold (the coded turns)."""
    m = _meta(MODEL_IDS[source])["cv_metrics"].get(code, {})
    if "predicted" not in m:  # a model file from before the counts were kept
        return f"{code} {float(m.get('precision', 0.0)):.0%} precision"
    predicted = round(float(m["predicted"]))
    if not predicted:
        return f"{code} never coded"
    right = round(float(m["precision"]) * predicted)
    return f"{code} right {right} of {predicted} time{'s' if predicted != 1 else ''}"


def not_used_note(codes: tuple[str, ...], what: str, source: str = MODEL_ID) -> str | None:
    """Why ``what`` is not shown, when none of ``codes`` reaches its feedback bar in the
    model that wrote ``source``, else None.

    The counts are said as they are: a code right 4 of 4 times is not "too rarely right",
    it rests on too few turns to act on, and the note must not claim otherwise.
    """
    cuts = feedback_thresholds(source)
    if any(cuts.get(code) is not None for code in codes):
        return None
    counts = ", ".join(_how_often_right(source, code) for code in codes)
    return (f"{what} are not shown: on real sessions the relationship coder's markers were "
            f"not shown to be right often enough to act on ({counts}; feedback needs at "
            "least 70% right, with 90% confidence, on at least 10 turns; docs/models.md)")


def feedback_codes_note(source: str = MODEL_ID) -> str:
    """Which relationship codes of the model that wrote ``source`` may drive feedback;
    said on every report it coded, so a therapist never reads a code as advice the coder
    was not shown to deserve (:func:`codes_note`)."""
    return codes_note(feedback_thresholds(source))


def codes_note(cuts: Mapping[str, float | None]) -> str:
    """The note for feedback thresholds ``cuts`` (``code -> threshold``, None: not used).

    >>> codes_note({"affirm": None, "seek_collaboration": 0.95})[:70]
    'relationship codes used for feedback: seeking collaboration (when the '
    """
    # plain words, as the rest of the report reads: a therapist never sees "seek_collaboration"
    used = [f"{CODE_LABELS[code]} (when the coder is at least {cut:.0%} sure)"
            for code in ALL_CODES if (cut := cuts.get(code)) is not None]
    why = ("not shown to be right at least 70% of the time on real sessions (with 90% "
           "confidence, on at least 10 turns; docs/models.md)")
    if not used:
        return ("relationship codes are not used for feedback: none was " + why + ", so "
                "they are listed as codes only and make no moments, episodes or alerts")
    return ("relationship codes used for feedback: " + ", ".join(used) + "; the others "
            "are listed as codes only and make no moments, episodes or alerts: they were "
            + why)
