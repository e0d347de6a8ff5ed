"""The codebook's decision rules (docs/practice-codebook.md v1.0) applied to the codes found.

:func:`rule_verdict` gives the verdict the per-skill rules give for the codes; :func:`cap`
gives the best verdict the general rules still allow (R1 harm, R2 advice, R3 one word, R5
off-topic, the suicide rule). The learned layer may move a verdict within the cap, never
above it.
"""

from __future__ import annotations

import re
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
    r"\b(?:i'll (?:give|text|send|add|follow|accept|take|keep|treasure|wear)|here's my "
    r"(?:number|mobile)|my (?:number|mobile) is|if you insist|just this once|thank you,? "
    r"(?:it's|its) (?:gorgeous|beautiful|lovely|amazing)|i'll treasure|(?:we'll|we can) (?:just )?"
    r"run over|take as long as|i feel the same|i(?:'d| would) love to|go on,? tell me now|"
    r"(?:ok|okay|sure|fine),? (?:i'll|here|add me)|i'll keep (?:it|this|that) (?:secret|"
    r"between)|won't tell anyone|nothing (?:you say )?(?:leaves|goes beyond) this room|"
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
                     r"is that (?:ok|okay|alright)|we can|if you'd rather|choices?|what's possible|you tell me|"
                     r"work (?:it )?out|together|partner)\b", re.I)


@dataclass(frozen=True)
class RuleReading:
    verdict: str
    rule: str  # the deciding codebook rule, e.g. "R2" or "empathy"
    cap: str  # the best verdict the general rules allow
    cap_rule: str | None  # the general rule behind the cap, if any


def _names(codes: tuple[ReplyCode, ...]) -> set[str]:
    return {c.code for c in codes}


def harmful(drill: Drill, reply: str, names: set[str]) -> str | None:
    """The R1 reason, if any: confront, or giving in to a frame-crossing request."""
    if "confront" in names:
        return "confront"
    if drill.skill in ("boundaries", "confidentiality") and _GIVES_IN.search(
            phrases.normalise(reply)):
        return "gives in"
    return None


def cap(drill: Drill, reply: str, codes: tuple[ReplyCode, ...]) -> tuple[str, str | None]:
    """The best verdict the general rules allow, and the rule that set it."""
    names = _names(codes)
    words = re.findall(r"[\w']+", reply)
    if len(words) <= 1:
        return "not_met", "R3"
    if harmful(drill, reply, names):
        return "not_met", "R1"
    if "ignores_cue" in names:
        return "not_met", "R5" if drill.skill != "suicide_risk" else "suicide_risk"
    if drill.skill == "affirmation" and phrases.is_bare_praise(reply):
        return "not_met", "R3"
    if drill.skill == "suicide_risk" and not ({"asks_about_suicide", "safety_planning"} & names):
        return "partly", "suicide_risk"
    if drill.skill in R2_SKILLS and "advice_without_permission" in names:
        return "partly", "R2"
    return "met", None


def _core(drill: Drill, reply: str, names: set[str]) -> tuple[str, str]:
    """The per-skill rule's verdict (ignoring the general caps)."""
    skill = drill.skill
    norm = phrases.normalise(reply)
    question_only = bool(names & {"open_question", "closed_question"}) and not [
        s for s in phrases.sentences(norm) if not s.endswith("?")]
    reflect = names & {"complex_reflection", "simple_reflection"}
    harm = names & {"persuade", "confront", "advice_without_permission"}
    if skill == "empathy":
        if "complex_reflection" in names and "minimise_or_reassure" not in names:
            return "met", skill
        if reflect or "validation" in names or phrases.feeling_words(norm) or question_only:
            return "partly", "R7" if question_only else skill
        return "not_met", skill
    if skill == "validation":
        if "validation" in names and "minimise_or_reassure" not in names and (
                len(norm.split()) >= 7 or reflect):
            return "met", skill
        if names & {"validation", "normalize"} or reflect:
            return "partly", skill
        return "not_met", skill
    if skill == "affirmation":
        if "affirm" in names:
            shortfall = any(_SHORTFALL.search(s) for s in phrases.sentences(norm)[1:])
            return ("partly" if shortfall or harm else "met"), skill
        if reflect or re.search(r"\b(?:good|great|well done|brilliant) (?:that|you)\b", norm):
            return "partly", skill
        return "not_met", skill
    if skill == "autonomy":
        if names & {"seek_permission", "emphasize_autonomy"}:
            return ("partly" if harm else "met"), skill
        if (reflect or "open_question" in names) and not harm:
            return "partly", "R6"
        return "not_met", skill
    invites = bool(names & {"open_question", "closed_question", "seek_permission"}) or bool(
        _INVITES.search(norm))
    if skill == "transparency":
        checks = bool(names & {"open_question", "closed_question", "seek_permission",
                               "emphasize_autonomy"}) or bool(_CHOICE.search(norm))
        if "explain_process" in names:
            return ("met" if checks else "partly"), skill
        if checks or reflect:
            return "partly", skill
        return "not_met", skill
    if skill == "rupture_confrontation":
        owns = names & {"repair", "metacommunication", "validation", "complex_reflection",
                        "simple_reflection"}
        defensive = bool(_DEFENSIVE.search(norm)) and "repair" not in names
        if owns and (invites or "repair" in names or "emphasize_autonomy" in names) \
                and not defensive and not harm:
            return "met", skill
        if owns or invites:
            return "partly", skill
        return "not_met", skill
    if skill == "rupture_withdrawal":
        notices = names & {"metacommunication", "emphasize_autonomy", "repair",
                           "complex_reflection", "simple_reflection", "validation"}
        gives_control = "emphasize_autonomy" in names
        if not harm and ((notices and (invites or gives_control)) or (gives_control and invites)):
            return "met", skill
        if notices or invites:
            return "partly", skill
        return "not_met", skill
    if skill == "boundaries":
        if "boundary_statement" in names:
            return ("met" if _WARMTH.search(norm) and len(norm.split()) >= 8 else "partly"), skill
        if reflect or "explain_process" in names:
            return "partly", skill
        return "not_met", skill
    if skill == "cultural_humility":
        acknowledges = bool(_DIFFERENCE.search(norm)) or bool(names & {
            "repair", "validation", "complex_reflection", "simple_reflection",
            "emphasize_autonomy"})
        if acknowledges and invites and not harm:
            return "met", skill
        if acknowledges or invites or reflect or "validation" in names:
            return "partly", skill
        return "not_met", skill
    if skill == "confidentiality":
        explains = bool(names & {"explain_process", "boundary_statement"})
        limits = bool(_LIMITS.search(norm))
        engaged = bool(names & {"open_question", "closed_question", "seek_permission",
                                "emphasize_autonomy", "validation", "complex_reflection",
                                "asks_about_suicide", "safety_planning"}) or "you" in norm.split()
        if explains and (limits or bool(_CHOICE.search(norm))) and engaged:
            return "met", skill
        if explains or limits:
            return "partly", skill
        return "not_met", skill
    if skill == "sustain_talk":
        if harm:
            return "not_met", skill
        if "complex_reflection" in names or (reflect and len(norm.split()) >= 10):
            steering = "open_question" in names and bool(_STEERING.search(norm))
            return ("partly" if steering else "met"), skill
        if reflect or "emphasize_autonomy" in names:
            return "partly", skill
        return "not_met", skill
    # suicide_risk
    if names & {"asks_about_suicide", "safety_planning"}:
        return "met", skill
    if reflect or "open_question" in names or "validation" in names:
        return "partly", skill
    return "not_met", skill


def read(drill: Drill, reply: str, codes: tuple[ReplyCode, ...]) -> RuleReading:
    """The codebook's verdict for ``codes`` (the per-skill rule under the general caps)."""
    best, cap_rule = cap(drill, reply, codes)
    verdict, rule = _core(drill, reply, _names(codes))
    if RANK[verdict] > RANK[best]:
        verdict, rule = best, cap_rule or rule
    return RuleReading(verdict, rule, best, cap_rule)


def clip(verdict: str, best: str) -> str:
    return BY_RANK[min(RANK[verdict], RANK[best])]
