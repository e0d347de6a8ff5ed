"""The relationship coder: the :class:`~rapport.domain.SessionCoder` of the pipeline.

>>> from rapport.domain import Session
>>> coder = load_coder("fast")
>>> s = Session.build("d", [("C", "client", "I stopped drinking for two weeks."),
...                         ("T", "therapist", "You've worked really hard to get here, and "
...                                            "that took real courage.")])
>>> [c.name for c in coder.code_session(s)[1].codes if c.value]
['affirm']
"""

from __future__ import annotations

import math

import numpy as np

from rapport.coding.relationship.codes import ALL_CODES, CODES_BY_ROLE, families
from rapport.coding.relationship.dialogue import from_session
from rapport.coding.relationship.model import CODE_INDEX, RelationshipModel, WordRow
from rapport.coding.relationship.persist import load_model, model_name
from rapport.coding.relationship.persist import model_id as preset_model_id
from rapport.domain import Code, CodeFamily, Role, Session, TurnCodes, codes_language
from rapport.errors import RapportInputError

PRESETS = ("fast", "accurate")


class RelationshipCoder:
    """Codes every therapist and client turn of an English session with the relationship codes.

    The model reads the whole session (a ``repair`` answers the client's turns before
    it). For each turn of a role it returns one :class:`Code` per code of that role:
    ``value`` True when P(applies) reaches the code's operating threshold, with
    ``confidence`` P(applies), or False with ``confidence`` P(absent). Positive codes carry
    evidence. Turns of other speakers, and sessions not in English, get none.
    """

    def __init__(self, model: RelationshipModel, *, preset: str = "fast",
                 model_id: str | None = None) -> None:
        self.model = model
        self.preset = preset
        self.families: tuple[CodeFamily, ...] = families()
        # each code's operating threshold, columns as the model's (ALL_CODES)
        self._cuts = np.array([model.threshold(code) for code in ALL_CODES])
        # a model kept elsewhere than the shipped file (the practice judge's pinned copy)
        # names its own version
        self._model_id = model_id or preset_model_id(preset)

    @property
    def model_id(self) -> str:
        return self._model_id

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One :class:`TurnCodes` per turn, in order; ``session`` is not changed."""
        turns = session.turns
        codes: list[list[Code]] = [[] for _ in turns]
        if codes_language(session.language) and turns:
            dialogue = from_session(session)
            probs = self.model.predict_proba(dialogue)
            positive = probs >= self._cuts  # NaN (another role's code) is never positive
            words = self._positive_word_rows(session, positive)
            for i, turn in enumerate(turns):
                if turn.role not in (Role.THERAPIST, Role.CLIENT):
                    continue
                j = dialogue.previous(i)
                previous = dialogue.texts[j] if j is not None else ""
                for code in CODES_BY_ROLE[turn.role]:
                    p = float(probs[i, CODE_INDEX[code]])
                    if math.isnan(p):
                        continue
                    if positive[i, CODE_INDEX[code]]:
                        evidence = self.model.evidence(turn.text, previous, turn.role.value,
                                                       code, words=words[i])
                        codes[i].append(Code(name=code, value=True, confidence=p,
                                             evidence=evidence, source=self.model_id))
                    else:
                        codes[i].append(Code(name=code, value=False, confidence=1.0 - p,
                                             source=self.model_id))
        return [TurnCodes(session_id=session.id, turn_index=t.index, codes=tuple(c))
                for t, c in zip(turns, codes, strict=True)]

    def _positive_word_rows(self, session: Session, positive: np.ndarray
                            ) -> dict[int, WordRow]:
        """The word row of every turn with a positive code (``positive``: turns x codes),
        one matrix per role: the evidence of each code reads it (built turn by turn, this
        cost a tenth of `rapport code`'s time)."""
        coded = np.asarray(positive.any(axis=1))
        out: dict[int, WordRow] = {}
        for role in (Role.THERAPIST, Role.CLIENT):
            index = [i for i, turn in enumerate(session.turns)
                     if turn.role is role and coded[i]]
            if index:
                rows = self.model.word_rows([session.turns[i].text for i in index],
                                            role.value)
                out.update(zip(index, rows, strict=True))
        return out


def load_coder(preset: str = "fast") -> RelationshipCoder:
    """The shipped relationship coder of ``preset``: ``fast`` reads words, rules and
    context only; ``accurate`` adds frozen MiniLM embeddings (ONNX Runtime)."""
    if preset not in PRESETS:
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use one of: " + ", ".join(PRESETS))
    return RelationshipCoder(load_model(name=model_name(preset)), preset=preset)
