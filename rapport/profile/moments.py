"""Moments to revisit: the few places in a session most worth a second look.

Each moment carries its excerpt, what was coded and a concrete suggestion phrased as a
practice tip ("reflect the feeling before asking the next question"), never as a verdict
on the person. At most :data:`MAX_MOMENTS` are kept, at most :data:`MAX_PER_KIND` of a
kind, highest priority first, then shown in session order.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapport.domain import Role
from rapport.profile import behaviours as b
from rapport.profile.lexicon import (
    advice_wording,
    feeling_labels,
    feeling_words,
)
from rapport.profile.models import KEEP_KINDS, RevisitMoment, SessionRupture
from rapport.profile.ruptures import PRESSED_ON
from rapport.profile.view import SessionView

MAX_MOMENTS = 5
MAX_PER_KIND = 2
#: Measured precision of each kind of moment on real sessions, written by
#: ``benchmarks/moments_eval.py --write`` (docs/metrics.md, "Moments").
PRECISION_FILE = Path(__file__).with_name("moment_precision.json")
#: A kind's measured precision is shown on its moments from this many measured moments up;
#: fewer still leave a kind out when they were mostly wrong (:func:`below_bar`).
MIN_MEASURED = 10


@lru_cache(maxsize=1)
def measured_precision() -> dict[str, dict[str, Any]]:
    """``kind -> {"precision", "n", "basis"}`` for the kinds measured on real sessions."""
    if not PRECISION_FILE.is_file():
        return {}
    return dict(json.loads(PRECISION_FILE.read_text("utf-8"))["kinds"])


def with_precision(m: RevisitMoment) -> RevisitMoment:
    """``m`` with the measured precision of its kind (unchanged when measured on fewer
    than :data:`MIN_MEASURED` moments: "right 1 time in 1" would claim too much)."""
    found = measured_precision().get(m.kind)
    if found is None or int(found["n"]) < MIN_MEASURED:
        return m
    return m.model_copy(update={"precision": float(found["precision"]),
                                "precision_basis": str(found["basis"])})


def _coded(v: SessionView, *indices: int) -> list[str]:
    return [line for i in indices for line in v.coded_summary(i)]


def _missed_feelings(v: SessionView) -> list[RevisitMoment]:
    if not v.has("therapist_behaviour"):
        return []
    out = []
    for c in v.of_role(Role.CLIENT):
        why = b.disclosure(v, c.index)
        nxt = v.next_of_role(c.index, Role.THERAPIST, 1)
        if not why or not nxt:
            continue
        if v.has("emotional_disclosure") and not v.feedback(c.index, "emotional_disclosure"):
            continue  # a disclosure code below its feedback bar never makes a moment
        t = nxt[0].index
        if b.is_reflection(v, t) or b.validation(v, t):
            continue
        words = feeling_words(c.text)
        feeling = next(iter(feeling_labels(words)), None)
        example = f" (for example: “It sounds like you feel {feeling}.”)" if feeling else ""
        nextstep = ("asking the next question" if b.is_question(v, t)
                    else "offering information or advice")
        out.append(RevisitMoment(
            kind="missed_feeling", direction="improve", turn_index=t,
            title="A feeling that was not reflected",
            excerpt=[v.evidence(c.index, "; ".join(why)), v.evidence(t, "next therapist turn")],
            coded=_coded(v, c.index, t),
            suggestion=f"Reflect the feeling before {nextstep}{example}.",
            priority=min(1.0, 0.6 + 0.1 * len(words))))
    return out


def _rupture_moments(v: SessionView, ruptures: list[SessionRupture]) -> list[RevisitMoment]:
    out = []
    for r in ruptures:
        shown = [*r.evidence, *(v.evidence(x.turn_index, f"therapist response: {x.kind}"
                                           + (f" ({', '.join(x.strategies)})"
                                              if x.strategies else ""))
                                for x in r.responses[:2])]
        coded = _coded(v, *sorted({e.turn_index for e in shown}))
        if r.status in ("unrepaired", "missed"):
            pressed = r.strategy == PRESSED_ON
            tip = ("The advice continued after the client pulled back: stop, acknowledge "
                   "the reaction and ask for the client's view before any more advice." if
                   pressed else
                   "Notice the pulling back and name it gently, or reflect the reluctance "
                   "(“I've been asking a lot of questions — how is this for you?”) before "
                   "going on." if r.type == "withdrawal" else
                   "Acknowledge the objection and your part in it, then ask for the "
                   "client's view, before offering more advice.")
            out.append(RevisitMoment(kind="unrepaired_rupture", direction="improve",
                                     turn_index=r.start_turn,
                                     title=f"A {r.type} rupture that was not repaired"
                                     + (" (the advice continued)" if pressed else ""),
                                     excerpt=shown, coded=coded, suggestion=tip,
                                     priority=min(1.0, 0.85 + 0.15 * r.strength)))
        elif r.status == "repaired":
            out.append(RevisitMoment(kind="repaired_rupture", direction="keep",
                                     turn_index=r.start_turn,
                                     title=f"A {r.type} rupture, repaired",
                                     excerpt=shown, coded=coded,
                                     suggestion="Worth keeping: when the client pulled away you "
                                     f"repaired it ({r.strategy or ', '.join(r.how)}); keep "
                                     "using it.",
                                     priority=0.6 + 0.2 * r.strength))
    return out


#: A strength is never a turn the relationship coder gives even this chance of telling or
#: arguing (persuade, confront): praise has to be safe, not just likely.
PRAISE_MAX_DIRECTIVE = 0.2
#: A "reflection" running past this many words usually carries information or advice as
#: well (the utterance coder labels a turn by its main act); such turns are not praised.
PRAISE_MAX_WORDS = 60


def _maybe_directive(v: SessionView, i: int) -> bool:
    """The coder gives the turn a real chance of telling or arguing, or its wording does:
    advice wording (:data:`~rapport.profile.lexicon.ADVICE_PATTERNS`) or the relationship
    coder's persuade and confront phrase rules, which its model weighs down on real talk."""
    from rapport.coding.relationship.rules import rule_hits

    if any((v.probability(i, c) or 0.0) >= PRAISE_MAX_DIRECTIVE
           for c in ("persuade", "confront")):
        return True
    text = v.turns[i].text
    return advice_wording(text) is not None or any(
        h.code in ("persuade", "confront") for h in rule_hits(text, "", "therapist"))


def _empathic_reflections(v: SessionView) -> list[RevisitMoment]:
    out = []
    for t in v.of_role(Role.THERAPIST):
        words = b.feeling_reflection(v, t.index)
        if not words or b.directive(v, t.index) or _maybe_directive(v, t.index):
            continue  # a turn that also tells or argues is never praised
        strong = v.is_(t.index, "reflection_type", "complex")
        conf = v.confidence(t.index, "therapist_behaviour")
        if t.words > PRAISE_MAX_WORDS:
            continue
        prev = v.previous_of_role(t.index, Role.CLIENT)
        named = feeling_labels(words)
        shown = ([v.evidence(prev.index, "client")] if prev else []) + [
            v.evidence(t.index, "reflection of feeling" + (": " + ", ".join(named)
                                                            if named else ""))]
        out.append(RevisitMoment(
            kind="empathic_reflection", direction="keep", turn_index=t.index,
            title="A strong empathic reflection" if strong else "A reflection of feeling",
            excerpt=shown, coded=_coded(v, *(e.turn_index for e in shown)),
            suggestion="Worth keeping: this reflection named the feeling beneath what the "
            "client said; more reflections like it deepen the exploration.",
            priority=min(1.0, (0.45 if strong else 0.3) + 0.3 * conf)))
    return out



def _persuade(v: SessionView) -> list[RevisitMoment]:
    out = []
    for t in v.of_role(Role.THERAPIST):
        if not v.feedback(t.index, "persuade"):
            continue
        sure = v.confidence(t.index, "persuade")
        out.append(RevisitMoment(
            kind="persuade", direction="improve", turn_index=t.index,
            title="Advice given without asking permission",
            excerpt=[v.evidence(t.index, "persuade")],
            coded=_coded(v, t.index),
            suggestion="Ask permission before offering advice (“Would it be okay if I "
            "shared what has helped other people?”), then ask what the client makes of it.",
            priority=min(1.0, 0.4 + 0.4 * sure)))  # the surest first
    return out


def _unasked_advice(v: SessionView) -> list[RevisitMoment]:
    """Advice the relationship coder did not flag: a turn the utterance coder calls input
    whose wording tells or suggests (:data:`~rapport.profile.lexicon.ADVICE_PATTERNS`),
    with no permission asked. Both conditions: on real talk the wording alone was right
    about a third of the time."""
    out = []
    for t in v.of_role(Role.THERAPIST):
        phrase = v.unasked_advice(t.index)
        if phrase is None or v.feedback(t.index, "persuade"):
            continue
        out.append(RevisitMoment(
            kind="unasked_advice", direction="improve", turn_index=t.index,
            title="A suggestion offered without asking first",
            excerpt=[v.evidence(t.index, f"advice wording: “{phrase}”")],
            coded=_coded(v, t.index),
            suggestion="Ask before suggesting (“Would it help to hear what has worked for "
            "others?”), or first ask what the client has already tried.",
            priority=0.5))
    return out


#: Moments that praise: never at, or about, a turn with risk language.
STRENGTHS = KEEP_KINDS


def _risk_not_followed_up(v: SessionView) -> list[RevisitMoment]:
    """Risk talk the therapist's reply moved on from: the reply as the report's risk section
    reads it (:func:`rapport.risk.reply.reply_to`), so the two never disagree."""
    from rapport.risk.reply import reply_to

    out = []
    for c in b.risk_turns(v):
        reply = reply_to(v.coded.session, c)
        if reply.kind != "moved_on" or reply.turn_index is None:
            continue
        t = reply.turn_index
        out.append(RevisitMoment(
            kind="risk_not_followed_up", direction="improve", turn_index=t,
            title="Risk language that was not followed up",
            excerpt=[v.evidence(c, "risk language"), v.evidence(t, "next therapist turn")],
            coded=_coded(v, c, t),
            suggestion="Stay with it and ask directly (“When you say that, are you having "
            "thoughts of ending your life?”), then ask about safety before going on.",
            priority=1.0))
    return out


#: A kind of moment is shown only when it was right at least this often on real sessions
#: (measured, :data:`PRECISION_FILE`): a kind wrong more often than right would mislead.
#: Every shown moment says how often its kind was right. Risk moments are safety flags and
#: always shown.
MOMENT_BAR = 0.50
ALWAYS_SHOWN = frozenset(("risk_not_followed_up",))


def below_bar(kind: str) -> bool:
    """True when ``kind`` was measured on real sessions and right less often than the bar,
    however few moments it was measured on: leaving a kind out costs a therapist little,
    showing one that was mostly wrong misleads."""
    found = measured_precision().get(kind)
    return (kind not in ALWAYS_SHOWN and found is not None
            and float(found["precision"]) < MOMENT_BAR)


def moments_to_revisit(v: SessionView, ruptures: list[SessionRupture], *,
                       gate: bool = True) -> list[RevisitMoment]:
    """The most useful moments of the session, in session order.

    ``gate=False`` keeps kinds that fell below :data:`MOMENT_BAR` on real sessions (the
    benchmark that measures them uses it).
    """
    near_risk = {i for c in b.risk_turns(v) for i in (c - 1, c, c + 1)}
    candidates = [m for m in (_rupture_moments(v, ruptures) + _missed_feelings(v)
                              + _empathic_reflections(v) + _persuade(v)
                              + _unasked_advice(v))
                  if m.kind not in STRENGTHS or not near_risk & {
                      m.turn_index, *(e.turn_index for e in m.excerpt)}]
    candidates += _risk_not_followed_up(v)
    if gate:
        candidates = [m for m in candidates if not below_bar(m.kind)]
    candidates.sort(key=lambda m: (-m.priority, m.turn_index, m.kind))
    kept: list[RevisitMoment] = []
    per_kind: dict[str, int] = {}
    for m in candidates:
        if len(kept) == MAX_MOMENTS:
            break
        if per_kind.get(m.kind, 0) < MAX_PER_KIND and all(
                k.turn_index != m.turn_index for k in kept):
            kept.append(m)
            per_kind[m.kind] = per_kind.get(m.kind, 0) + 1
    return [with_precision(m) for m in sorted(kept, key=lambda m: (m.turn_index, m.kind))]
