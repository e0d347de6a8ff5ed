"""The empathy coder: the :class:`~rapport.domain.SessionCoder` of the pipeline.

>>> from rapport.domain import Session
>>> coder = load_coder("fast")
>>> s = Session.build("d", [("C", "client", "I feel so alone since she left."),
...                         ("T", "therapist", "You're feeling really lonely without her.")])
>>> [c.name for c in coder.code_session(s)[1].codes]
['empathy_er', 'empathy_ip', 'empathy_ex', 'empathy']
>>> coder.code_session(s)[0].codes
()
"""

from __future__ import annotations

import numpy as np

from rapport.coding.empathy.codes import MECHANISMS, TOTAL, as_label, families
from rapport.coding.empathy.model import EmpathyModel
from rapport.coding.empathy.persist import load_model, model_id, model_name
from rapport.coding.empathy.ratings import turn_ratings
from rapport.coding.relationship.dialogue import from_session
from rapport.domain import Code, CodeFamily, Role, Session, TurnCodes, codes_language
from rapport.errors import RapportInputError

PRESETS = ("fast", "accurate")


class EmpathyCoder:
    """Rates every therapist turn of an English session on EPITOME's three mechanisms.

    Each therapist turn gets ``empathy_er``, ``empathy_ip``, ``empathy_ex`` (0–2, in
    halves) and ``empathy`` (their sum, 0–6), each with its confidence
    (:mod:`~rapport.coding.empathy.ratings`); the seeker post is the preceding client turn.
    Client and other turns, and sessions not in English, get none.
    """

    def __init__(self, model: EmpathyModel, *, preset: str = "fast") -> None:
        self.model = model
        self.preset = preset
        self.families: tuple[CodeFamily, ...] = families()
        self._model_id = model_id(preset)

    @property
    def model_id(self) -> str:
        return self._model_id

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One :class:`TurnCodes` per turn, in order; ``session`` is not changed."""
        turns = session.turns
        codes: list[tuple[Code, ...]] = [() for _ in turns]
        if codes_language(session.language) and turns:
            (probs,) = self.model.predict_many([from_session(session)])
            positions = [i for i, t in enumerate(turns) if t.role == Role.THERAPIST]
            if positions:
                out = turn_ratings(np.stack([probs[i] for i in positions]))
                for n, i in enumerate(positions):
                    codes[i] = (*(
                        Code(name=f"{TOTAL}_{m}", value=as_label(out.mechanisms[n, k]),
                             confidence=_unit(out.mechanism_confidence[n, k]),
                             source=self._model_id)
                        for k, m in enumerate(MECHANISMS)),
                        Code(name=TOTAL, value=as_label(out.total[n]),
                             confidence=_unit(out.total_confidence[n]), source=self._model_id))
        return [TurnCodes(session_id=session.id, turn_index=t.index, codes=c)
                for t, c in zip(turns, codes, strict=True)]


def _unit(p: float) -> float:
    # rounding in the convolutions can step a hair outside [0, 1]
    return float(min(1.0, max(0.0, p)))


def load_coder(preset: str = "fast") -> EmpathyCoder:
    """The shipped empathy coder of ``preset``: ``fast`` reads words and context only;
    ``accurate`` adds frozen MiniLM embeddings (ONNX Runtime)."""
    if preset not in PRESETS:
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use one of: " + ", ".join(PRESETS))
    return EmpathyCoder(load_model(name=model_name(preset)), preset=preset)
