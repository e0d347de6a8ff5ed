"""The MITI 4.2.1 summary of a session: counts, ratios, estimated globals and thresholds.

Counts come straight from the codes: reflections and questions from the utterance coder
(``therapist_behaviour``, ``reflection_type``), MI-adherent (``affirm`` +
``seek_collaboration`` + ``emphasize_autonomy``) and MI-non-adherent (``persuade`` +
``confront``) behaviour from the relationship coder. The four global ratings are
**estimates**: a ridge regression per global from the session's code rates
(:data:`FEATURES`), fitted on project-coded ratings of development transcripts and scored
on transcripts it never saw (``benchmarks/miti_eval.py``, ``docs/metrics.md``); they are
not a coder's rating. Thresholds: MITI 4.2.1 (Moyers, Manuel & Ernst 2014), see
:data:`THRESHOLDS`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapport.domain import Role
from rapport.profile import behaviours as b
from rapport.profile.models import MIN_BAND_N, Band, MitiGlobal, MitiSummary
from rapport.profile.view import SessionView

MODEL_FILE = Path(__file__).with_name("miti_globals.json")
ADHERENT = ("affirm", "seek_collaboration", "emphasize_autonomy")
NON_ADHERENT = ("persuade", "confront")
GLOBALS = {"cultivating_change_talk": "Cultivating change talk",
           "softening_sustain_talk": "Softening sustain talk",
           "partnership": "Partnership", "empathy": "Empathy"}
#: Session features of the global estimates, each per therapist turn (floor turns).
FEATURES = ("reflections", "questions", "complex_reflections", "adherent", "persuade",
            "confront", "persuade_with_permission")
#: (fair, good) per summary score, MITI 4.2.1 manual's proficiency thresholds (Moyers,
#: Manuel & Ernst 2014; the same values in Moyers et al. 2016, J Subst Abuse Treat 65).
THRESHOLDS: dict[str, tuple[float, float]] = {
    "technical": (3.0, 4.0), "relational": (3.5, 4.0),
    "complex_reflection_share": (0.40, 0.50), "reflection_to_question": (1.0, 2.0)}
SOURCE = ("MITI 4.2.1 (Moyers, Manuel & Ernst 2014) thresholds: Technical 3 fair / 4 good, "
          "Relational 3.5 fair / 4 good, %CR 40% / 50%, R:Q 1:1 / 2:1")


def _band(value: float | None, key: str, n: int | None = None) -> Band | None:
    """Against the MITI threshold; ``too_few`` when a ratio rests on fewer than
    :data:`~rapport.profile.models.MIN_BAND_N` turns."""
    if value is None:
        return None
    if n is not None and n < MIN_BAND_N:
        return "too_few"
    fair, good = THRESHOLDS[key]
    return "good" if value >= good else "fair" if value >= fair else "below fair"


def features(v: SessionView) -> dict[str, float] | None:
    """Per-therapist-turn rates of :data:`FEATURES`; None without therapist turns."""
    therapist = [t.index for t in v.of_role(Role.THERAPIST)]
    if not therapist:
        return None
    n = len(therapist)
    counts = {
        "reflections": sum(b.is_reflection(v, i) for i in therapist),
        "questions": sum(b.is_question(v, i) for i in therapist),
        "complex_reflections": sum(v.is_(i, "reflection_type", "complex") for i in therapist),
        "adherent": sum(any(v.flag(i, c) for c in ADHERENT) for i in therapist),
        **{c: sum(v.flag(i, c) for i in therapist)
           for c in ("persuade", "confront", "persuade_with_permission")}}
    return {k: counts[k] / n for k in FEATURES}


@lru_cache(maxsize=1)
def globals_model() -> dict[str, Any]:
    """The shipped ridge weights and their measured agreement (``miti_globals.json``)."""
    return dict(json.loads(MODEL_FILE.read_text("utf-8")))


def estimate_globals(x: dict[str, float], model: dict[str, Any] | None = None
                     ) -> dict[str, float]:
    """Each global's estimate, clipped to the 1–5 scale."""
    model = model or globals_model()
    out = {}
    for name, w in model["globals"].items():
        z = sum(c * (x[f] - m) / s for f, c, m, s in
                zip(model["features"], w["coef"], w["mean"], w["scale"], strict=True))
        out[name] = min(5.0, max(1.0, w["intercept"] + z))
    return out


def miti_summary(v: SessionView, *, estimate: bool = True) -> MitiSummary | None:
    """The session's MITI summary; None when it has no therapist turns. ``estimate=False``
    leaves out the global estimates (the benchmark that fits them uses it)."""
    x = features(v)
    if x is None:
        return None
    therapist = [t.index for t in v.of_role(Role.THERAPIST)]
    has_behaviour = v.has("therapist_behaviour")
    has_relationship = bool(v.any_of(*ADHERENT, *NON_ADHERENT))
    refl = sum(b.is_reflection(v, i) for i in therapist)
    ques = sum(b.is_question(v, i) for i in therapist)
    complex_ = sum(v.is_(i, "reflection_type", "complex") for i in therapist)
    typed = sum(v.label(i, "reflection_type") is not None for i in therapist)
    rq = refl / ques if has_behaviour and ques else None
    cr = complex_ / typed if typed else None
    adherent = {c: sum(v.flag(i, c) for i in therapist) for c in ADHERENT}
    non_adherent = {c: sum(v.flag(i, c) for i in therapist) for c in NON_ADHERENT}
    estimates: list[MitiGlobal] = []
    technical = relational = None
    note = "needs the utterance and relationship codes"
    if estimate and has_behaviour and v.has(*ADHERENT, *NON_ADHERENT):
        model = globals_model()
        values = estimate_globals(x, model)
        estimates = [MitiGlobal(name=k, label=GLOBALS[k], value=values[k],
                                agreement=float(model["agreement"][k]["spearman"]))
                     for k in GLOBALS]
        technical = (values["cultivating_change_talk"] + values["softening_sustain_talk"]) / 2
        relational = (values["partnership"] + values["empathy"]) / 2
        note = model["note"]
    return MitiSummary(
        therapist_turns=len(therapist), reflections=refl, questions=ques,
        complex_reflections=complex_,
        reflection_to_question=rq,
        reflection_to_question_band=_band(rq, "reflection_to_question", refl + ques),
        complex_reflection_share=cr,
        complex_reflection_share_band=_band(cr, "complex_reflection_share", typed),
        adherent=sum(adherent.values()) if has_relationship else None,
        non_adherent=sum(non_adherent.values()) if has_relationship else None,
        detail={**adherent, **non_adherent} if has_relationship else {},
        # an estimate from a handful of turns gets no band either ("too few to judge")
        globals=estimates, technical=technical,
        technical_band=_band(technical, "technical", len(therapist)),
        relational=relational, relational_band=_band(relational, "relational", len(therapist)),
        estimate_note=note, source=SOURCE)
