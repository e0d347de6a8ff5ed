"""The rupture episode rule (docs/codebook.md): start, join, repair, one turn one episode."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.relationship.episodes import (
    JOIN_CLIENT_TURNS,
    REPAIR_THERAPIST_TURNS,
    Episode,
    find_episodes,
    match_episodes,
)


@st.composite
def sessions(draw: st.DrawFn) -> tuple[list[str], dict[int, str], set[int]]:
    roles = draw(st.lists(st.sampled_from(["therapist", "client", "other"]), max_size=30))
    clients = [i for i, r in enumerate(roles) if r == "client"]
    therapists = [i for i, r in enumerate(roles) if r == "therapist"]
    marked = draw(st.lists(st.sampled_from(clients), unique=True)) if clients else []
    markers = {i: draw(st.sampled_from(["withdrawal", "confrontation"])) for i in marked}
    repairs = set(draw(st.lists(st.sampled_from(therapists), unique=True))) \
        if therapists else set()
    return roles, markers, repairs


@given(sessions())
def test_every_marker_is_in_exactly_one_episode(
        case: tuple[list[str], dict[int, str], set[int]]) -> None:
    roles, markers, repairs = case
    episodes = find_episodes(roles, markers, repairs)
    assert sorted(m for e in episodes for m in e.markers) == sorted(markers)
    for before, after in itertools.pairwise(episodes):
        assert before.end < after.start
        # a new episode only when the gap is too long to join
        between = [i for i in range(before.end + 1, after.start) if roles[i] == "client"]
        assert len(between) >= JOIN_CLIENT_TURNS
    for e in episodes:
        assert e.type == markers[e.start]
        for a, b in zip(e.markers, e.markers[1:], strict=False):
            assert sum(roles[i] == "client" for i in range(a + 1, b)) < JOIN_CLIENT_TURNS


@given(sessions())
def test_repaired_only_by_a_repair_in_the_next_three_therapist_turns(
        case: tuple[list[str], dict[int, str], set[int]]) -> None:
    roles, markers, repairs = case
    for e in find_episodes(roles, markers, repairs):
        window = [i for i in range(e.end + 1, len(roles))
                  if roles[i] == "therapist"][:REPAIR_THERAPIST_TURNS]
        expected = next((i for i in window if i in repairs), None)
        assert e.repair_turn == expected


def test_advice_after_pulling_back_is_not_repair_and_the_window_is_three_turns() -> None:
    roles = ["therapist", "client"] * 6
    # client pulls back at 3 and 5; therapist turns 4, 6, 8 carry no repair code
    [episode] = find_episodes(roles, {3: "withdrawal", 5: "withdrawal"}, set())
    assert (episode.start, episode.end, episode.repaired) == (3, 5, False)
    # after a marker at 3 the window is therapist turns 4, 6 and 8, not 10
    assert find_episodes(roles, {3: "withdrawal"}, {8})[0].repair_turn == 8
    assert find_episodes(roles, {3: "withdrawal"}, {10})[0].repair_turn is None
    # a marker three client turns later starts a new episode
    assert len(find_episodes(roles, {3: "withdrawal", 9: "confrontation"}, set())) == 2


def test_matching_allows_one_turn_either_side() -> None:
    gold = [Episode(10, 14, "withdrawal", (10, 12, 14), None)]
    assert match_episodes([Episode(9, 9, "withdrawal", (9,), None)], gold)
    assert match_episodes([Episode(15, 15, "confrontation", (15,), None)], gold)
    assert not match_episodes([Episode(16, 16, "withdrawal", (16,), None)], gold)
    # one gold episode pairs with one prediction
    two = [Episode(10, 10, "withdrawal", (10,), None), Episode(12, 12, "withdrawal", (12,),
                                                                  None)]
    assert len(match_episodes(two, gold)) == 1
