"""The risk coder: the :class:`~rapport.domain.SessionCoder` that flags risk language.

Every client turn gets the five risk codes, each with its calibrated probability; a code
applies when its probability reaches the code's recall-first threshold (so a flag may say
"about 30% likely": the therapist sees how sure it is). A plan carries ideation. The
evidence of a flag is the matched phrase, or else the sentence the model rates highest.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from rapport.domain import Code, CodeFamily, Role, Session, TurnCodes, codes_language
from rapport.risk.codes import RISK_CODES, families
from rapport.risk.features import sentences
from rapport.risk.model import RiskModel
from rapport.risk.persist import MODEL_VERSION, load_model
from rapport.risk.rules import rule_hits

PRESETS = ("fast", "accurate")


class RiskCoder:
    """Codes client turns for risk; the same model serves both presets."""

    def __init__(self, model: RiskModel, meta: dict[str, Any] | None = None) -> None:
        self.model = model
        self.meta = dict(meta or {})
        self._families = families()

    @property
    def families(self) -> tuple[CodeFamily, ...]:
        return self._families

    @property
    def model_id(self) -> str:
        return f"risk@{MODEL_VERSION}"

    def turn_probabilities(self, contexts: Sequence[str], texts: Sequence[str]
                           ) -> dict[str, np.ndarray]:
        """Each code's probability for each turn, read with the therapist's turn before it
        (plan lifts ideation to at least its own)."""
        probs = self.model.code_proba(list(contexts), list(texts))
        probs["risk_suicidal_ideation"] = np.maximum(probs["risk_suicidal_ideation"],
                                                     probs["risk_suicide_plan"])
        return probs

    def decide(self, probs: dict[str, np.ndarray], row: int) -> dict[str, float]:
        """The codes that apply to one text, with their probabilities."""
        found = {code: float(probs[code][row]) for code in RISK_CODES
                 if probs[code][row] >= self.model.heads_[code].threshold}
        if "risk_suicide_plan" in found:
            found.setdefault("risk_suicidal_ideation", found["risk_suicide_plan"])
        return found

    def evidence(self, context: str, text: str, code: str) -> str:
        """The matched phrase of ``code``, else the sentence the model rates highest."""
        for hit in rule_hits(text):
            if hit.code == code or (code == "risk_suicidal_ideation"
                                    and hit.code == "risk_suicide_plan"):
                return hit.text
        parts = sentences(text)
        if len(parts) == 1:
            return parts[0]
        scores = self.turn_probabilities([context] * len(parts), parts)[code]
        return parts[int(np.argmax(scores))]

    def preload(self) -> None:
        """Load the risk encoder now rather than on the first turn that needs it: in a
        process that forks workers, they then share its pages (``rapport code``)."""
        self.model.load_encoder()

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One :class:`TurnCodes` per turn, in order; client turns carry the five codes."""
        turns = session.turns
        codes: list[list[Code]] = [[] for _ in turns]
        idx = [t.index for t in turns if t.role == Role.CLIENT and t.text.strip()]
        if idx and codes_language(session.language):
            contexts = [therapist_before(session, i) for i in idx]
            probs = self.turn_probabilities(contexts, [turns[i].text for i in idx])
            for row, i in enumerate(idx):
                found = self.decide(probs, row)
                for code in RISK_CODES:
                    if code in found:
                        codes[i].append(Code(
                            name=code, value=True, confidence=found[code],
                            evidence=(self.evidence(contexts[row], turns[i].text, code),),
                            source=self.model_id))
                    else:
                        codes[i].append(Code(name=code, value=False,
                                             confidence=1.0 - float(probs[code][row]),
                                             source=self.model_id))
        return [TurnCodes(session_id=session.id, turn_index=t.index, codes=tuple(c))
                for t, c in zip(turns, codes, strict=True)]


def therapist_before(session: Session, index: int) -> str:
    """The last therapist turn before turn ``index`` ("" when none): the encoder's context."""
    return next((t.text for t in reversed(session.turns[:index]) if t.role == Role.THERAPIST),
                "")


@lru_cache(maxsize=1)
def _shipped() -> RiskCoder:
    model, meta = load_model()
    return RiskCoder(model, meta)


def load_coder(preset: str = "fast") -> RiskCoder:
    """The shipped risk coder (one model for every preset), loaded once per process."""
    from rapport.errors import RapportInputError

    if preset not in PRESETS:
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use one of: " + ", ".join(PRESETS))
    return _shipped()
