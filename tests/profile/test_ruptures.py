"""Rupture episodes by the gold episode rule, on sessions with planted codes."""

from __future__ import annotations

from profile_sessions import ADVICE, NEUTRAL, Q_CLOSED, Q_OPEN, R_SIMPLE, coded, missed, repaired

from rapport.coding.relationship.feedback import MODEL_ID, feedback_thresholds
from rapport.domain import Code, CodedSession, TurnCodes
from rapport.profile.profile import build_profile
from rapport.profile.ruptures import NO_REPAIR, PRESSED_ON, strategy_of


def test_markers_that_follow_each_other_make_one_repaired_episode() -> None:
    [episode] = build_profile(repaired()).ruptures
    assert (episode.start_turn, episode.end_turn, episode.type) == (5, 11, "withdrawal")
    assert episode.rules == ["withdrawal_code"] * 3 + ["confrontation_code"]
    assert [e.turn_index for e in episode.evidence] == [5, 7, 9, 11]
    # decided after the last marker: the repair at 12 validates the objection
    assert (episode.status, episode.repair_turn) == ("repaired", 12)
    assert episode.strategy == "validate the objection"
    assert episode.significance == episode.strength == 0.9


def test_advice_after_the_client_pulls_back_is_pressing_on_not_repair() -> None:
    [episode] = build_profile(missed()).ruptures
    assert (episode.start_turn, episode.type) == (3, "confrontation")
    assert episode.status == "unrepaired"
    assert episode.repair_turn is None
    assert episode.strategy == PRESSED_ON
    assert [x.kind for x in episode.responses] == ["press_on", "press_on"]
    assert "persuade" in episode.responses[0].strategies


def test_repair_after_pressing_on_is_noted() -> None:
    rows = [("client", "This is a waste of my time.", {"confrontation": True}),
            ("therapist", "You need to do the homework.", ADVICE),
            ("therapist", "You sound fed up with how this is going.",
             {**R_SIMPLE, "repair": True})]
    [episode] = build_profile(coded(rows)).ruptures
    assert (episode.status, episode.repair_turn) == ("repaired", 2)
    assert episode.how == ["accepting reflection", "after pressing on first"]


def test_minimal_answers_without_markers_make_no_episode() -> None:
    # the old heuristics (runs of short answers, falling word counts) made ruptures that
    # were not ruptures; only coded markers start an episode now
    rows = [("therapist", "Was it hard?", Q_CLOSED), ("client", "No.", NEUTRAL),
            ("therapist", "Did it help?", Q_CLOSED), ("client", "No.", NEUTRAL),
            ("therapist", "Will you go back?", Q_CLOSED), ("client", "No.", NEUTRAL)]
    assert build_profile(coded(rows)).ruptures == []


def test_an_episode_at_the_end_is_unrepaired_with_no_responses() -> None:
    rows = [("therapist", "How was that for you?", Q_OPEN),
            ("client", "Whatever.", {"withdrawal": True})]
    [episode] = build_profile(coded(rows)).ruptures
    assert (episode.status, episode.strategy, episode.responses) == ("unrepaired", NO_REPAIR,
                                                                     [])


def _with_source(session: CodedSession, source: str, confidence: float) -> CodedSession:
    codes = tuple(TurnCodes(session_id=tc.session_id, turn_index=tc.turn_index, codes=tuple(
        Code(name=c.name, value=c.value, confidence=confidence, source=source)
        for c in tc.codes)) for tc in session.codes)
    return CodedSession(session=session.session, codes=codes)


def test_coder_markers_count_only_at_their_feedback_threshold() -> None:
    cuts = feedback_thresholds()
    session = missed()
    # the shipped coder's confrontation markers: an episode only if its feedback
    # threshold exists and the confidence reaches it
    sure = build_profile(_with_source(session, MODEL_ID, 0.99)).ruptures
    assert bool(sure) == (cuts["confrontation"] is not None)
    assert build_profile(_with_source(session, MODEL_ID, 0.01)).ruptures == []
    # an earlier coder was never measured on real talk: its markers never count
    assert build_profile(_with_source(session, "relationship@1.0", 0.99)).ruptures == []
    # a person's codes count as they are
    assert build_profile(_with_source(session, "human", 0.5)).ruptures


def test_calm_session_and_backchannels_give_no_rupture() -> None:
    rows = [("therapist", "Let me explain how the programme works.",
             {"therapist_behaviour": "input"}),
            ("client", "Mm-hmm.", NEUTRAL),
            ("therapist", "There are six weekly meetings.", {"therapist_behaviour": "input"}),
            ("client", "Okay.", NEUTRAL),
            ("therapist", "What questions do you have?", Q_OPEN),
            ("client", "When do we start, and can my partner come along to the first one?",
             NEUTRAL)]
    assert build_profile(coded(rows)).ruptures == []


def test_repair_wording_names_its_strategy() -> None:
    assert strategy_of("I'm sorry, I got ahead of myself there.") == "own one's part"
    assert strategy_of("What do you mean when you say it's pointless?") == "clarify"
    assert strategy_of("How is this landing for you?") == "invite discussion"
    assert strategy_of("Fair enough, that's a reasonable objection.") == \
        "validate the objection"
    assert strategy_of("The reason I asked is that sleep affects mood.") == "rationale"
    assert strategy_of("Let's leave that for now. What would you like to talk about?") == \
        "change task"
    assert strategy_of("That sounds like what happens with your sister too.") == \
        "link to patterns"
    assert strategy_of("You're worn out by all this.") == "accepting reflection"


def test_planted_markers_are_measured_and_a_session_without_markers_is_not() -> None:
    # markers from a person (or any source that may drive feedback) make the count real
    assert build_profile(repaired()).ruptures_measured is True
    plain = build_profile(coded([("therapist", "How are you?", Q_OPEN),
                                 ("client", "Fine.", NEUTRAL)]))
    assert plain.ruptures_measured is False and plain.ruptures == []
    assert plain.flat_metrics()["profile.ruptures"] is None
    assert build_profile(repaired()).flat_metrics()["profile.ruptures"] == 1.0
