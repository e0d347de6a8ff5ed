"""Rapport and empathy metrics: reflections, questions, follow-up, empathy, validation.

Formulas, evidence and reference ranges are documented in ``docs/metrics.md``; the MITI
4.2 thresholds (Moyers et al. 2016) are the only reference ranges used, plus MITI 3.1.1
for open questions (dropped in 4.2, so labelled as such).
"""

from __future__ import annotations

from rapport.domain import Role
from rapport.profile import behaviours as b
from rapport.profile.models import MIN_BAND_N, Band, ProfileEvidence, ReferenceRange
from rapport.profile.models import ProfileMetric as Metric
from rapport.profile.view import SessionView

MAX_EVIDENCE = 8
MITI42 = "MITI 4.2.1 (Moyers, Manuel & Ernst 2014)"  # the MITI summary cites the same
REF_R_Q = ReferenceRange(fair=1.0, good=2.0, source=f"{MITI42}: R:Q 1:1 fair, 2:1 good")
REF_COMPLEX = ReferenceRange(fair=0.4, good=0.5, source=f"{MITI42}: %CR 40% fair, 50% good")
REF_OPEN = ReferenceRange(fair=0.5, good=0.7,
                          source="MITI 3.1.1 (Moyers et al. 2010): %OQ 50% fair, 70% good; "
                          "not part of MITI 4.2")


def band(value: float | None, ref: ReferenceRange | None, n: int | None = None
         ) -> Band | None:
    """The figure against its reference range; ``too_few`` when it rests on fewer than
    :data:`MIN_BAND_N` units (``n`` None: a stored figure whose count is not known)."""
    if value is None or ref is None:
        return None
    if n is not None and n < MIN_BAND_N:
        return "too_few"
    if value >= ref.good:
        return "good"
    return "fair" if value >= ref.fair else "below fair"


def missing(key: str, label: str, element: str, unit: str, reason: str,
            ref: ReferenceRange | None = None) -> Metric:
    """A metric that cannot be computed, saying why (never a made-up number)."""
    return Metric(key=key, label=label, element=element, unit=unit,  # type: ignore[arg-type]
                  available=False, reason=reason, reference=ref)


def evidence_of(v: SessionView, pairs: list[tuple[int, str]]) -> list[ProfileEvidence]:
    return [v.evidence(i, note) for i, note in pairs[:MAX_EVIDENCE]]


def therapist_turns(v: SessionView) -> list[int]:
    return [t.index for t in v.of_role(Role.THERAPIST)]


def reflection_to_question(v: SessionView) -> Metric:
    key, label, element = "reflection_to_question", "Reflection-to-question ratio", "rapport"
    if not v.has("therapist_behaviour"):
        return missing(key, label, element, "ratio", "no therapist_behaviour codes", REF_R_Q)
    refl = [i for i in therapist_turns(v) if b.is_reflection(v, i)]
    ques = [i for i in therapist_turns(v) if b.is_question(v, i)]
    if not refl and not ques:
        return Metric(key=key, label=label, element=element, unit="ratio", available=False,
                      reason="no reflections or questions in this session", reference=REF_R_Q)
    value = len(refl) / max(len(ques), 1)
    return Metric(key=key, label=label, element=element, unit="ratio", value=value,
                  n=len(refl) + len(ques), reference=REF_R_Q,
                  band=band(value, REF_R_Q, len(refl) + len(ques)),
                  reason="" if ques else "no questions: R counted against 1",
                  evidence=evidence_of(v, [(i, "reflection") for i in refl]),
                  detail={"reflections": len(refl), "questions": len(ques)})


def _subtype_share(v: SessionView, key: str, label: str, element: str, family: str,
                   want: str, other: str, ref: ReferenceRange) -> Metric:
    if not v.has(family):
        return missing(key, label, element, "share", f"no {family} codes", ref)
    hits = [i for i in therapist_turns(v) if v.is_(i, family, want)]
    rest = [i for i in therapist_turns(v) if v.is_(i, family, other)]
    n = len(hits) + len(rest)
    if n == 0:
        return Metric(key=key, label=label, element=element, unit="share", available=False,
                      reason=f"no {family} codes in this session", reference=ref)
    value = len(hits) / n
    return Metric(key=key, label=label, element=element, unit="share", value=value, n=n,
                  reference=ref, band=band(value, ref, n),
                  evidence=evidence_of(v, [(i, f"{family}={want}") for i in hits]),
                  detail={want: len(hits), other: len(rest)})


def complex_reflections(v: SessionView) -> Metric:
    return _subtype_share(v, "complex_reflection_share", "Complex reflections",
                          "rapport", "reflection_type", "complex", "simple", REF_COMPLEX)


def open_questions(v: SessionView) -> Metric:
    return _subtype_share(v, "open_question_share", "Open questions", "rapport",
                          "question_type", "open", "closed", REF_OPEN)


def follow_up(v: SessionView) -> Metric:
    """Client disclosures answered, in the next therapist turn, by reflection/validation."""
    key, label, element = "follow_up_rate", "Follow-up on client disclosures", "vulnerability"
    if not v.has("therapist_behaviour") and not v.any_of("affirm", "normalize"):
        return missing(key, label, element, "rate",
                       "no therapist_behaviour, affirmation or normalize codes")
    # risk language is followed up in the risk section and its moments, not here (its
    # flags are prompts with a higher false-alarm rate); say so rather than "none found"
    # under a list of urgent flags
    risk = "; risk language is not counted here: see the risk section" if b.risk_turns(v) else ""
    if v.has("emotional_disclosure") and not v.measurable("emotional_disclosure"):
        # what it follows up is not measured (the disclosure figure says why)
        return missing(key, label, element, "rate", "not measured: the coder's "
                       "emotional_disclosure codes are below their feedback bar" + risk)
    answered: list[tuple[int, str]] = []
    unanswered = 0
    disclosures = [t.index for t in v.of_role(Role.CLIENT)
                   if b.disclosure(v, t.index, sure=True)]
    for i in disclosures:
        nxt = v.next_of_role(i, Role.THERAPIST, 1)
        moves = ([] if not nxt else
                 (["reflection"] if b.is_reflection(v, nxt[0].index) else [])
                 + b.validation(v, nxt[0].index, sure=True))
        if moves:
            answered.append((nxt[0].index, f"answers turn {i} with {', '.join(moves)}"))
        else:
            unanswered += 1
    reason = "" if v.has("emotional_disclosure") else \
        "disclosures approximated from feeling words (no emotional_disclosure codes)"
    if not disclosures:
        return Metric(key=key, label=label, element=element, unit="rate", available=False,
                      reason="no emotional disclosures found" + (f"; {reason}" if reason else "")
                      + risk)
    value = len(answered) / len(disclosures)
    return Metric(key=key, label=label, element=element, unit="rate", value=value,
                  n=len(disclosures), reason=reason, evidence=evidence_of(v, answered),
                  detail={"disclosures": len(disclosures), "answered": len(answered),
                          "not_answered": unanswered})


#: Evidence of the empathy figure: this many highest and this many lowest turns.
EMPATHY_EVIDENCE = 3
MECHANISM_LABELS = {"er": "ER", "ip": "IP", "ex": "EX"}


def _rating(v: SessionView, index: int, name: str) -> float | None:
    value = v.label(index, name)
    if not isinstance(value, str):
        return None
    try:
        return float(value)
    except ValueError:  # a stored or corrected value that is not a number
        return None


def empathy(v: SessionView) -> Metric:
    """Empathy 0–6: the mean EPITOME empathy of the therapist turns (docs/metrics.md).

    Every therapist turn the empathy coder rated counts, back-channels included (the
    raters it learnt from rated them too, mostly 0). Evidence: the highest and the lowest
    turns. Replaces the old ``empathy_estimate`` (a mix of code rates that did not agree
    with raters); stored analyses keep theirs under that key.
    """
    key, label, element = "empathy", "Empathy (EPITOME, mean per therapist turn, 0–6)", \
        "empathy"
    if not v.has("empathy"):
        return missing(key, label, element, "score", "no empathy ratings (the empathy "
                       "coder did not run)")
    rated = [(t.index, r) for t in v.turns if t.role == Role.THERAPIST
             and (r := _rating(v, t.index, "empathy")) is not None]
    if not rated:
        return missing(key, label, element, "score", "no therapist turns rated")
    parts: dict[str, float] = {}
    for m in MECHANISM_LABELS:
        values = [x for i, _ in rated if (x := _rating(v, i, f"empathy_{m}")) is not None]
        if values:
            parts[m] = sum(values) / len(values)

    def note(index: int, value: float, which: str) -> str:
        mech = ", ".join(f"{short} {x:g}" for m, short in MECHANISM_LABELS.items()
                         if (x := _rating(v, index, f"empathy_{m}")) is not None)
        return f"{which} empathy: {value:g} of 6" + (f" ({mech})" if mech else "")

    ranked = sorted(rated, key=lambda p: (-p[1], p[0]))
    # a short session splits its turns between the two ends
    high = ranked[:min(EMPATHY_EVIDENCE, (len(ranked) + 1) // 2)]
    low = [p for p in ranked[::-1] if p not in high][:EMPATHY_EVIDENCE]
    pairs = [(i, note(i, r, "highest")) for i, r in high] + \
        [(i, note(i, r, "lowest")) for i, r in low]
    return Metric(key=key, label=label, element=element, unit="score",
                  value=sum(r for _, r in rated) / len(rated), n=len(rated),
                  reason="estimated by the empathy coder, not rated by a person",
                  evidence=evidence_of(v, pairs), detail=parts)


def validation_rate(v: SessionView) -> Metric:
    """Therapist turns that affirm or normalise, counting only codes sure enough for
    feedback; not measured when the session's coder can give feedback on neither."""
    key, label, element = "validation_rate", "Validation and affirmation", "empathy"
    names = v.any_of("affirm", "normalize")
    therapist = therapist_turns(v)
    if not names:
        return missing(key, label, element, "rate", "no affirmation or normalize codes")
    if not therapist:
        return missing(key, label, element, "rate", "no therapist turns")
    # A relationship code with no feedback bar measures nothing, present or absent: the
    # session page lists such codes "as codes only", and so must this figure.
    names = [n for n in names if v.measurable(n)]
    if not names:
        return missing(key, label, element, "rate", "not measured: the relationship "
                       "coder's affirm and normalize codes are below their feedback bar "
                       "(listed as codes only)")
    hits = [(i, ", ".join(m)) for i in therapist if (m := b.validation(v, i, sure=True))]
    return Metric(key=key, label=label, element=element, unit="rate",
                  value=len(hits) / len(therapist), n=len(therapist),
                  reason="" if len(names) == 2 else f"only {names[0]} codes are sure enough "
                  "to count",
                  evidence=evidence_of(v, hits),
                  detail={n: sum(v.feedback(i, n) for i in therapist) for n in names})
