"""Rupture episodes within a session and whether the therapist repaired them.

The rule is the real-talk gold's episode rule (``docs/codebook.md``), applied to the
relationship coder's codes, so what the report shows is what the coder was scored on:

- an episode **starts** at a client turn coded ``withdrawal`` or ``confrontation`` (3RS
  markers) and later markers within 2 client turns join it;
- it is **repaired** only by a therapist turn coded ``repair`` within the 3 therapist turns
  after its last marker. Advice or argument in those turns is *pressing on*, never repair,
  however warmly it is put.

Codes count only at or above their feedback threshold (:meth:`SessionView.feedback`), so a
marker the coder is unsure of makes no episode. The repair turn's wording names its 3RS
resolution strategy (:data:`STRATEGIES`); an unrepaired episode says whether the advice
continued after the client pulled back.
"""

from __future__ import annotations

import re

from rapport.coding.relationship.episodes import REPAIR_THERAPIST_TURNS, find_episodes
from rapport.coding.relationship.feedback import (
    MODEL_IDS,
    feedback_thresholds,
    is_relationship_source,
)
from rapport.domain import Role
from rapport.profile import behaviours as b
from rapport.profile.models import RuptureResponse, RuptureType, SessionRupture
from rapport.profile.view import SessionView

MARKERS: tuple[RuptureType, ...] = ("withdrawal", "confrontation")
PRESSED_ON = "the advice continued after the client pulled back"
NO_REPAIR = f"no repair move in the next {REPAIR_THERAPIST_TURNS} therapist turns"
#: 3RS resolution strategies (Eubanks, Muran & Safran 2015) and wordings that show them,
#: checked in this order; a repair turn matching none is an accepting reflection.
STRATEGIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(src, re.IGNORECASE)) for name, src in (
        ("own one's part", (r"\b(i'm sorry|sorry,? i|my (fault|mistake|bad)|i (got|was getting) "
                           r"ahead|i (was|have been|'ve been) (pushing|telling|lecturing)|"
                           r"i (jumped|rushed)|that was me|i('ve| have) (asked|been "
                           r"asking) (you )?(a lot|so many|too many))")),
        ("clarify", (r"\b(what do you mean|do you mean|help me understand|did i (get|hear)|"
                    r"am i (right|understanding)|let me (check|make sure)|i (may|might) have "
                    r"misunderstood)")),
        ("invite discussion", (r"\b(how is (this|it) (going|feeling|landing) for you|how does "
                              r"(that|this) (sound|feel|land)|what's it like (talking|"
                              r"being)|tell me (more )?about (what|how)|what (do you|would you) "
                              r"(think|make of)|how are you (finding|feeling about) (this|"
                              r"our))")),
        ("validate the objection", (r"\b(you're right|fair (enough|point)|(it|that) makes "
                                   r"(a lot of |total |complete )?sense|i (can )?hear "
                                   r"(you|that)|(it's|that's) understandable|of course "
                                   r"you|no wonder)")),
        ("rationale", (r"\b(the reason (i|we)|(i|we) ask (this|that) because|the idea (is|"
                      r"was)|what i had in mind|why i (asked|suggested|mentioned))")),
        ("change task", (r"\b(let's (leave|put|set|park) (that|this|it)|we (don't have to|"
                        r"can leave)|(what|where) would you (like|prefer) to|something else|"
                        r"let's (talk|focus) (about|on) what you)")),
        ("link to patterns", (r"\b(happens? (with|at|in) (other|your)|like (with|when) your|"
                             r"pattern|similar to (what|how)|sounds like (what|how) (happens|"
                             r"you))")),
    ))


def strategy_of(text: str) -> str:
    """The 3RS resolution strategy a repair turn's wording shows."""
    return next((name for name, pattern in STRATEGIES if pattern.search(text)),
                "accepting reflection")


def _responses(v: SessionView, end: int) -> list[RuptureResponse]:
    out = []
    for t in v.next_of_role(end, Role.THERAPIST, REPAIR_THERAPIST_TURNS):
        if v.feedback(t.index, "repair"):
            out.append(RuptureResponse(turn_index=t.index, kind="repair",
                                       strategies=[strategy_of(t.text)]))
        elif press := b.pressing_on(v, t.index):
            out.append(RuptureResponse(turn_index=t.index, kind="press_on",
                                       strategies=press))
        else:
            out.append(RuptureResponse(turn_index=t.index, kind="neutral"))
    return out


def ruptures_measured(v: SessionView) -> bool:
    """Whether this session's rupture markers could make an episode at all: some client
    marker code comes from a source whose markers may drive feedback (a person, or a coder
    whose withdrawal or confrontation passed its feedback checks). Otherwise "no episodes"
    says nothing about the session, and the report must say "not measured"."""
    sources = {c.source for tc in v.coded.codes for c in tc.codes if c.name in MARKERS}
    return any(not is_relationship_source(s) or (
        s in MODEL_IDS and any(feedback_thresholds(s).get(m) is not None for m in MARKERS))
        for s in sources)


def detect_ruptures(v: SessionView) -> list[SessionRupture]:
    """Every rupture episode of the session, in order, with its repair outcome."""
    roles = [t.role.value if not t.backchannel else "backchannel" for t in v.turns]
    markers: dict[int, str] = {}
    for t in v.of_role(Role.CLIENT):
        found = [m for m in MARKERS if v.feedback(t.index, m)]
        if found:
            markers[t.index] = max(found, key=lambda m: v.confidence(t.index, m))
    repairs = {t.index for t in v.of_role(Role.THERAPIST) if v.feedback(t.index, "repair")}
    events = []
    for ep in find_episodes(roles, markers, repairs):
        significance = round(max(v.confidence(i, markers[i]) for i in ep.markers), 3)
        responses = _responses(v, ep.end)
        if ep.repair_turn is not None:
            strategy = strategy_of(v.turns[ep.repair_turn].text)
            pressed_first = any(r.kind == "press_on" and r.turn_index < ep.repair_turn
                                for r in responses)
            how = [strategy, *(["after pressing on first"] if pressed_first else [])]
        else:
            pressed = any(r.kind == "press_on" for r in responses)
            strategy = PRESSED_ON if pressed else NO_REPAIR
            how = []
        events.append(SessionRupture(
            start_turn=ep.start, end_turn=ep.end, type=ep.type,  # type: ignore[arg-type]
            significance=significance, strength=significance,
            rules=[f"{markers[i]}_code" for i in ep.markers],
            evidence=[v.evidence(i, f"{markers[i]} coded") for i in ep.markers],
            status="repaired" if ep.repaired else "unrepaired",
            repair_turn=ep.repair_turn, strategy=strategy, how=how, responses=responses))
    return events
