"""The relationship coder: the :class:`~rapport.domain.SessionCoder` of the pipeline.

>>> from rapport.domain import Session
>>> coder = load_coder("fast")
>>> s = Session.build("d", [("T", "therapist", "What was that like?"), ("C", "client", "Dunno.")])
>>> [c.name for c in coder.code_session(s)[1].codes if c.value]
['withdrawal']
"""

from __future__ import annotations

from rapport.coding.relationship.codes import CODES_BY_ROLE, families
from rapport.coding.relationship.model import RelationshipModel
from rapport.coding.relationship.persist import MODEL_VERSION, load_model
from rapport.domain import Code, CodeFamily, Role, Session, TurnCodes, codes_language
from rapport.errors import RapportInputError

PRESETS = ("fast", "accurate")


class RelationshipCoder:
    """Codes every therapist and client turn of an English session with the relationship codes.

    For each turn of a role it returns one :class:`Code` per code of that role: ``value``
    True with ``confidence`` P(applies), or False with ``confidence`` P(absent). Positive
    codes carry evidence. Turns of other speakers, and sessions not in English, get none.
    """

    def __init__(self, model: RelationshipModel, *, preset: str = "fast") -> None:
        self.model = model
        self.preset = preset
        self.families: tuple[CodeFamily, ...] = families()

    @property
    def model_id(self) -> str:
        return f"relationship@{MODEL_VERSION}"

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One :class:`TurnCodes` per turn, in order; ``session`` is not changed."""
        turns = session.turns
        codes: list[list[Code]] = [[] for _ in turns]
        english = codes_language(session.language)
        for role in (Role.THERAPIST, Role.CLIENT) if english else ():
            idx = [t.index for t in turns if t.role == role]
            if not idx:
                continue
            texts = [turns[i].text for i in idx]
            # the turn answered: the nearest earlier turn by another speaker
            previous = [self._previous(session, i) for i in idx]
            vectorizer = self.model.vectorizers_[role.value]
            hits = vectorizer.hits(texts, previous)
            probs = self.model.predict_proba(texts, previous, role.value, hits)
            vectors = vectorizer.text_matrix(texts)
            for row, i in enumerate(idx):
                for code in CODES_BY_ROLE[role]:
                    p = float(probs[code][row])
                    if p >= 0.5:
                        evidence = self.model.evidence(
                            texts[row], previous[row], role.value, code, hits=hits[row],
                            vector=vectors[row])
                        codes[i].append(Code(name=code, value=True, confidence=p,
                                             evidence=evidence, source=self.model_id))
                    else:
                        codes[i].append(Code(name=code, value=False, confidence=1.0 - p,
                                             source=self.model_id))
        return [TurnCodes(session_id=session.id, turn_index=t.index, codes=tuple(c))
                for t, c in zip(turns, codes, strict=True)]

    @staticmethod
    def _previous(session: Session, index: int) -> str:
        speaker = session.turns[index].speaker
        for turn in reversed(session.turns[:index]):
            if turn.speaker != speaker:
                return turn.text
        return ""


def load_coder(preset: str = "fast") -> RelationshipCoder:
    """The shipped relationship coder (the same model serves both presets)."""
    if preset not in PRESETS:
        raise RapportInputError(f"unknown preset {preset!r}",
                                fix="use one of: " + ", ".join(PRESETS))
    return RelationshipCoder(load_model(), preset=preset)
