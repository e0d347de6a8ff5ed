"""Which relationship codes may drive feedback, and from what confidence.

A code drives a moment, a rupture episode or an alert only at or above its feedback
threshold, and only when two checks agree:

1. the rule picks one for it on the shipped model: the lowest confidence at which its
   out-of-fold precision on real talk was at least 0.70 with 90% confidence, on at least
   10 turns (:mod:`~rapport.coding.relationship.threshold`); and
2. that rule held up on transcripts its thresholds were not chosen on: right at least 70%
   of the time on at least 10 held-out turns (:mod:`~rapport.coding.relationship.heldout`;
   a model retrained since that measurement counts as not measured).

Codes that fail either are shown as codes but never turned into advice, and every report
the model coded says which codes drive feedback and, in plain words, why the others do not
(:func:`feedback_codes_note`). The thresholds belong to the model that made the code (the
``fast`` and ``accurate`` presets each have their own, chosen and checked the same way):
codes from an earlier relationship model (never measured on real talk) never count, and
codes from elsewhere (a person's corrections, an imported table) count as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from rapport.coding.relationship.codes import ALL_CODES, CODE_LABELS
from rapport.coding.relationship.heldout import HeldOut, gated, read_gate
from rapport.coding.relationship.persist import MODEL_DIR, MODEL_NAMES, model_id, read_meta
from rapport.coding.relationship.threshold import FEEDBACK_MIN_SUPPORT, FEEDBACK_PRECISION
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


@lru_cache(maxsize=2)
def _held_out(preset: str) -> dict[str, HeldOut] | None:
    return read_gate(MODEL_NAMES[preset])


def measurable(name: str, models: Iterable[str]) -> bool:
    """False when ``name`` is a relationship code and no relationship model among
    ``models`` (the session's coders) has a feedback threshold for it: then neither its
    presence nor its absence measures anything, and a figure built on it is "not
    measured". Codes of no relationship model (a person's, a test's) are measurable."""
    if name not in ALL_CODES:
        return True
    relationship = [m for m in models if is_relationship_source(m)]
    if not relationship:
        return True
    return any(m in MODEL_IDS and feedback_thresholds(m).get(name) is not None
               for m in relationship)


def rule_thresholds(source: str = MODEL_ID) -> dict[str, float | None]:
    """``code -> threshold`` the rule chose on the shipped model that writes ``source``
    (None: none), before the held-out check; what feedback uses is
    :func:`feedback_thresholds`."""
    return dict(_meta(MODEL_IDS[source])["feedback"])


def held_out(source: str = MODEL_ID) -> dict[str, HeldOut] | None:
    """The rule's held-out result per code for the model that writes ``source``, or None
    when that model was not measured (:func:`~rapport.coding.relationship.heldout.read_gate`)."""
    return _held_out(MODEL_IDS[source])


def feedback_thresholds(source: str = MODEL_ID) -> dict[str, float | None]:
    """``code -> threshold`` (None: not used for feedback) of the shipped model that
    writes ``source`` (the default preset's when not given): the rule's threshold where
    the rule also held up on held-out transcripts."""
    return gated(rule_thresholds(source), held_out(source))


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
    """``right 4 of 6 times`` at the decision threshold out of fold, or, for a code the
    rule kept that then failed held out, at its feedback threshold held out."""
    name = CODE_LABELS[code]
    checked = held_out(source)
    if rule_thresholds(source).get(code) is not None and checked and code in checked:
        h = checked[code]
        return f"{name} right {h.right} of {h.predicted} times on sessions held out"
    m = _meta(MODEL_IDS[source])["cv_metrics"].get(code, {})
    if "predicted" not in m:  # a model file from before the counts were kept
        return f"{name} {float(m.get('precision', 0.0)):.0%} precision"
    predicted = round(float(m["predicted"]))
    if not predicted:
        return f"{name} never coded"
    right = round(float(m["precision"]) * predicted)
    return f"{name} right {right} of {predicted} time{'s' if predicted != 1 else ''}"


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


def earlier_models_note(sources: Iterable[str]) -> str | None:
    """The note for codes of relationship models this version does not ship (an analysis
    stored before a retraining), or None when there are none: their codes stay readable,
    but no held-out check measured them, so they never drive feedback."""
    earlier = sorted(s for s in set(sources) if is_relationship_source(s) and s not in MODEL_IDS)
    if not earlier:
        return None
    return (f"relationship codes from an earlier version of the coder ({', '.join(earlier)}) "
            "are listed as codes only and make no moments, episodes or alerts: this "
            "version's checks on real sessions did not measure that coder; analyse the "
            "session again to use the current one")


def feedback_codes_note(source: str = MODEL_ID) -> str:
    """Which relationship codes of the model that wrote ``source`` may drive feedback;
    said on every report it coded, so a therapist never reads a code as advice the coder
    was not shown to deserve (:func:`codes_note`)."""
    return codes_note(rule_thresholds(source), held_out(source))


def _right_held_out(code: str, h: HeldOut) -> str:
    times = f"{h.right} of {h.predicted} time{'s' if h.predicted != 1 else ''}"
    if h.precision < FEEDBACK_PRECISION:
        return (f"{CODE_LABELS[code]} was right only {times} ({h.precision:.0%}, below the "
                f"{FEEDBACK_PRECISION:.0%} feedback needs)")
    # right often enough, on too few turns: said as it is, not as "too rarely right"
    return (f"{CODE_LABELS[code]} was right {times}, too few to act on (feedback needs at "
            f"least {FEEDBACK_MIN_SUPPORT})")


def _failed_held_out(codes: list[str], checked: Mapping[str, HeldOut] | None) -> str:
    """Why codes the rule kept still give no feedback, in plain words."""
    if checked is None or any(code not in checked for code in codes):
        names = " and ".join(CODE_LABELS[code] for code in codes)
        one = len(codes) == 1
        return (f"{names} {'has' if one else 'have'} not been checked, for this version of "
                f"the coder, on sessions {'its' if one else 'their'} feedback "
                f"threshold{'' if one else 's'} {'was' if one else 'were'} not chosen on")
    whose = "its feedback threshold was" if len(codes) == 1 else "their feedback thresholds were"
    return (f"on sessions {whose} not chosen on, "
            + " and ".join(_right_held_out(code, checked[code]) for code in codes))


def codes_note(cuts: Mapping[str, float | None],
               checked: Mapping[str, HeldOut] | None) -> str:
    """The note for the rule's feedback thresholds ``cuts`` (``code -> threshold``, None:
    none) and their held-out result ``checked`` (None: not measured).

    >>> note = codes_note({"affirm": None, "seek_collaboration": 0.95},
    ...                   {"seek_collaboration": HeldOut(right=7, predicted=13)})
    >>> note.startswith("relationship codes are not used"), "right only 7 of 13" in note
    (True, True)
    """
    # plain words, as the rest of the report reads: a therapist never sees "seek_collaboration"
    use = gated(cuts, checked)
    used = [f"{CODE_LABELS[code]} (when the coder is at least {cut:.0%} sure)"
            for code in ALL_CODES if (cut := use.get(code)) is not None]
    failed = [code for code in ALL_CODES
              if cuts.get(code) is not None and use.get(code) is None]
    bar = ("right at least 70% of the time on real sessions (with 90% confidence, on at "
           "least 10 turns; docs/models.md)")
    codes_only = "listed as codes only and make no moments, episodes or alerts"
    if used:
        head = ("relationship codes used for feedback: " + ", ".join(used) + "; the others "
                f"are {codes_only}: ")
    else:
        head = "relationship codes are not used for feedback: "
    if failed:
        return (head + _failed_held_out(failed, checked) + "; the others were not shown to be "
                + bar + ("" if used else f"; so all are {codes_only}"))
    if used:
        return head + "they were not shown to be " + bar
    return head + "no code was shown to be " + bar + f", so they are {codes_only}"
