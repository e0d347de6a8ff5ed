"""The learned layer's inputs: the codebook rules' reading of the codes, the reply's length,
how close the reply sits to this drill's client turn, exemplars and mistakes, the learned
detectors' probabilities of the codes the phrase lists miss on new wording, and the direct
verdict model's probabilities.

Chosen in cross-validation grouped by drill on the 720 development replies
(docs/practice-judge.md): the five detector probabilities plus the direct verdict beat the
rule reading alone (0.768 -> 0.79), all detectors, and the skill one-hot.
"""

from __future__ import annotations

import math

import numpy as np

from rapport.practice.judgement import VERDICTS
from rapport.practice.judging.learned import DETECTED
from rapport.practice.judging.rules import RuleReading
from rapport.practice.judging.signals import Signals

FEATURE_NAMES: tuple[str, ...] = (
    *(f"rule_{v}" for v in VERDICTS), "cap_partly", "cap_not_met",
    "sim_exemplar", "sim_mistake", "sim_margin", "sim_client", "log_words",
    *(f"p_{c}" for c in DETECTED), *(f"direct_{v}" for v in VERDICTS))


def feature_vector(reply: str, reading: RuleReading, signals: Signals,
                   code_p: dict[str, float], direct: np.ndarray) -> np.ndarray:
    values = [
        *(float(reading.verdict == v) for v in VERDICTS),
        float(reading.cap == "partly"), float(reading.cap == "not_met"),
        signals.sim_exemplar, signals.sim_mistake, signals.sim_exemplar - signals.sim_mistake,
        signals.sim_client, math.log1p(len(reply.split())),
        *(code_p[c] for c in DETECTED), *(float(x) for x in direct)]
    return np.array(values, dtype=np.float64)
