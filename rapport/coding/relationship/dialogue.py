"""What the relationship model reads: whole dialogues, not lone turns.

A ``repair`` answers a withdrawal a turn or three before it; permission asked two turns
ago still covers the advice given now. So the model fits and predicts on
:class:`Dialogue` objects: every turn with its role and, for training, its codes
(``None`` where a turn is context only, such as the invented previous turn of a written
example). :func:`from_session`, :func:`from_gold` and :func:`from_examples` build them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapport.coding.relationship.codes import ALL_CODES
from rapport.domain import Session


@dataclass(frozen=True)
class Dialogue:
    """One conversation: ``roles[i]`` is therapist, client or other; ``codes`` for training.

    ``group`` keeps turns of one source together in cross-validation (the video of an
    AnnoMI transcript: two transcripts of one video never sit on both sides of a split).
    """

    group: str
    roles: tuple[str, ...]
    texts: tuple[str, ...]
    codes: tuple[frozenset[str] | None, ...] | None = None

    def __post_init__(self) -> None:
        if len(self.roles) != len(self.texts) or (
                self.codes is not None and len(self.codes) != len(self.texts)):
            msg = "roles, texts and codes must have one entry per turn"
            raise ValueError(msg)

    def previous(self, index: int) -> int | None:
        """The turn ``index`` answers: the nearest earlier turn by the other role."""
        role = self.roles[index]
        for j in range(index - 1, -1, -1):
            if self.roles[j] != role and self.roles[j] in ("therapist", "client"):
                return j
        return None

    def labelled(self, index: int) -> bool:
        return self.codes is not None and self.codes[index] is not None


def from_session(session: Session) -> Dialogue:
    """A domain session as an unlabelled dialogue."""
    return Dialogue(group=session.id, roles=tuple(t.role.value for t in session.turns),
                    texts=tuple(t.text for t in session.turns))


def from_gold(video: str, turns: Iterable[tuple[str, str, Iterable[str]]]) -> Dialogue:
    """A gold transcript: ``(speaker T|C, text, codes)`` per turn, grouped by its video."""
    rows = list(turns)
    return Dialogue(group=f"video:{video}",
                    roles=tuple("therapist" if s == "T" else "client" for s, _, _ in rows),
                    texts=tuple(t for _, t, _ in rows),
                    codes=tuple(frozenset(c) for _, _, c in rows))


def from_examples(examples: Sequence[tuple[str, str, str, str, Sequence[str]]]
                  ) -> list[Dialogue]:
    """Written examples ``(id, role, previous, text, codes)`` as two-turn dialogues.

    The previous turn is context only (its codes unknown); each example is its own group.
    """
    out = []
    for ex_id, role, previous, text, codes in examples:
        other = "client" if role == "therapist" else "therapist"
        unknown = [c for c in codes if c not in ALL_CODES]
        if unknown:
            msg = f"example {ex_id}: unknown codes {unknown}"
            raise ValueError(msg)
        if previous:
            out.append(Dialogue(group=f"example:{ex_id}", roles=(other, role),
                                texts=(previous, text), codes=(None, frozenset(codes))))
        else:
            out.append(Dialogue(group=f"example:{ex_id}", roles=(role,), texts=(text,),
                                codes=(frozenset(codes),)))
    return out
