"""The practice judge: codes one reply in its drill's context and gives a verdict.

How (docs/practice-judge.md): the reply is coded as the last turn of a short session made
of the drill's context and client turn, by coders that read only earlier turns (the
``live`` utterance coder, the relationship coder, the risk reply rule) and by phrase
rules, giving the codebook's 21 codes; the codebook's rules give a verdict and a cap (R1
harm, R2 advice, R3 one word, R5 off-topic, the suicide rule); a small logistic regression
over the rule reading, the reply's length, its similarity to the drill's client turn,
exemplars and mistakes, learned code detectors' probabilities and a direct verdict model
(judging/learned.py) gives calibrated probabilities, folded under the cap.
Below the confidence bar chosen in cross-validation the judgement is ``unsure`` and the
feedback says so. Repeated sentences are read once; a reply that is clearly not English is
not judged (``unsure``, rule ``english_only``). Models load once per process, on first use.
"""

from __future__ import annotations

import numpy as np

from rapport.ingest.language import language_name
from rapport.practice.drills import Drill
from rapport.practice.judgement import VERDICTS, Feedback, Judgement
from rapport.practice.judging import rules
from rapport.practice.judging.codes import find_codes
from rapport.practice.judging.features import feature_vector
from rapport.practice.judging.feedback import make_feedback
from rapport.practice.judging.language import reply_language
from rapport.practice.judging.learned import input_vector, shipped_learned
from rapport.practice.judging.model import fold_under_cap, shipped_model
from rapport.practice.judging.phrases import rule_hits, without_repeats
from rapport.practice.judging.signals import read_signals

JUDGE_VERSION = "practice-judge@2.2"


def judge_reply(drill: Drill, reply: str) -> Judgement:
    """Judge ``reply`` as the answer to ``drill``'s client turn (no record, no network).

    A sentence said again is judged once (the codebook does not reward length); a reply
    that is clearly not English is ``unsure`` and says so (the judge reads English only).
    """
    text = without_repeats(reply.strip())
    language = reply_language(text)
    if language is not None:
        return _not_english(drill, language)
    signals = read_signals(drill, text)
    codes = find_codes(drill, text, signals) if text else ()
    reading = rules.read(drill, text, codes)
    model, learned = shipped_model(), shipped_learned()
    x = input_vector(signals, frozenset(h.code for h in rule_hits(text)))
    code_p = learned.code_probabilities(x)
    direct = learned.verdict_probabilities(x, drill.skill)
    p = fold_under_cap(model.proba(feature_vector(text, reading, signals, code_p, direct)),
                       reading.cap, reading.floor)
    best = int(np.argmax(p))
    verdict = VERDICTS[best]
    confidence = round(float(p[best]), 3)
    unsure = confidence < model.unsure_below
    rule = reading.cap_rule if (reading.cap_rule and verdict == reading.cap) else reading.rule
    feedback = make_feedback(drill, verdict, codes, rule, unsure=unsure, confidence=confidence,
                             harm=reading.harm, words=len(text.split()))
    return Judgement(
        drill_id=drill.id, skill=drill.skill, verdict=verdict,  # type: ignore[arg-type]
        confidence=confidence, unsure=unsure, codes=codes, feedback=feedback, rule=rule,
        judge_version=JUDGE_VERSION,
        extra={"probabilities": {v: round(float(x), 3) for v, x in zip(VERDICTS, p, strict=True)},
               "rule_verdict": reading.verdict, "cap": reading.cap,
               "learned_codes": {c: round(v, 3) for c, v in code_p.items()},
               "direct": {v: round(float(q), 3) for v, q in zip(VERDICTS, direct, strict=True)},
               "similarity": {"exemplar": round(signals.sim_exemplar, 3),
                              "mistake": round(signals.sim_mistake, 3)}})


#: The rule of a reply left unjudged because it is not English: each verdict 1/3 (nothing
#: was read), reported as ``partly`` and ``unsure`` so the skill comes up again, unpraised.
ENGLISH_ONLY_RULE = "english_only"


def _not_english(drill: Drill, language: str) -> Judgement:
    name = language_name(language)
    feedback = Feedback(
        did=(f"The reply looks like {name if language != 'und' else 'another language'}, "
             "not English; the judge reads English only, so it cannot say what the reply "
             "did and neither praises nor faults it."),
        needed=drill.target, exemplar=drill.exemplars[0],
        next_step="Write the reply in English so the judge can read it, or compare it with "
                  "the exemplar yourself.")
    third = round(1 / len(VERDICTS), 3)
    return Judgement(
        drill_id=drill.id, skill=drill.skill, verdict="partly", confidence=third, unsure=True,
        codes=(), feedback=feedback, rule=ENGLISH_ONLY_RULE, judge_version=JUDGE_VERSION,
        extra={"language": language, "probabilities": dict.fromkeys(VERDICTS, third)})
