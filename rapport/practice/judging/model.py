"""The learned verdict layer: a multinomial logistic regression over the features, stored
as plain JSON (no pickle) and run with numpy.

Its probabilities are folded under the codebook's cap (a verdict above what R1/R2/R3/R5
or the suicide rule allow gets no mass: that mass goes to the cap), so the hard rules hold
whatever the weights say, and the confidence is the folded probability of the verdict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from rapport.errors import RapportInputError
from rapport.practice.judgement import VERDICTS
from rapport.practice.judging.features import FEATURE_NAMES
from rapport.practice.judging.rules import RANK

MODEL_PATH = Path(__file__).parent / "models" / "verdict.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class VerdictModel:
    coef: np.ndarray  # (3, n_features), rows in VERDICTS order
    intercept: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    unsure_below: float
    card: dict[str, Any]

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=-1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


def fold_under_cap(p: np.ndarray, cap: str, floor: str = "not_met") -> np.ndarray:
    """Move the probability of verdicts above ``cap`` onto ``cap``, and of verdicts below
    ``floor`` onto ``floor`` (VERDICTS order)."""
    out = p.copy()
    for i, verdict in enumerate(VERDICTS):
        for bound, beyond in ((cap, RANK[verdict] > RANK[cap]),
                              (floor, RANK[verdict] < RANK[floor])):
            if beyond:
                out[VERDICTS.index(bound)] += out[i]
                out[i] = 0.0
    return out


def save_model(path: Path, *, coef: np.ndarray, intercept: np.ndarray, mean: np.ndarray,
               scale: np.ndarray, unsure_below: float, card: dict[str, Any]) -> None:
    body = {"format_version": FORMAT_VERSION, "features": list(FEATURE_NAMES),
            "verdicts": list(VERDICTS), "coef": np.round(coef, 6).tolist(),
            "intercept": np.round(intercept, 6).tolist(), "mean": np.round(mean, 6).tolist(),
            "scale": np.round(scale, 6).tolist(), "unsure_below": unsure_below, **card}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, indent=1, sort_keys=True) + "\n")


def read_model(path: Path) -> VerdictModel:
    try:
        body = json.loads(path.read_text())
    except FileNotFoundError:
        raise RapportInputError("the practice judge's verdict model is missing", where=str(path),
                                fix="run `python -m rapport.practice.judging.training`") from None
    if body.get("format_version") != FORMAT_VERSION or body.get("features") != list(
            FEATURE_NAMES) or body.get("verdicts") != list(VERDICTS):
        raise RapportInputError("the verdict model was made for other features", where=str(path),
                                fix="run `python -m rapport.practice.judging.training`")
    card = {k: v for k, v in body.items()
            if k not in ("coef", "intercept", "mean", "scale", "features")}
    return VerdictModel(np.array(body["coef"]), np.array(body["intercept"]),
                        np.array(body["mean"]), np.array(body["scale"]),
                        float(body["unsure_below"]), card)


@lru_cache(maxsize=1)
def shipped_model() -> VerdictModel:
    return read_model(MODEL_PATH)
