"""Timing from timestamped transcripts: hand-built cases with exact answers, planted FTOs."""

from __future__ import annotations

import itertools
import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import Role, Session, Speaker, Turn
from rapport.nonverbal.synthetic import SpeechSpec, harmonic_dialogue
from rapport.nonverbal.timing import timing

ROLE = {"T": Role.THERAPIST, "C": Role.CLIENT}


def _session(rows: list[tuple[str, float, float, str]]) -> Session:
    return Session(
        id="timing", speakers=(Speaker(name="T", role=Role.THERAPIST),
                               Speaker(name="C", role=Role.CLIENT)),
        turns=tuple(Turn(index=i, speaker=s, role=ROLE[s], text=text, start=a, end=b,
                         backchannel=text == "Mm-hmm.")
                    for i, (s, a, b, text) in enumerate(rows)))


def test_hand_built_gap_overlap_backchannel_and_monologue() -> None:
    rows = [
        ("T", 0.0, 4.0, "How did it go with your sister?"),
        ("C", 4.5, 10.0, "Not great, we argued again about the holidays."),   # gap 0.5
        ("T", 9.7, 15.0, "So the holidays became the sore point again."),     # overlap 0.3
        ("C", 15.2, 60.2, "Yes, and honestly it goes back years..."),        # 45 s monologue
        ("T", 30.0, 30.4, "Mm-hmm."),                                        # back-channel
        ("C", 60.6, 62.0, "Anyway, that is where things are."),              # pause 0.4
    ]
    res = timing(_session(rows))
    assert res is not None
    assert res.floor_turns == 4  # the back-channel does not split the client's turn
    fto = {f.direction: f for f in res.fto}
    assert fto["therapist->client"].n == 2
    assert fto["therapist->client"].median_s == pytest.approx(0.35)  # 0.5 and 0.2
    assert fto["client->therapist"].median_s == pytest.approx(-0.3)
    assert res.gaps == 2 and res.overlaps == 1
    inter = {i.role: i for i in res.interruptions}
    assert inter["therapist"].interruptions == 1  # kept talking after the client stopped
    assert inter["therapist"].per_10_min == pytest.approx(600 / 62.0)
    assert res.pauses == 1 and res.pause_mean_s == pytest.approx(0.4)
    # overlap: 9.7-10.0 and the back-channel 30.0-30.4 -> 0.7 s of 62 s
    assert res.overlap_share == pytest.approx(0.7 / 62.0)
    assert res.silence_share == pytest.approx((0.5 + 0.2 + 0.4) / 62.0)


def test_short_overlap_where_the_speaker_keeps_the_floor_is_not_an_interruption() -> None:
    rows = [("T", 0.0, 5.0, "Tell me more about that."),
            ("C", 4.5, 4.9, "I was going to."),         # starts early, stops before T ends
            ("T", 5.5, 8.0, "Go ahead, please.")]
    res = timing(_session(rows))
    assert res is not None
    inter = {i.role: i for i in res.interruptions}
    assert inter["client"].interruptions == 0 and inter["client"].non_competitive_overlaps == 1


def test_untimed_or_single_speaker_transcripts_give_nothing() -> None:
    assert timing(Session.build("x", [("T", "therapist", "Hello."),
                                      ("C", "client", "Hi.")])) is None
    assert timing(_session([("T", 0.0, 1.0, "Hello there.")])) is None


def test_planted_floor_transfer_offsets_are_reproduced_exactly() -> None:
    _, turns = harmonic_dialogue(SpeechSpec(turns=30, sr=4000, seed=3))
    names = {"Therapist": "T", "Client": "C"}
    res = timing(_session([(names[t.speaker], t.start, t.end, "planted words")
                           for t in turns]))
    assert res is not None
    planted = [b.start - a.end for a, b in itertools.pairwise(turns)]
    measured = {f.direction: f for f in res.fto}
    assert sum(f.n for f in res.fto) == len(planted)
    assert measured["therapist->client"].median_s == pytest.approx(
        statistics.median(planted[0::2]))
    assert measured["client->therapist"].mean_s == pytest.approx(statistics.fmean(planted[1::2]))
    assert res.overlaps == sum(p < 0 for p in planted)


@given(st.lists(st.tuples(st.sampled_from("TC"), st.floats(0.0, 3.0), st.floats(0.1, 5.0)),
                min_size=2, max_size=30))
def test_counts_add_up_for_any_alternation(steps: list[tuple[str, float, float]]) -> None:
    rows, t = [], 0.0
    for speaker, gap, dur in steps:
        rows.append((speaker, t + gap, t + gap + dur, "words here"))
        t += gap + dur
    res = timing(_session(rows))
    changes = sum(a[0] != b[0] for a, b in itertools.pairwise(rows))
    if res is None:
        assert changes == 0
        return
    assert sum(f.n for f in res.fto) == changes
    assert res.gaps + res.overlaps <= changes
    assert 0 <= res.silence_share <= 1 and 0 <= res.overlap_share <= 1
