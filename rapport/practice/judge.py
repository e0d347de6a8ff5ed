"""The practice judge: codes one reply in its drill's context and gives a verdict.

This first version is phrase rules only (``baseline-rules@0``), so the faces can be built
against :class:`~rapport.practice.judgement.Judgement`; the measured judge replaces its
insides without changing :func:`judge_reply`'s signature.
"""

from __future__ import annotations

import re

from rapport.practice.drills import Drill
from rapport.practice.judgement import Feedback, Judgement, ReplyCode, Verdict

JUDGE_VERSION = "baseline-rules@0"

_PATTERNS: dict[str, re.Pattern[str]] = {
    "seek_permission": re.compile(r"\b(would it (help|be ok)|can i (share|suggest|offer)|"
                                  r"would you like (me|some)|is it ok if)\b", re.I),
    "advice_without_permission": re.compile(r"\b(you should|you need to|have you tried|"
                                            r"why don't you|try to|you must)\b", re.I),
    "asks_about_suicide": re.compile(r"\b(suicid\w*|kill(ing)? yourself|end(ing)? your life)\b",
                                     re.I),
    "minimise_or_reassure": re.compile(r"\b(i'?m sure|at least|don'?t worry|it'?ll be fine)\b",
                                       re.I),
    "emphasize_autonomy": re.compile(r"\b(your (choice|decision)|up to you)\b", re.I),
}
_FEELING = re.compile(r"\b(sounds? like|feel\w*|hurt|lonely|scared|angry|sad|stung|alone)\b",
                      re.I)


def _codes(reply: str) -> list[ReplyCode]:
    found = [ReplyCode(code, 0.6, m.group(0)) for code, pattern in _PATTERNS.items()
             if (m := pattern.search(reply))]
    if "?" in reply:
        found.append(ReplyCode("open_question" if re.match(r"\s*(what|how)\b", reply, re.I)
                               else "closed_question", 0.6, "?"))
    elif _FEELING.search(reply):
        found.append(ReplyCode("complex_reflection", 0.5, _FEELING.search(reply).group(0)))  # type: ignore[union-attr]
    return found


def judge_reply(drill: Drill, reply: str) -> Judgement:
    """Judge ``reply`` as the answer to ``drill``'s client turn."""
    codes = _codes(reply)
    names = {c.code for c in codes}
    verdict: Verdict
    if len(reply.split()) < 2:
        verdict, rule = "not_met", "R3"
    elif "advice_without_permission" in names and drill.skill != "transparency":
        verdict, rule = "partly" if len(names) > 1 else "not_met", "R2"
    elif (drill.skill == "suicide_risk") != ("asks_about_suicide" in names):
        verdict, rule = "not_met", "suicide_risk" if drill.skill == "suicide_risk" else "R6"
    elif "complex_reflection" in names or "seek_permission" in names:
        verdict, rule = "met", drill.skill
    else:
        verdict, rule = "partly", "R6"
    return Judgement(
        drill_id=drill.id, skill=drill.skill, verdict=verdict, confidence=0.5, unsure=True,
        codes=tuple(codes),
        feedback=Feedback(did=", ".join(sorted(names)) or "no code found",
                          needed=drill.target, exemplar=drill.exemplars[0],
                          next_step="Compare your reply with the exemplar."),
        rule=rule, judge_version=JUDGE_VERSION)
