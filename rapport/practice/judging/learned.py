"""Learned readings of a reply, fitted on the coded development replies (720, never the
evaluation set) and stored as plain JSON (no pickle), run with numpy.

- **Code detectors**: one logistic regression per code over the reply's MiniLM embedding,
  the coders' probabilities, the phrase rules' hits and the risk reading. They carry the
  codes the phrase lists missed on new wording (advice, confront, persuade, reassurance,
  passing over the cue). Only advice becomes a code (recall-first: it triggers R2); the
  others feed the verdict layer as probabilities.
- **Direct verdict**: one multinomial logistic regression over the same inputs plus the
  skill, giving P(met, partly, not_met) that the verdict layer reads beside the rules.

Both are fitted by ``python -m rapport.practice.judging.training``; their choices (the
codes, the advice bar, C) were made by cross-validation grouped by drill
(docs/practice-judge.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rapport.errors import RapportInputError
from rapport.practice.drills import SKILLS
from rapport.practice.judgement import PRACTICE_CODES, VERDICTS
from rapport.practice.judging.signals import RELATIONSHIP_CODES, UTTERANCE_KEYS, Signals

LEARNED_PATH = Path(__file__).parent / "models" / "learned.json"
FORMAT_VERSION = 1
#: Codes with a learned detector whose probability the verdict layer reads.
DETECTED = ("advice_without_permission", "confront", "persuade", "minimise_or_reassure",
            "ignores_cue")
#: The one learned code that is also added to the reply's codes (at its bar).
ADVICE = "advice_without_permission"
EMBEDDING_DIM = 384


def input_names() -> list[str]:
    return [*(f"emb_{i}" for i in range(EMBEDDING_DIM)), *(f"utt_{k}" for k in UTTERANCE_KEYS),
            *(f"rel_{k}" for k in RELATIONSHIP_CODES), *(f"rule_{c}" for c in PRACTICE_CODES),
            "risk_asks_directly"]


def input_vector(signals: Signals, rule_codes: frozenset[str]) -> np.ndarray:
    """What the detectors read: embedding, coder probabilities, phrase-rule hits, risk."""
    return np.concatenate([
        np.asarray(signals.embedding, dtype=np.float64),
        [signals.utterance[k] for k in UTTERANCE_KEYS],
        [signals.relationship.get(k, 0.0) for k in RELATIONSHIP_CODES],
        [float(c in rule_codes) for c in PRACTICE_CODES], [float(signals.risk_asks_directly)]])


def with_skill(x: np.ndarray, skill: str) -> np.ndarray:
    return np.concatenate([x, [float(skill == s) for s in SKILLS]])


@dataclass(frozen=True)
class Linear:
    """A standardised linear model: softmax over rows (or a sigmoid for one row)."""

    coef: np.ndarray
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        if self.coef.shape[0] == 1:
            return 1.0 / (1.0 + np.exp(-z[..., 0]))  # type: ignore[no-any-return]
        z = z - z.max(axis=-1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]

    def to_json(self) -> dict[str, Any]:
        return {"coef": np.round(self.coef, 6).tolist(),
                "intercept": np.round(self.intercept, 6).tolist(),
                "mean": np.round(self.mean, 6).tolist(), "scale": np.round(self.scale, 6).tolist()}

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Linear:
        return cls(np.array(body["coef"], dtype=np.float64),
                   np.array(body["intercept"], dtype=np.float64),
                   np.array(body["mean"], dtype=np.float64),
                   np.array(body["scale"], dtype=np.float64))


@dataclass(frozen=True)
class Learned:
    detectors: dict[str, Linear]
    advice_bar: float
    direct: Linear
    card: dict[str, Any]

    def code_probabilities(self, x: np.ndarray) -> dict[str, float]:
        return {c: float(self.detectors[c].proba(x)) for c in DETECTED}

    def verdict_probabilities(self, x: np.ndarray, skill: str) -> np.ndarray:
        return self.direct.proba(with_skill(x, skill))


def save_learned(path: Path, learned: Learned) -> None:
    body = {"format_version": FORMAT_VERSION, "inputs": input_names(), "skills": list(SKILLS),
            "verdicts": list(VERDICTS), "advice_bar": learned.advice_bar,
            "detectors": {c: m.to_json() for c, m in learned.detectors.items()},
            "direct": learned.direct.to_json(), **learned.card}
    path.write_text(json.dumps(body, sort_keys=True, separators=(",", ":")) + "\n")


def read_learned(path: Path) -> Learned:
    fix = "run `python -m rapport.practice.judging.training`"
    try:
        body = json.loads(path.read_text())
    except FileNotFoundError:
        raise RapportInputError("the practice judge's learned detectors are missing",
                                where=str(path), fix=fix) from None
    if body.get("format_version") != FORMAT_VERSION or body.get("inputs") != input_names() \
            or body.get("skills") != list(SKILLS) or set(body.get("detectors", {})) != set(
            DETECTED):
        raise RapportInputError("the learned detectors were made for other inputs",
                                where=str(path), fix=fix)
    card = {k: v for k, v in body.items() if k not in ("detectors", "direct", "inputs")}
    return Learned({c: Linear.from_json(m) for c, m in body["detectors"].items()},
                   float(body["advice_bar"]), Linear.from_json(body["direct"]), card)


@lru_cache(maxsize=1)
def shipped_learned() -> Learned:
    return read_learned(LEARNED_PATH)
