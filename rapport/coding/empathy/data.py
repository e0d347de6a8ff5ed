"""The real-talk gold's empathy layer as rated dialogues, split by transcript.

Every transcript of ``data/realtalk/gold.jsonl`` becomes a :class:`RatedSession`: its
dialogue (grouped by source video, so two transcripts of one video never sit on both
sides of a split), the ratings of each coding pass (A, and B where double-coded) and the
gold (the adjudicated mean of A and B, else A). The model learns from the passes, each
pass of a double-coded transcript weighing half, so a turn counts once and the two
raters' disagreements stay visible; it is scored against the gold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.realtalk import REALTALK, GoldSession, evaluation_sessions
from rapport.errors import RapportInputError

GOLD_FILE = REALTALK / "gold.jsonl"
#: ``(er, ip, ex)`` of one therapist turn.
Rating = tuple[float, float, float]


@dataclass(frozen=True)
class RatedSession:
    """One transcript: its dialogue, each pass's ratings and the gold, by turn position."""

    key: str
    dialogue: Dialogue
    passes: tuple[Mapping[int, Rating], ...]
    gold: Mapping[int, Rating]

    @property
    def double_coded(self) -> bool:
        return len(self.passes) > 1

    def rated_turns(self) -> list[int]:
        """Positions of the therapist turns the gold rates, in order."""
        return sorted(self.gold)


def _ratings(session: GoldSession, position: Mapping[int, int]) -> dict[int, Rating]:
    """``position in the dialogue -> rating`` (passes are matched by AnnoMI turn id)."""
    return {position[t.turn]: t.empathy for t in session.turns if t.empathy is not None}


def rated_sessions(gold: Path = GOLD_FILE) -> dict[str, RatedSession]:
    """Every transcript of ``gold`` with its passes, keyed ``annomi-<id>``."""
    from rapport.coding.relationship.realtalk import load_gold

    if not gold.is_file():
        raise RapportInputError("gold file not found", where=str(gold),
                                fix="pass --gold data/realtalk/gold.jsonl from a source "
                                    "checkout")
    best = load_gold(gold, passes=("adjudicated", "A"))
    by_pass = {name: load_gold(gold, passes=(name,)) for name in ("A", "B")}
    out = {}
    for key, session in best.items():
        roles = tuple("therapist" if t.speaker == "T" else "client" for t in session.turns)
        dialogue = Dialogue(group=f"video:{session.video}", roles=roles,
                            texts=tuple(t.text for t in session.turns))
        position = {t.turn: i for i, t in enumerate(session.turns)}
        passes = tuple(_ratings(by_pass[p][key], position) for p in ("A", "B")
                       if key in by_pass[p])
        if not passes:
            continue
        out[key] = RatedSession(key=key, dialogue=dialogue, passes=passes,
                                gold=_ratings(session, position))
    return out


def split(sessions: Mapping[str, RatedSession]
          ) -> tuple[list[RatedSession], list[RatedSession]]:
    """(training, frozen evaluation) transcripts, each in a fixed order.

    Training is every transcript outside ``plan.json``'s ``split.evaluation``: the 86
    development transcripts (double-coded, 44 of them since their second round).
    """
    held = evaluation_sessions()
    train = [sessions[k] for k in sorted(sessions) if k not in held]
    frozen = [sessions[k] for k in sorted(sessions) if k in held]
    return train, frozen
