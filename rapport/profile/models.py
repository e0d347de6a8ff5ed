"""The typed result of the relationship profile: metrics, ruptures, moments.

Every number carries what it needs to be read honestly: the ``n`` behind it, the
utterances that drive it (``evidence``), a reference range where the literature has one,
and — when it cannot be computed — ``available=False`` with the reason.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PROFILE_VERSION = "1.1"

#: "too_few": fewer than MIN_BAND_N units behind the figure, too few to judge against a range.
Band = Literal["below fair", "fair", "good", "too_few"]
#: A figure is banded against a reference range only when it rests on this many units.
MIN_BAND_N = 10
RuptureType = Literal["withdrawal", "confrontation"]
#: "missed" and "unclear" come from profiles made before the episode rule (version 1.0).
RepairStatus = Literal["repaired", "unrepaired", "missed", "unclear"]
MomentKind = Literal["missed_feeling", "unrepaired_rupture", "repaired_rupture",
                     "empathic_reflection", "persuade",
                     "risk_not_followed_up", "unasked_advice"]
#: What a moment asks of the therapist: change something, or keep doing it.
Direction = Literal["improve", "keep"]
#: Moments that praise; every other kind asks for a change.
KEEP_KINDS = frozenset(("repaired_rupture", "empathic_reflection"))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProfileEvidence(_Model):
    """One utterance behind a figure: where it is, who said it, a short excerpt."""

    turn_index: int = Field(ge=0)
    speaker: str
    excerpt: str = Field(description="At most ~140 characters of the turn.")
    note: str = Field(default="", description="What counted: the code or matched phrase.")


class ReferenceRange(_Model):
    """A reference range from the literature (higher is better for every one we use)."""

    fair: float
    good: float
    source: str


class ProfileMetric(_Model):
    """One element of the relationship, measured in one session."""

    key: str = Field(description="Stable snake_case name; JSON metrics use profile.<key>.")
    label: str
    element: str = Field(description="The relationship element of PRODUCT.md it serves.")
    value: float | None = None
    unit: Literal["ratio", "share", "rate", "score", "count", "words", "seconds"]
    n: int = Field(default=0, ge=0, description="How many units the value rests on.")
    available: bool = True
    reason: str = Field(default="", description="Why it is not available or approximated.")
    reference: ReferenceRange | None = None
    band: Band | None = None
    code_precision: str = Field(default="", description=(
        "How often the codes behind a banded figure were right on sessions the coder "
        "never saw; empty when not measured."))
    evidence: list[ProfileEvidence] = Field(default_factory=list)
    detail: dict[str, float] = Field(default_factory=dict,
                                     description="Named parts of the value (counts, thirds).")


class RuptureResponse(_Model):
    """A therapist turn in the few turns after a rupture, and what it did."""

    turn_index: int = Field(ge=0)
    kind: Literal["repair", "press_on", "neutral"]
    strategies: list[str] = Field(default_factory=list,
                                  description="e.g. metacommunication, reflection, "
                                  "validation, backing off; or advice, confrontation.")


class SessionRupture(_Model):
    """A rupture episode within the session and whether it was repaired."""

    start_turn: int = Field(ge=0, description="The first client marker.")
    end_turn: int = Field(ge=0, description="The last client marker of the episode.")
    type: RuptureType
    significance: float | None = Field(default=None, ge=0, le=1, description=(
        "How sure the coder is of the episode's strongest marker."))
    strength: float = Field(ge=0, le=1, description=(
        "Deprecated alias of significance, kept for one schema version."))
    rules: list[str] = Field(description="Which documented rules fired.")
    evidence: list[ProfileEvidence]
    status: RepairStatus
    repair_turn: int | None = None
    strategy: str = Field(default="", description=(
        "The 3RS resolution strategy of the repair (clarify, invite discussion, own one's "
        "part, validate the objection, rationale, change task, link to patterns, accepting "
        "reflection), or why the episode was not repaired."))
    how: list[str] = Field(default_factory=list, description="Repair strategies used.")
    responses: list[RuptureResponse] = Field(default_factory=list)


class RevisitMoment(_Model):
    """A moment worth revisiting, with the evidence and a concrete suggestion."""

    kind: MomentKind
    direction: Direction = Field(description="improve: something to change; keep: a "
                                 "strength to keep using.")
    turn_index: int = Field(ge=0, description="The therapist turn (or the rupture start).")
    title: str
    excerpt: list[ProfileEvidence]
    coded: list[str] = Field(description="What was coded on these turns, with confidence.")
    suggestion: str
    priority: float = Field(ge=0, le=1)
    precision: float | None = Field(default=None, ge=0, le=1, description=(
        "How often the codes behind this kind of moment were right on real sessions "
        "(measured precision, docs/metrics.md); None when not measured."))
    precision_basis: str = Field(default="", description=(
        "What the precision was measured on, in words."))

    @model_validator(mode="before")
    @classmethod
    def _direction_from_kind(cls, data: object) -> object:
        # Profiles stored before directions existed are read with the kind's direction.
        if isinstance(data, dict) and "direction" not in data and "kind" in data:
            return {**data, "direction": "keep" if data["kind"] in KEEP_KINDS else "improve"}
        return data


class MitiGlobal(_Model):
    """One MITI 4.2.1 global rating (1–5), estimated from the session's codes."""

    name: str
    label: str
    value: float = Field(ge=1, le=5)
    agreement: float = Field(description=(
        "Spearman of the estimate with project-coded ratings of transcripts the estimator "
        "never saw (benchmarks/miti_eval.py)."))


class MitiSummary(_Model):
    """MITI 4.2.1 summary scores: behaviour counts, ratios, estimated globals, thresholds."""

    therapist_turns: int = Field(ge=0)
    reflections: int = Field(ge=0)
    questions: int = Field(ge=0)
    complex_reflections: int = Field(ge=0)
    reflection_to_question: float | None = None
    reflection_to_question_band: Band | None = None
    complex_reflection_share: float | None = None
    complex_reflection_share_band: Band | None = None
    adherent: int | None = Field(default=None, description=(
        "MI-adherent behaviour: affirm + seek_collaboration + emphasize_autonomy."))
    non_adherent: int | None = Field(default=None, description=(
        "MI-non-adherent behaviour: persuade + confront."))
    detail: dict[str, int] = Field(default_factory=dict, description="Count per code.")
    globals: list[MitiGlobal] = Field(default_factory=list, description=(
        "Estimates of the four globals, not a coder's rating."))
    technical: float | None = Field(default=None, description=(
        "Mean of the cultivating-change-talk and softening-sustain-talk estimates."))
    technical_band: Band | None = None
    relational: float | None = Field(default=None, description=(
        "Mean of the partnership and empathy estimates."))
    relational_band: Band | None = None
    estimate_note: str = Field(default="", description="How sure the estimates are.")
    source: str = ""


class ProfileResult(_Model):
    """The relationship profile of one session."""

    version: str = PROFILE_VERSION
    session_id: str
    turns: int = Field(ge=0)
    families_available: list[str] = Field(description="Code families/codes present.")
    metrics: list[ProfileMetric]
    ruptures: list[SessionRupture] = Field(default_factory=list)
    ruptures_measured: bool = Field(default=True, description=(
        "False when no rupture marker of this session could count (no marker codes, or "
        "only a coder's markers that are not reliable enough for feedback): then an empty "
        "``ruptures`` means not measured, not none found. Profiles stored before the field "
        "existed read True."))
    moments: list[RevisitMoment] = Field(default_factory=list)
    miti: MitiSummary | None = Field(default=None, description=(
        "MITI 4.2.1 summary; None for sessions without therapist turns or stored before "
        "it existed."))
    notes: list[str] = Field(default_factory=list)

    def metric(self, key: str) -> ProfileMetric:
        """The metric named ``key`` (KeyError if the profile has none by that name)."""
        for m in self.metrics:
            if m.key == key:
                return m
        raise KeyError(key)

    def flat_metrics(self) -> dict[str, float | None]:
        """Every figure as ``profile.<key>`` (what ``rapport analyze --json`` reports under
        ``metrics`` and research exports copy)."""
        out: dict[str, float | None] = {f"profile.{m.key}": m.value for m in self.metrics}
        # not measured is null, never a zero a study would average in
        out["profile.ruptures"] = (float(len(self.ruptures)) if self.ruptures_measured
                                   else None)
        out["profile.ruptures_repaired"] = (float(
            sum(r.status == "repaired" for r in self.ruptures)) if self.ruptures_measured
            else None)
        if self.miti is not None:
            mi = self.miti
            out["profile.miti_adherent"] = None if mi.adherent is None else float(mi.adherent)
            out["profile.miti_non_adherent"] = (None if mi.non_adherent is None
                                                else float(mi.non_adherent))
            out["profile.miti_technical_estimate"] = mi.technical
            out["profile.miti_relational_estimate"] = mi.relational
        return out

