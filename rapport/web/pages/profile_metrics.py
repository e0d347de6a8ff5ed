"""How the pages show the stored relationship-profile metrics (``profile.<key>`` rows).

Reference ranges are the profile's own (MITI thresholds, ``docs/metrics.md``); no other
metric has one in the literature, and none is invented here.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from rapport.profile.listening import REF_COMPLEX, REF_OPEN, REF_R_Q, band
from rapport.profile.models import ReferenceRange

PREFIX = "profile."
#: Stored metric name -> the literature reference range (higher is better for each).
REFERENCES: dict[str, ReferenceRange] = {
    "profile.reflection_to_question": REF_R_Q,
    "profile.complex_reflection_share": REF_COMPLEX,
    "profile.open_question_share": REF_OPEN,
}
_COUNTS = {"boundary_moments", "ruptures", "ruptures_repaired"}
_PLAIN = {"client_words_per_turn": " words", "client_response_latency": " s"}
#: The metrics the supervision page follows, in reading order. ``empathy_estimate`` is the
#: retired heuristic, still shown for analyses stored before ``empathy`` replaced it.
KEY_METRICS = ("profile.reflection_to_question", "profile.complex_reflection_share",
               "profile.open_question_share", "profile.follow_up_rate",
               "profile.empathy", "profile.empathy_estimate", "profile.validation_rate",
               "profile.autonomy_support", "profile.change_talk_share",
               "profile.therapist_word_share")


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
    """The value in the unit the metric is read in (ratio, count, words, seconds, share)."""
    if value is None:
        return "—"
    key = name.removeprefix(PREFIX)
    if key == "reflection_to_question":
        return f"{value:.1f}:1"
    if key in _COUNTS:
        return f"{value:.0f}"
    if key == "empathy":  # EPITOME, 0-6 per therapist turn
        return f"{value:.1f} of 6"
    if key in _PLAIN:
        return f"{value:.1f}{_PLAIN[key]}"
    return f"{value:.0%}"


def reference_text(name: str) -> str | None:
    ref = REFERENCES.get(name)
    if ref is None:
        return None
    return f"fair ≥ {fmt(name, ref.fair)}, good ≥ {fmt(name, ref.good)}"


def reference_band(name: str, value: float | None) -> str | None:
    """``good`` / ``fair`` / ``below fair`` against the literature, where it has a range."""
    return band(value, REFERENCES.get(name))


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
