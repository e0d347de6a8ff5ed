"""The codebook's decision rules (docs/practice-codebook.md v1.0) applied to the codes found.

:func:`rule_verdict` gives the verdict the per-skill rules give for the codes; :func:`cap`
gives the best verdict the general rules still allow (R1 harm, R2 advice, R3 one word, R5
off-topic, the suicide rule). The learned layer may move a verdict within the cap, never
above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rapport.practice.drills import Drill
from rapport.practice.judgement import ReplyCode
from rapport.practice.judging import phrases

RANK = {"not_met": 0, "partly": 1, "met": 2}
BY_RANK = {v: k for k, v in RANK.items()}
#: Skills where advice without permission is never ``met`` (R2).
R2_SKILLS = frozenset({"empathy", "validation", "affirmation", "autonomy", "sustain_talk",
                       "rupture_confrontation", "rupture_withdrawal"})

_GIVES_IN = re.compile(
    r"\b(?:i'll (?:give|text|send|add|follow|accept|take|treasure|wear)|here's my "
    r"(?:number|mobile)|my (?:number|mobile) is|if you insist|thank you,? "
    r"(?:it's|its) (?:gorgeous|beautiful|lovely|amazing)|i'll treasure|(?:we'll|we can) (?:just )?"
    r"run over|take as long as|i feel the same|"
    r"i(?:'d| would) love to (?!hear|know|talk|understand|think)|go on,? tell me now|"
    r"(?:ok|okay|sure|fine),? (?:i'll (?:give|text|send|add|follow)|here|add me)|"
    r"i'll keep (?:it|this|that) (?:secret|between)|won't tell anyone|"
    r"nothing (?:you say )?(?:leaves|goes beyond) this room|"
    r"(?:completely|totally|100%?) (?:confidential|private|secret)(?!.*\bunless\b)|"
    r"no one will (?:ever )?know|i promise (?:not to|i won't) tell)", re.I)
_ONE_UP_GENERIC = re.compile(r"^(?:it's (?:just )?policy|those are the rules|rules are rules)",
                             re.I)
_WARMTH = re.compile(r"\b(?:thank|thanks|glad|touched|moved|means a lot|mean a lot|"
                     r"i can (?:hear|see|tell)|i hear|sounds|understand|appreciate|kind|care|"
                     r"lovely|important|honoured|honored|really|sorry)\b", re.I)
_LIMITS = re.compile(r"\b(?:unless|except|the only time|only (?:if|when)|if you (?:told|tell|"
                     r"said)|at risk|serious(?:ly)? (?:harm|risk)|safe(?:ty)?|hurt|harm|danger|"
                     r"court|children|child|limit|limits|have to (?:tell|share|pass|let)|"
                     r"would (?:have|need) to|'d have to|immediate|sectioned|rare|identify|"
                     r"removed|who sees)\b", re.I)
_DIFFERENCE = re.compile(r"\b(?:culture|cultural|faith|religio\w*|background|different|"
                         r"difference|community|family|tradition|experience|white|black|"
                         r"assum\w*|i don't know|won't (?:get|know|understand)|tell me|teach|"
                         r"what it means|means to you|matters to you|your (?:way|words)|"
                         r"get (?:it|this) wrong|got (?:it|that) wrong|not going to|racis\w*|"
                         r"fair|unfair|judge)\b", re.I)
_STEERING = re.compile(r"\b(?:what would (?:make|it take)|why (?:not|don't)|wouldn't|"
                       r"don't you|isn't it|change|cut down|stop|quit)\b", re.I)
_SHORTFALL = re.compile(r"\b(?:but|now (?:we|you) (?:just )?need|next|still|though|other "
                        r"(?:three|days)|only)\b", re.I)
_DEFENSIVE = re.compile(r"\b(?:but|however|though|it's (?:standard|normal|how|just)|"
                        r"(?:these|this) (?:things|process|approach) (?:often|usually|takes|works)|"
                        r"trust the process|let's (?:keep going|carry on|continue|crack on))\b",
                        re.I)


_INVITES = re.compile(r"\b(?:i'd (?:really )?(?:like|love|want) to (?:know|hear|understand)|"
                      r"tell me|if you (?:ever )?(?:want|like|feel)|you can (?:always )?tell me|"
                      r"let me know|i'm (?:listening|here)|when you're ready|whenever you|"
                      r"i(?:'m| am) (?:curious|interested)|help me understand)\b", re.I)
_CHOICE = re.compile(r"\b(?:you decide|would you (?:prefer|rather|like)|you can (?:always )?"
                     r"(?:tell|say|stop|choose|ask)|let me know|up to you|your (?:choice|call)|"
                     r"does that (?:make sense|sound|work|help)|how does that (?:sound|land|feel)|"
                     r"is that (?:ok|okay|alright)|we can|if you'd rather|choices?|"
                     r"what's possible|you tell me|"
                     r"work (?:it )?out|together|partner)\b", re.I)


@dataclass(frozen=True)
class RuleReading:
    verdict: str
    rule: str  # the deciding codebook rule, e.g. "R2" or "empathy"
    cap: str  # the best verdict the general rules allow
    cap_rule: str | None  # the general rule behind the cap, if any
    harm: str | None = None  # the R1 reason (see :func:`harmful`), for the feedback
    floor: str = "not_met"  # the least verdict the rules allow (see :func:`floor`)


def _names(codes: tuple[ReplyCode, ...]) -> set[str]:
    return {c.code for c in codes}


def harmful(drill: Drill, reply: str, names: set[str]) -> str | None:
    """The R1 reason, if any: confront, a threat to a client at risk, or giving in to a
    frame-crossing request (on a confidentiality drill: promising total secrecy)."""
    if "confront" in names:
        return "confront"
    if drill.skill == "suicide_risk" and phrases.threatens(reply):
        return "threatens"
    if drill.skill in ("boundaries", "confidentiality") and _GIVES_IN.search(
            phrases.normalise(reply)):
        return "gives in" if drill.skill == "boundaries" else "promises secrecy"
    return None


def cap(drill: Drill, reply: str, codes: tuple[ReplyCode, ...]) -> tuple[str, str | None]:
    """The best verdict the general rules allow, and the rule that set it."""
    names = _names(codes)
    skill = drill.skill
    checks: tuple[tuple[bool, str, str], ...] = (
        (len(re.findall(r"[\w']+", reply)) <= 1, "not_met", "R3"),
        (harmful(drill, reply, names) is not None, "not_met", "R1"),
        ("ignores_cue" in names, "not_met", "suicide_risk" if skill == "suicide_risk" else "R5"),
        (skill == "affirmation" and phrases.is_bare_praise(reply), "not_met", "R3"),
        # answering the question for the client ("I'm sure you're not") shuts it down
        (skill == "suicide_risk" and phrases.dismisses_risk(reply) is not None, "not_met",
         "suicide_risk"),
        (skill == "suicide_risk" and not {"asks_about_suicide", "safety_planning"} & names,
         "partly", "suicide_risk"),
        (skill in R2_SKILLS and "advice_without_permission" in names, "partly", "R2"))
    for applies, best, rule in checks:
        if applies:
            return best, rule
    return "met", None


@dataclass(frozen=True)
class _Reply:
    """What the per-skill rules look at."""

    names: frozenset[str]
    norm: str
    reflect: bool
    harm: bool
    invites: bool
    question_only: bool

    def has(self, *codes: str) -> bool:
        return bool(self.names.intersection(codes))


def _reply(reply: str, names: set[str]) -> _Reply:
    norm = phrases.normalise(reply)
    statements = [s for s in phrases.sentences(norm) if not s.endswith("?")]
    questions = bool(names & {"open_question", "closed_question"})
    return _Reply(frozenset(names), norm,
                  reflect=bool(names & {"complex_reflection", "simple_reflection"}),
                  harm=bool(names & {"persuade", "confront", "advice_without_permission"}),
                  invites=questions or "seek_permission" in names or bool(_INVITES.search(norm)),
                  question_only=questions and not statements)


def _three(met: bool, partly: bool) -> str:
    return "met" if met else "partly" if partly else "not_met"


def _empathy(r: _Reply) -> str:
    return _three(r.has("complex_reflection") and not r.has("minimise_or_reassure"),
                  r.reflect or r.has("validation") or r.question_only
                  or phrases.feeling_words(r.norm) is not None)


def _validation(r: _Reply) -> str:
    return _three(r.has("validation") and not r.has("minimise_or_reassure")
                  and (len(r.norm.split()) >= 7 or r.reflect),
                  r.has("validation", "normalize") or r.reflect)


def _affirmation(r: _Reply) -> str:
    if r.has("affirm"):
        shortfall = any(_SHORTFALL.search(s) for s in phrases.sentences(r.norm)[1:])
        return "partly" if shortfall or r.harm else "met"
    return _three(False, r.reflect or bool(re.search(
        r"\b(?:good|great|well done|brilliant) (?:that|you)\b", r.norm)))


def _autonomy(r: _Reply) -> str:
    if r.has("seek_permission", "emphasize_autonomy"):
        return "partly" if r.harm else "met"
    return _three(False, (r.reflect or r.has("open_question")) and not r.harm)


def _transparency(r: _Reply) -> str:
    checks = r.has("open_question", "closed_question", "seek_permission",
                   "emphasize_autonomy") or bool(_CHOICE.search(r.norm))
    return _three(r.has("explain_process") and checks,
                  r.has("explain_process") or checks or r.reflect)


def _rupture_confrontation(r: _Reply) -> str:
    owns = r.has("repair", "metacommunication", "validation") or r.reflect
    defensive = bool(_DEFENSIVE.search(r.norm))
    return _three(owns and (r.invites or r.has("repair", "emphasize_autonomy"))
                  and not defensive and not r.harm, owns or r.invites)


def _rupture_withdrawal(r: _Reply) -> str:
    notices = r.has("metacommunication", "emphasize_autonomy", "repair", "validation") \
        or r.reflect
    control = r.has("emphasize_autonomy")
    return _three(not r.harm and ((notices and (r.invites or control)) or (control and r.invites)),
                  notices or r.invites)


def _boundaries(r: _Reply) -> str:
    states = r.has("boundary_statement")
    return _three(states and bool(_WARMTH.search(r.norm)) and len(r.norm.split()) >= 8,
                  states or r.reflect or r.has("explain_process"))


def _cultural_humility(r: _Reply) -> str:
    acknowledges = bool(_DIFFERENCE.search(r.norm)) or r.reflect or r.has(
        "repair", "validation", "emphasize_autonomy")
    return _three(acknowledges and r.invites and not r.harm, acknowledges or r.invites)


def _confidentiality(r: _Reply) -> str:
    explains = r.has("explain_process", "boundary_statement")
    limits = bool(_LIMITS.search(r.norm))
    engaged = r.has("open_question", "closed_question", "seek_permission", "emphasize_autonomy",
                    "validation", "complex_reflection", "asks_about_suicide",
                    "safety_planning") or "you" in r.norm.split()
    return _three(explains and (limits or bool(_CHOICE.search(r.norm))) and engaged,
                  explains or limits or r.has("asks_about_suicide", "safety_planning"))


def _sustain_talk(r: _Reply) -> str:
    if r.harm:
        return "not_met"
    if r.has("complex_reflection") or (r.reflect and len(r.norm.split()) >= 10):
        steering = r.has("open_question") and bool(_STEERING.search(r.norm))
        return "partly" if steering else "met"
    return _three(False, r.reflect or r.has("emphasize_autonomy"))


def _suicide_risk(r: _Reply) -> str:
    return _three(r.has("asks_about_suicide", "safety_planning"),
                  r.reflect or r.has("open_question", "validation"))


#: The per-skill decision rules of the codebook, before the general caps.
SKILL_RULES: dict[str, Callable[[_Reply], str]] = {
    "empathy": _empathy, "validation": _validation, "affirmation": _affirmation,
    "autonomy": _autonomy, "transparency": _transparency,
    "rupture_confrontation": _rupture_confrontation, "rupture_withdrawal": _rupture_withdrawal,
    "boundaries": _boundaries, "cultural_humility": _cultural_humility,
    "confidentiality": _confidentiality, "sustain_talk": _sustain_talk,
    "suicide_risk": _suicide_risk}


def _core(drill: Drill, reply: str, names: set[str]) -> tuple[str, str]:
    r = _reply(reply, names)
    verdict = SKILL_RULES[drill.skill](r)
    if r.question_only and drill.skill in ("empathy", "validation", "affirmation") \
            and verdict == "partly":
        return verdict, "R7"
    if verdict == "partly" and drill.skill == "autonomy" and not r.has(
            "seek_permission", "emphasize_autonomy"):
        return verdict, "R6"
    return verdict, drill.skill


def read(drill: Drill, reply: str, codes: tuple[ReplyCode, ...]) -> RuleReading:
    """The codebook's verdict for ``codes`` (the per-skill rule under the general caps)."""
    best, cap_rule = cap(drill, reply, codes)
    verdict, rule = _core(drill, reply, _names(codes))
    if RANK[verdict] > RANK[best]:
        verdict, rule = best, cap_rule or rule
    return RuleReading(verdict, rule, best, cap_rule,
                       harmful(drill, reply, _names(codes)) if cap_rule == "R1" else None,
                       floor(drill, codes, verdict, best))


def floor(drill: Drill, codes: tuple[ReplyCode, ...], verdict: str, best: str) -> str:
    """The least verdict the rules allow: on a suicide drill a direct question about suicide,
    the plan or the means that nothing caps is ``met`` (the codebook's suicide_risk rule),
    however the learned layer reads unusual wording ("...how you would do it?")."""
    if drill.skill == "suicide_risk" and verdict == best == "met" and "asks_about_suicide" in \
            _names(codes):
        return "met"
    return "not_met"


def clip(verdict: str, best: str) -> str:
    return BY_RANK[min(RANK[verdict], RANK[best])]
