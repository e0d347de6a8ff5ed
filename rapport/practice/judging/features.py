"""The learned layer's inputs: the codebook rules' reading of the codes, the reply's length,
and how close the reply sits to this drill's client turn, exemplars and mistakes.

Kept small on purpose: with 240 coded development replies, the rule reading plus the
similarities beat every larger set tried (the codes one by one, the coders' probabilities,
the skill) in cross-validation grouped by drill (docs/practice-judge.md).
"""

from __future__ import annotations

import math

import numpy as np

from rapport.practice.judgement import VERDICTS
from rapport.practice.judging.rules import RuleReading
from rapport.practice.judging.signals import Signals

FEATURE_NAMES: tuple[str, ...] = (
    *(f"rule_{v}" for v in VERDICTS), "cap_partly", "cap_not_met",
    "sim_exemplar", "sim_mistake", "sim_margin", "sim_client", "log_words")


def feature_vector(reply: str, reading: RuleReading, signals: Signals) -> np.ndarray:
    values = [
        *(float(reading.verdict == v) for v in VERDICTS),
        float(reading.cap == "partly"), float(reading.cap == "not_met"),
        signals.sim_exemplar, signals.sim_mistake, signals.sim_exemplar - signals.sim_mistake,
        signals.sim_client, math.log1p(len(reply.split()))]
    return np.array(values, dtype=np.float64)
