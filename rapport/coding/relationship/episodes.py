"""Rupture episodes from turn codes, by the real-talk gold's episode rule.

An episode **starts** at a client turn coded ``withdrawal`` or ``confrontation``; a marker
within the next :data:`JOIN_CLIENT_TURNS` client turns after the episode's last marker
**joins** it; the episode is **repaired** when a therapist turn coded ``repair`` falls within
the :data:`REPAIR_THERAPIST_TURNS` therapist turns after its last marker. One turn belongs to
one episode (``docs/codebook.md``). The same rule derives gold episodes from gold codes and
predicted episodes from the coder's, so the two are scored alike.

>>> roles = ["therapist", "client", "therapist", "client", "therapist"]
>>> [(e.start, e.end, e.repair_turn) for e in find_episodes(roles, {1: "withdrawal"}, {4})]
[(1, 1, 4)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

JOIN_CLIENT_TURNS = 2
REPAIR_THERAPIST_TURNS = 3
MATCH_SLACK = 1


@dataclass(frozen=True)
class Episode:
    """Turn numbers of one episode: first and last marker, all markers, the repair."""

    start: int
    end: int
    type: str
    markers: tuple[int, ...]
    repair_turn: int | None

    @property
    def repaired(self) -> bool:
        return self.repair_turn is not None


def _close(roles: Sequence[str], markers: list[int], kinds: Mapping[int, str],
           repairs: set[int]) -> Episode:
    last = markers[-1]
    repair = None
    seen = 0
    for j in range(last + 1, len(roles)):
        if roles[j] != "therapist":
            continue
        seen += 1
        if j in repairs:
            repair = j
            break
        if seen == REPAIR_THERAPIST_TURNS:
            break
    return Episode(start=markers[0], end=last, type=kinds[markers[0]],
                   markers=tuple(markers), repair_turn=repair)


def find_episodes(roles: Sequence[str], markers: Mapping[int, str], repairs: set[int]
                  ) -> list[Episode]:
    """Episodes of one session: ``markers`` maps client turns to their marker type."""
    out: list[Episode] = []
    current: list[int] = []
    clients_since = 0
    for i, role in enumerate(roles):
        if role != "client":
            continue
        if i in markers:
            # the marker is one of the next JOIN_CLIENT_TURNS client turns: it joins
            if current and clients_since < JOIN_CLIENT_TURNS:
                current.append(i)
            else:
                if current:
                    out.append(_close(roles, current, markers, repairs))
                current = [i]
            clients_since = 0
        elif current:
            clients_since += 1
    if current:
        out.append(_close(roles, current, markers, repairs))
    return out


def match_episodes(predicted: Sequence[Episode], gold: Sequence[Episode]
                   ) -> list[tuple[Episode, Episode]]:
    """Pairs (predicted, gold): the predicted start lies in the gold turns, +-1 turn.

    Each gold episode pairs with at most one predicted episode (the earliest).
    """
    pairs = []
    taken: set[int] = set()
    for p in predicted:
        for n, g in enumerate(gold):
            if n not in taken and g.start - MATCH_SLACK <= p.start <= g.end + MATCH_SLACK:
                pairs.append((p, g))
                taken.add(n)
                break
    return pairs
