"""The reply's codebook codes: phrase rules and the coders' probabilities, combined.

A code is found when its phrase rule fires (confidence 0.9, evidence = the words) or when
a coder's calibrated probability for the matching code reaches its bar (confidence = that
probability). Advice is recall-first: either source is enough, and a suggestion counts even
when the client asked what to do (offering options without a suggestion does not match).
"""

from __future__ import annotations

import re

from rapport.practice.drills import Drill
from rapport.practice.judgement import PRACTICE_CODES, ReplyCode
from rapport.practice.judging import phrases
from rapport.practice.judging.learned import ADVICE, Learned, input_vector, shipped_learned
from rapport.practice.judging.signals import Signals

RULE_CONFIDENCE = 0.9
#: Relationship code -> practice code, with the probability bar for taking it.
FROM_RELATIONSHIP: dict[str, tuple[str, float]] = {
    "affirm": ("affirm", 0.6), "seek_collaboration": ("seek_permission", 0.6),
    "emphasize_autonomy": ("emphasize_autonomy", 0.6),
    "persuade": ("advice_without_permission", 0.5),
    "confront": ("confront", 0.7), "repair": ("repair", 0.6), "normalize": ("normalize", 0.6),
    "self_disclosure": ("self_disclosure", 0.6),
    "metacommunication": ("metacommunication", 0.6),
    "boundary_statement": ("boundary_statement", 0.6)}
#: Codes that show the reply stays with the client turn's cue.
ENGAGED = frozenset({"complex_reflection", "simple_reflection", "validation", "repair",
                     "asks_about_suicide", "safety_planning", "metacommunication", "affirm",
                     "emphasize_autonomy", "seek_permission", "normalize"})


def find_codes(drill: Drill, reply: str, signals: Signals,
               learned: Learned | None = None) -> tuple[ReplyCode, ...]:
    """Every codebook code in ``reply`` (in codebook order) with confidence and evidence.
    ``learned``: the advice detector to use (the shipped one unless training passes a
    fold's own)."""
    found: dict[str, ReplyCode] = {}

    def add(code: str, confidence: float, evidence: str | None) -> None:
        old = found.get(code)
        if old is None or confidence > old.confidence:
            found[code] = ReplyCode(code, round(min(max(confidence, 0.0), 1.0), 3), evidence)

    hits = phrases.rule_hits(reply)
    for hit in hits:
        add(hit.code, RULE_CONFIDENCE, hit.evidence)
    for name, (code, bar) in FROM_RELATIONSHIP.items():
        p = signals.relationship.get(name, 0.0)
        if p >= bar:
            add(code, p, f"relationship coder: {name}")
    u = signals.utterance
    if u["p_input"] * u["p_advice"] >= 0.5:
        add("advice_without_permission", u["p_input"] * u["p_advice"], "utterance coder: advice")
    _questions_and_reflections(reply, u, add)
    asked = phrases.asks_suicide(reply, about_risk=drill.skill == "suicide_risk")
    if asked:
        add("asks_about_suicide", RULE_CONFIDENCE, asked)
    if "affirm" in found and phrases.is_bare_praise(reply):
        del found["affirm"]  # bare "great" is not an affirmation
    _ignores_cue(drill, reply, signals, found, add)
    # after the cue check, as chosen in cross-validation: the learned advice detector
    # widens R2 (recall-first) but does not by itself mark the cue as passed over
    model = learned or shipped_learned()
    p_advice = float(model.detectors[ADVICE].proba(
        input_vector(signals, frozenset(h.code for h in hits))))
    if p_advice >= model.advice_bar:
        add(ADVICE, p_advice, "learned detector: advice")
    return tuple(found[c] for c in PRACTICE_CODES if c in found)


def _questions_and_reflections(reply: str, u: dict[str, float], add: object) -> None:
    assert callable(add)
    open_q, closed_q = phrases.question_kinds(reply)
    if open_q:
        add("open_question", RULE_CONFIDENCE, "?")
    if closed_q:
        add("closed_question", RULE_CONFIDENCE, "?")
    # a label or a put-down ("you sound like a terrible mother") is confront, not a reflection
    statements = [s for s in phrases.sentences(phrases.normalise(reply))
                  if not s.endswith("?") and not phrases.confronts(s)]
    if not statements:
        return
    statement_text = " ".join(statements)
    stem = phrases.reflection_stem(statement_text)
    feeling = phrases.feeling_words(statement_text)
    p_reflect = u["p_reflection"]
    if not (stem or p_reflect >= 0.5 or (feeling and p_reflect >= 0.25
                                          and re.search(r"\byou", statement_text))):
        return
    if len(statement_text.split()) < 3:
        return
    confidence = max(p_reflect, 0.7 if stem else 0.0)
    if feeling or u["p_complex"] >= 0.5:
        add("complex_reflection", max(confidence, u["p_complex"]), feeling or stem)
    else:
        add("simple_reflection", confidence, stem)


def _ignores_cue(drill: Drill, reply: str, signals: Signals, found: dict[str, ReplyCode],
                 add: object) -> None:
    """R5: the reply passes over the cue (a topic change, an unrelated or fact-only
    question, advice or reassurance in place of hearing it, a reply to another moment)."""
    assert callable(add)
    change = phrases.topic_change(reply)
    engaged = ENGAGED & set(found)
    if drill.skill in ("transparency", "confidentiality"):
        engaged |= {"explain_process", "boundary_statement"} & set(found)
    unrelated = (signals.sim_client < 0.22 and signals.sim_exemplar < 0.32
                 and signals.sim_mistake < 0.4)
    questions = bool({"open_question", "closed_question"} & set(found))
    questions_only = questions and not [
        s for s in phrases.sentences(reply) if not s.endswith("?")]
    refers_back = bool(phrases.feeling_words(reply)) or bool(
        re.search(r"\b(?:that|this|it|those|then)\b", phrases.normalise(reply)))
    words = len(reply.split())
    if drill.skill == "suicide_risk" and change and "asks_about_suicide" not in found:
        add("ignores_cue", RULE_CONFIDENCE, change)  # a crisis line on the way out is not staying
        return
    deferred = phrases.defers(reply) if drill.skill == "suicide_risk" else None
    if deferred:  # asked, then put off: "let's pick that up next week" is not staying with it
        add("ignores_cue", RULE_CONFIDENCE, deferred)
        return
    if engaged:
        echoes = {"complex_reflection", "simple_reflection", "validation", "affirm"} & engaged
        if echoes and not questions and signals.sim_client < 0.12 \
                and signals.sim_exemplar < 0.3:
            add("ignores_cue", 0.6, "answers a different moment")
        return
    if change:
        add("ignores_cue", RULE_CONFIDENCE, change)
    elif drill.skill == "suicide_risk" and (
            words <= 3 or "minimise_or_reassure" in found
            or unrelated or (questions_only and not refers_back)):
        add("ignores_cue", 0.8, "passes over the risk cue")
    elif words > 3 and (unrelated or (questions_only and signals.sim_client < 0.3
                                      and not refers_back)):
        add("ignores_cue", 0.7, "does not answer this client turn")
    elif words > 3 and {"advice_without_permission", "minimise_or_reassure", "persuade"} & set(
            found) and drill.skill in ("empathy", "validation", "affirmation", "suicide_risk",
                                       "rupture_withdrawal", "rupture_confrontation"):
        add("ignores_cue", 0.6, "answers the surface, not the feeling")
