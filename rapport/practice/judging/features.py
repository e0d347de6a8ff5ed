"""The learned layer's inputs: the rule reading, the codes, the coders' probabilities, and
how close the reply sits to this drill's exemplars and to its mistakes."""

from __future__ import annotations

import math

import numpy as np

from rapport.practice.drills import SKILLS
from rapport.practice.judgement import PRACTICE_CODES, VERDICTS, ReplyCode
from rapport.practice.judging.rules import RuleReading
from rapport.practice.judging.signals import RELATIONSHIP_CODES, Signals

UTTERANCE_KEYS = ("p_question", "p_reflection", "p_input", "p_open", "p_complex", "p_advice")
FEATURE_NAMES: tuple[str, ...] = (
    *(f"rule_{v}" for v in VERDICTS), "cap_partly", "cap_not_met",
    "sim_exemplar", "sim_mistake", "sim_margin", "sim_client", "log_words",
    *UTTERANCE_KEYS, *(f"rel_{c}" for c in RELATIONSHIP_CODES),
    *(f"code_{c}" for c in PRACTICE_CODES), *(f"skill_{s}" for s in SKILLS))


def feature_vector(skill: str, reply: str, reading: RuleReading, codes: tuple[ReplyCode, ...],
                   signals: Signals) -> np.ndarray:
    names = {c.code: c.confidence for c in codes}
    values = [
        *(float(reading.verdict == v) for v in VERDICTS),
        float(reading.cap == "partly"), float(reading.cap == "not_met"),
        signals.sim_exemplar, signals.sim_mistake, signals.sim_exemplar - signals.sim_mistake,
        signals.sim_client, math.log1p(len(reply.split())),
        *(signals.utterance[k] for k in UTTERANCE_KEYS),
        *(signals.relationship[c] for c in RELATIONSHIP_CODES),
        *(names.get(c, 0.0) for c in PRACTICE_CODES),
        *(float(skill == s) for s in SKILLS)]
    return np.array(values, dtype=np.float64)
