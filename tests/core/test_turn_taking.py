from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import Role, Session, Speaker, Turn
from rapport.profile.turn_taking import turn_taking


def _timed(rows: list[tuple[str, str, str, float, float]]) -> Session:
    roles: dict[str, Role] = {}
    turns = []
    for i, (name, role, text, start, end) in enumerate(rows):
        roles.setdefault(name, Role(role))
        from rapport.domain import is_backchannel

        turns.append(Turn(index=i, speaker=name, role=Role(role), text=text, start=start,
                          end=end, backchannel=is_backchannel(text)))
    return Session(id="t", speakers=tuple(Speaker(name=n, role=r) for n, r in roles.items()),
                   turns=tuple(turns))


def test_word_and_time_shares() -> None:
    s = _timed([("T", "therapist", "How has the week been for you?", 0.0, 3.0),
                ("C", "client", "Hard. Work has been a lot and I am so tired.", 3.5, 9.5),
                ("T", "therapist", "Mm-hmm.", 9.5, 10.0),
                ("T", "therapist", "Tired from work.", 10.5, 12.0)])
    r = turn_taking(s)
    t, c = r.speakers
    assert (t.words, c.words) == (11, 11)
    assert r.role_word_share == {"therapist": 0.5, "client": 0.5}
    assert t.backchannels == 1
    assert t.turns == 2
    assert r.role_time_share is not None
    assert math.isclose(r.role_time_share["client"], 6.0 / 11.0)
    latency = {lat.direction: lat for lat in r.latency}
    assert latency["therapist->client"].median_s == pytest.approx(0.5)
    # the back-channel does not take the floor: C -> T latency is measured to turn 3
    assert latency["client->therapist"].median_s == pytest.approx(1.0)


def test_overlap_counts_as_negative_latency() -> None:
    s = _timed([("T", "therapist", "So what I was wondering", 0.0, 4.0),
                ("C", "client", "No, listen, that is not it at all", 3.7, 6.0)])
    lat = turn_taking(s).latency[0]
    assert lat.overlaps == 1
    assert lat.median_s == pytest.approx(-0.3)


def test_no_times_means_no_latency() -> None:
    s = Session.build("x", [("T", "therapist", "Hi"), ("C", "client", "Hello")])
    r = turn_taking(s)
    assert r.latency == []
    assert r.role_time_share is None
    assert r.speakers[0].time_share is None


def test_empty_session_is_defined() -> None:
    r = turn_taking(Session(id="e", speakers=(), turns=()))
    assert r.total_turns == 0
    assert r.speakers == []


texts = st.text(alphabet=st.characters(categories=["L", "Zs"]), max_size=40)


@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), texts), min_size=1, max_size=30))
def test_shares_sum_to_one_and_relabelling_permutes(rows: list[tuple[str, str]]) -> None:
    role = {"A": "therapist", "B": "client", "C": "client"}
    s = Session.build("p", [(n, role[n], t) for n, t in rows])
    r = turn_taking(s)
    total = sum(sp.word_share for sp in r.speakers)
    assert r.total_words == 0 or math.isclose(total, 1.0)
    assert all(0 <= sp.word_share <= 1 for sp in r.speakers)
    renamed = Session.build("p", [({"A": "X", "B": "Y", "C": "Z"}[n], role[n], t)
                                  for n, t in rows])
    r2 = turn_taking(renamed)
    assert [sp.word_share for sp in r.speakers] == [sp.word_share for sp in r2.speakers]
    assert r.role_word_share == r2.role_word_share
