"""The learned layer's inputs: the codebook rules' reading of the codes, the reply's length,
how close the reply sits to this drill's client turn, exemplars and mistakes, the learned
detectors' probabilities of the codes the phrase lists miss on new wording, and the direct
verdict model's probabilities.

Chosen in cross-validation grouped by drill on the 720 development replies
(docs/practice-judge.md): the five detector probabilities plus the direct verdict beat the
rule reading alone (0.768 -> 0.79), all detectors, and the skill one-hot.

Length saturates at ``MAX_WORDS`` (the codebook: "Do not reward length"): past what the
drills' own exemplars need, more words earn nothing; repeated sentences are dropped before
judging (``phrases.without_repeats``).
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
    "sim_exemplar", "sim_mistake", "sim_margin", "sim_client", "log_words_capped",
    *(f"p_{c}" for c in DETECTED), *(f"direct_{v}" for v in VERDICTS))


#: Words past which a reply's length counts no more (about the 95th percentile of the
#: library's exemplars, 37 words; the longest is 53).
MAX_WORDS = 40


def length_feature(reply: str) -> float:
    """log(1 + words), saturating at MAX_WORDS."""
    return math.log1p(min(len(reply.split()), MAX_WORDS))


def feature_vector(reply: str, reading: RuleReading, signals: Signals,
                   code_p: dict[str, float], direct: np.ndarray) -> np.ndarray:
    values = [
        *(float(reading.verdict == v) for v in VERDICTS),
        float(reading.cap == "partly"), float(reading.cap == "not_met"),
        signals.sim_exemplar, signals.sim_mistake, signals.sim_exemplar - signals.sim_mistake,
        signals.sim_client, length_feature(reply),
        *(code_p[c] for c in DETECTED), *(float(x) for x in direct)]
    return np.array(values, dtype=np.float64)
