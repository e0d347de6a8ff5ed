"""Rupture rules and repair outcomes on sessions with planted ruptures and repairs."""

from __future__ import annotations

from profile_sessions import ADVICE, NEUTRAL, Q_CLOSED, Q_OPEN, R_SIMPLE, coded, missed, repaired

from rapport.profile.profile import build_profile


def test_planted_withdrawal_and_confrontation_are_repaired() -> None:
    ruptures = build_profile(repaired()).ruptures
    assert [(r.start_turn, r.end_turn, r.type) for r in ruptures] == [
        (5, 9, "withdrawal"), (11, 11, "confrontation")]
    withdrawal, confrontation = ruptures
    assert withdrawal.rules == ["minimal_answers"]
    assert withdrawal.status == "repaired"
    assert withdrawal.repair_turn == 10
    assert withdrawal.how == ["metacommunication"]
    assert [e.turn_index for e in withdrawal.evidence] == [5, 7, 9]
    assert confrontation.rules == ["confrontation_code"]
    assert confrontation.strength == 0.9
    assert confrontation.status == "repaired"
    assert confrontation.repair_turn == 12
    assert confrontation.how == ["validation"]


def test_sustain_after_advice_pressed_on_is_missed() -> None:
    (r,) = build_profile(missed()).ruptures
    assert (r.start_turn, r.type, r.rules) == (3, "confrontation", ["sustain_after_advice"])
    assert r.status == "missed"
    assert r.repair_turn is None
    assert [x.kind for x in r.responses] == ["press_on", "press_on"]
    assert "advice_without_permission" in r.responses[0].strategies
    assert [e.turn_index for e in r.evidence] == [2, 3]


def test_repair_after_pressing_on_is_noted() -> None:
    rows = [("client", "This is a waste of my time.", {"confrontation": True}),
            ("therapist", "You need to do the homework.", ADVICE),
            ("therapist", "You sound fed up with how this is going.", R_SIMPLE)]
    (r,) = build_profile(coded(rows)).ruptures
    assert r.status == "repaired"
    assert r.repair_turn == 2
    assert r.how == ["reflection", "after pressing on first"]


def test_sudden_drop_in_client_words() -> None:
    long = "I keep thinking about the argument we had and what I should have said instead"
    rows = []
    for _ in range(4):
        rows += [("therapist", "And then?", Q_OPEN), ("client", long, NEUTRAL)]
    rows += [("therapist", "Tell me about your mother.", {"therapist_behaviour": "input"}),
             ("client", "She is fine I suppose.", NEUTRAL),
             ("therapist", "Mm, go on with that.", {"therapist_behaviour": "input"}),
             ("client", "Not much to say.", NEUTRAL),
             ("therapist", "Right, and your father.", {"therapist_behaviour": "input"}),
             ("client", "Same really.", NEUTRAL)]
    (r,) = build_profile(coded(rows)).ruptures
    assert r.rules == ["words_drop"]
    assert r.type == "withdrawal"
    assert r.start_turn == 9
    assert 0.7 < r.strength <= 1
    assert r.status == "unclear"


def test_calm_session_and_backchannels_give_no_rupture() -> None:
    rows = [("therapist", "Let me explain how the programme works.",
             {"therapist_behaviour": "input"}),
            ("client", "Mm-hmm.", NEUTRAL),
            ("therapist", "There are six weekly meetings.", {"therapist_behaviour": "input"}),
            ("client", "Okay.", NEUTRAL),
            ("therapist", "Each one lasts an hour.", {"therapist_behaviour": "input"}),
            ("client", "Right.", NEUTRAL),
            ("therapist", "What questions do you have?", Q_OPEN),
            ("client", "When do we start, and can my partner come along to the first one?",
             NEUTRAL)]
    assert build_profile(coded(rows)).ruptures == []


def test_rupture_at_the_end_is_unclear() -> None:
    rows = [("therapist", "Was it hard?", Q_CLOSED), ("client", "No.", NEUTRAL),
            ("therapist", "Did it help?", Q_CLOSED), ("client", "No.", NEUTRAL),
            ("therapist", "Will you go back?", Q_CLOSED), ("client", "No.", NEUTRAL)]
    (r,) = build_profile(coded(rows)).ruptures
    assert r.status == "unclear"
    assert r.responses == []


def test_uncoded_questions_fall_back_to_question_marks() -> None:
    rows = [("therapist", "Was it hard?", {}), ("client", "Not really.", {}),
            ("therapist", "Did it help?", {}), ("client", "No.", {}),
            ("therapist", "Will you go back?", {}), ("client", "Probably not.", {}),
            ("therapist", "I'm wondering how these questions are landing for you.",
             {"metacommunication": True})]
    (r,) = build_profile(coded(rows)).ruptures
    assert r.status == "repaired"
    assert r.how == ["metacommunication"]
