"""How the pages show the stored relationship-profile metrics (``profile.<key>`` rows).

Every key has a declared format (:data:`FORMATS`, the same text as the session page's
report); a key without one reads as a plain number, never as a percentage. Reference
ranges are the profile's own (MITI thresholds, ``docs/metrics.md``): R:Q, %CR, %OQ and the
estimated Technical and Relational globals; no other metric has one in the literature,
and none is invented here. A figure is banded only when it rests on
:data:`~rapport.profile.models.MIN_BAND_N` units, as in the session report ("too few to
judge" under that), which needs the stored document (:func:`basis_of`): the metric rows
keep values only.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

from rapport.coding.relationship.codes import CODE_LABELS
from rapport.coding.relationship.feedback import measurable
from rapport.domain import CodedSession
from rapport.profile import behaviours
from rapport.profile.listening import REF_COMPLEX, REF_OPEN, REF_R_Q, band, therapist_turns
from rapport.profile.miti import SOURCE as MITI_SOURCE
from rapport.profile.miti import THRESHOLDS as MITI_THRESHOLDS
from rapport.profile.models import ProfileMetric, ProfileResult, ReferenceRange
from rapport.profile.relationship import AUTONOMY_CODES, DIRECTIVE_CODES
from rapport.profile.section import band_text
from rapport.profile.view import SessionView
from rapport.store.analyses import AnalysisView, read_analysis
from rapport.store.tx import Tx


def _miti(summary: str) -> ReferenceRange:
    fair, good = MITI_THRESHOLDS[summary]
    return ReferenceRange(fair=fair, good=good, source=MITI_SOURCE)


PREFIX = "profile."
#: Stored metric name -> the literature reference range (higher is better for each).
REFERENCES: dict[str, ReferenceRange] = {
    "profile.reflection_to_question": REF_R_Q,
    "profile.complex_reflection_share": REF_COMPLEX,
    "profile.open_question_share": REF_OPEN,
    "profile.miti_technical_estimate": _miti("technical"),
    "profile.miti_relational_estimate": _miti("relational"),
}
_SHARE = "{:.0%}"
_COUNT = "{:.0f}"
#: Every figure the profile stores, in the unit it is read in: the same text as the
#: session page (``rapport.profile.section.format_value``, MITI lines ``miti_lines``).
FORMATS: dict[str, str] = {
    "profile.reflection_to_question": "{:.1f}:1",
    "profile.complex_reflection_share": _SHARE,
    "profile.open_question_share": _SHARE,
    "profile.follow_up_rate": _SHARE,
    "profile.empathy": "{:.1f} of 6",  # EPITOME, 0-6 per therapist turn
    "profile.empathy_estimate": _SHARE,  # the retired 0-1 heuristic
    "profile.validation_rate": _SHARE,
    "profile.autonomy_support": _SHARE,
    "profile.transparency_rate": _SHARE,
    "profile.change_talk_share": _SHARE,
    "profile.emotional_disclosure": _SHARE,
    "profile.boundary_moments": _COUNT,
    "profile.therapist_word_share": _SHARE,
    "profile.client_words_per_turn": "{:.1f} words",
    "profile.client_response_latency": "{:.1f} s",
    "profile.ruptures": _COUNT,
    "profile.ruptures_repaired": _COUNT,
    "profile.miti_adherent": _COUNT,
    "profile.miti_non_adherent": _COUNT,
    "profile.miti_technical_estimate": "{:.1f}",  # estimated global, 1-5
    "profile.miti_relational_estimate": "{:.1f}",
}
#: The metrics the supervision page follows, in reading order. ``empathy_estimate`` is the
#: retired heuristic, still shown for analyses stored before ``empathy`` replaced it.
KEY_METRICS = ("profile.reflection_to_question", "profile.complex_reflection_share",
               "profile.open_question_share", "profile.follow_up_rate",
               "profile.empathy", "profile.empathy_estimate", "profile.validation_rate",
               "profile.autonomy_support", "profile.change_talk_share",
               "profile.therapist_word_share")
NOT_MEASURED = "not measured"


def is_profile(name: str) -> bool:
    return name.startswith(PREFIX)


#: Every metric an analysis stores, as a therapist or researcher reads it (the report's
#: own words for the profile's figures).
LABELS: dict[str, str] = {
    "risk.turns": "Turns with risk language",
    "risk.urgent": "Turns with urgent risk language",
    "turn_taking.therapist_word_share": "Therapist share of words",
    "turn_taking.client_word_share": "Client share of words",
    "turn_taking.therapist_time_share": "Therapist share of speaking time",
    "turn_taking.client_time_share": "Client share of speaking time",
    "turn_taking.latency_client_to_therapist_median_s":
        "Pause before the therapist answers (median)",
    "turn_taking.latency_therapist_to_client_median_s":
        "Pause before the client answers (median)",
    "nonverbal.movement_synchrony": "Movement synchrony",
    "nonverbal.movement_best_lag_s": "Movement synchrony: who leads, by how long",
    "nonverbal.movement_synchrony_es": "Movement synchrony beyond chance (effect size)",
    "nonverbal.movement_synchrony_p": "Movement synchrony: chance it is coincidence",
    "nonverbal.pitch_synchrony_r": "Voice pitch synchrony",
    "nonverbal.intensity_synchrony_r": "Loudness synchrony",
    "nonverbal.rate_synchrony_r": "Speaking-rate synchrony",
    "nonverbal.fto_client_to_therapist_median_s":
        "Gap or overlap before the therapist speaks (median)",
    "nonverbal.fto_therapist_to_client_median_s":
        "Gap or overlap before the client speaks (median)",
    "profile.reflection_to_question": "Reflection-to-question ratio",
    "profile.complex_reflection_share": "Complex reflections",
    "profile.open_question_share": "Open questions",
    "profile.follow_up_rate": "Follow-up on client disclosures",
    "profile.empathy": "Empathy (EPITOME, 0-6)",
    "profile.empathy_estimate": "Empathy estimate (retired heuristic)",
    "profile.validation_rate": "Validation and affirmation",
    "profile.autonomy_support": "Autonomy support vs directiveness",
    "profile.transparency_rate": "Transparency",
    "profile.change_talk_share": "Client change vs sustain talk",
    "profile.emotional_disclosure": "Client emotional disclosure",
    "profile.boundary_moments": "Boundary-relevant moments",
    "profile.therapist_word_share": "Therapist share of words",
    "profile.client_words_per_turn": "Client words per turn",
    "profile.client_response_latency": "Client response latency (median)",
    "profile.ruptures": "Ruptures",
    "profile.ruptures_repaired": "Ruptures repaired",
    "profile.miti_adherent": "MI-adherent behaviours (MITI count)",
    "profile.miti_non_adherent": "MI-non-adherent behaviours (MITI count)",
    "profile.miti_technical_estimate": "MITI technical global (estimate, 1-5)",
    "profile.miti_relational_estimate": "MITI relational global (estimate, 1-5)",
}


def label(name: str) -> str:
    """A stored metric's name in words (``profile.open_question_share`` -> ``Open
    questions``); a name Rapport does not know reads as its words, its group first."""
    if name in LABELS:
        return LABELS[name]
    group, _, key = name.rpartition(".")
    words = key.replace("_", " ")
    return f"{words.capitalize()} ({group.replace('_', ' ')})" if group else \
        words.capitalize()


def fmt(name: str, value: float | None) -> str:
    """The value in the unit the metric is read in (ratio, count, words, seconds, share,
    score); a name without a declared format reads as a plain number."""
    if value is None:
        return "—"
    return FORMATS.get(name, "{:.3g}").format(value)


def reference_text(name: str) -> str | None:
    ref = REFERENCES.get(name)
    if ref is None:
        return None
    return f"fair ≥ {fmt(name, ref.fair)}, good ≥ {fmt(name, ref.good)}"


def reference_band(name: str, value: float | None, *, n: int | None) -> str | None:
    """``good`` / ``fair`` / ``below fair`` against the literature, where it has a range,
    or "too few to judge" when the figure rests on ``n`` units, fewer than the report
    bands (the session page's words). None when the count is not known (an analysis whose
    document was purged keeps its values only): no band rather than one on an unknown
    count."""
    ref = REFERENCES.get(name)
    if ref is None or value is None or n is None:
        return None
    return band_text(band(value, ref, n)) or None


@dataclass(frozen=True)
class Basis:
    """What a stored analysis document says behind its figures: how many units each
    rests on (``profile.<key> -> n``) and which were not measured, with why in words. The
    empty basis is an analysis without a readable document: counts unknown."""

    n: Mapping[str, int] = field(default_factory=dict)
    not_measured: Mapping[str, str] = field(default_factory=dict)

    def measured(self, name: str, value: float | None) -> float | None:
        """The value, or None when this analysis did not measure it."""
        return None if name in self.not_measured else value

    def text(self, name: str, value: float | None) -> str:
        return NOT_MEASURED if name in self.not_measured else fmt(name, value)


UNKNOWN = Basis()
_CODE_MOVES = frozenset((*AUTONOMY_CODES, *DIRECTIVE_CODES))


def autonomy_not_measured(coded: CodedSession) -> str | None:
    """Why the autonomy-support figure is not a measurement, or None when it is.

    It is not when every move it counts rests only on relationship codes below their
    feedback bar (:func:`~rapport.coding.relationship.feedback.usable_for_feedback`):
    codes the session page lists "as codes only", like a rupture marker that cannot
    count ("not measured is not none", ``docs/metrics.md``). A permission phrase, advice
    without permission, or a code sure enough for feedback makes it measured."""
    view = SessionView(coded)
    below: set[str] = set()
    for i in therapist_turns(view):
        for move in (*behaviours.backing_off(view, i), *behaviours.directive(view, i)):
            if move not in _CODE_MOVES or view.feedback(i, move):
                return None
            below.add(move)
    if not below:
        return None  # nothing counted: the profile stores no figure and says why
    names = ", ".join(CODE_LABELS[c] for c in sorted(below))
    return (f"it rests only on relationship codes below their feedback bar ({names}), "
            "listed as codes only")


def _ruptures_why(profile: ProfileResult) -> str:
    if any("rupture" in note for note in profile.notes):
        return "the coder's rupture markers are below their feedback bar"
    return "no rupture marker codes"


def _only_codes(metric: ProfileMetric) -> bool:
    """False when the figure's evidence shows a move that is no code (a permission phrase,
    advice without permission): then it is measured whatever the codes, and the session
    need not be read back (evidence notes name a turn's moves, comma-separated)."""
    return all(part in _CODE_MOVES for e in metric.evidence
               for part in e.note.removeprefix("directive: ").split(", "))


def basis_of(document_json: str) -> Basis:
    """The basis of a stored analysis (``rapport analyze --json``); :data:`UNKNOWN` for a
    document this version cannot read. Only the profile section is validated, and the
    coded turns only when the autonomy figure might rest on codes alone."""
    from rapport.pipeline.stored import coded_from_document
    from rapport.report.document import AnalysisDocument

    try:
        raw = json.loads(document_json)
        data = raw["sections"]["profile"]
        profile = ProfileResult.model_validate(data)
    except (ValueError, TypeError, KeyError):  # ValidationError is a ValueError
        return UNKNOWN
    n = {PREFIX + m.key: m.n for m in profile.metrics}
    if profile.miti is not None:  # the globals are banded on the therapist turns
        n[PREFIX + "miti_technical_estimate"] = profile.miti.therapist_turns
        n[PREFIX + "miti_relational_estimate"] = profile.miti.therapist_turns
    not_measured = {}
    if not profile.ruptures_measured:
        why = _ruptures_why(profile)
        not_measured = {PREFIX + "ruptures": why, PREFIX + "ruptures_repaired": why}
    # Stored before validation and disclosure counted only codes sure enough for feedback:
    # a coder that can give feedback on none of their codes measured nothing (0%, 6%).
    models = raw.get("models") or []
    if not any(measurable(c, models) for c in ("affirm", "normalize")):
        not_measured[PREFIX + "validation_rate"] = (
            "the relationship coder's affirm and normalize codes are below their feedback "
            "bar, listed as codes only")
    if not measurable("emotional_disclosure", models):
        why = ("the relationship coder's emotional_disclosure codes are below their "
               "feedback bar, listed as codes only")
        not_measured[PREFIX + "emotional_disclosure"] = why
        not_measured[PREFIX + "follow_up_rate"] = why
    autonomy = next((m for m in profile.metrics if m.key == "autonomy_support"), None)
    if autonomy is not None and autonomy.value is not None and _only_codes(autonomy):
        try:
            coded = coded_from_document(AnalysisDocument.model_validate(raw))
        except ValidationError:
            return Basis(n=n, not_measured=not_measured)
        why_not = autonomy_not_measured(coded)
        if why_not is not None:
            not_measured[PREFIX + "autonomy_support"] = why_not
    return Basis(n=n, not_measured=not_measured)


def stored_basis(tx: Tx, analysis: AnalysisView) -> Basis:
    """The basis of a stored analysis the actor may read (an audited read of its
    document); :data:`UNKNOWN` once the retention policy purged the document."""
    if analysis.purged:
        return UNKNOWN
    return basis_of(read_analysis(tx, analysis.id))


def not_measured_note(name: str, sessions: Sequence[tuple[int, Basis]]) -> str | None:
    """``not measured in sessions 1 and 2: why`` for the sessions whose analysis did not
    measure ``name`` (grouped by reason), or None."""
    by_reason: dict[str, list[int]] = {}
    for number, basis in sessions:
        if name in basis.not_measured:
            by_reason.setdefault(basis.not_measured[name], []).append(number)
    if not by_reason:
        return None
    return "; ".join(f"{NOT_MEASURED} in {_sessions_words(numbers)}: {why}"
                     for why, numbers in by_reason.items())


def _sessions_words(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"session {numbers[0]}"
    return "sessions " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


@dataclass(frozen=True)
class Distribution:
    """The spread of one metric over the analyses a viewer can read (not a norm)."""

    n: int
    q1: float
    median: float
    q3: float

    def place(self, value: float | None) -> str | None:
        if value is None or self.n < 4:
            return None
        if value < self.q1:
            return "below middle half"
        return "above middle half" if value > self.q3 else "within middle half"


def distribution(values: Sequence[float | None]) -> Distribution | None:
    """Quartiles of the known values; None with fewer than two."""
    known = sorted(v for v in values if v is not None)
    if len(known) < 2:
        return None
    q1, median, q3 = statistics.quantiles(known, n=4, method="inclusive")
    return Distribution(n=len(known), q1=q1, median=median, q3=q3)
