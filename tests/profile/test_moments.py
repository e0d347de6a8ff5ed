"""Moments to revisit: evidence, codes, concrete suggestions, limits."""

from __future__ import annotations

from profile_sessions import ADVICE, NEUTRAL, Q_OPEN, R_COMPLEX, coded, missed, repaired

from rapport.domain import CodedSession
from rapport.profile.models import RevisitMoment
from rapport.profile.moments import (
    MAX_MOMENTS,
    MAX_PER_KIND,
    MIN_MEASURED,
    MOMENT_BAR,
    below_bar,
    measured_precision,
    moments_to_revisit,
)
from rapport.profile.profile import build_profile
from rapport.profile.ruptures import detect_ruptures
from rapport.profile.section import precision_text
from rapport.profile.view import SessionView


def ungated(session: CodedSession) -> list[RevisitMoment]:
    """Every kind of moment, including kinds measured below the bar on real sessions."""
    v = SessionView(session)
    return moments_to_revisit(v, detect_ruptures(v), gate=False)


def test_missed_feeling_gets_a_concrete_suggestion() -> None:
    rows = [("client", "I feel so angry at him, I can barely sleep.",
             {"client_talk": "neutral", "emotional_disclosure": True}),
            ("therapist", "How many hours do you sleep?", Q_OPEN)]
    (m,) = ungated(coded(rows))
    assert m.kind == "missed_feeling"
    assert m.direction == "improve"
    assert m.turn_index == 1
    assert m.suggestion.startswith("Reflect the feeling before asking the next question")
    assert "angry" in m.suggestion
    assert [e.turn_index for e in m.excerpt] == [0, 1]
    assert "turn 1: open question (90% sure)" in m.coded


def test_reflected_feeling_is_not_a_missed_moment() -> None:
    rows = [("client", "I feel so angry at him.", {"emotional_disclosure": True}),
            ("therapist", "You're furious with him.", R_COMPLEX)]
    kinds = [m.kind for m in build_profile(coded(rows)).moments]
    assert "missed_feeling" not in kinds
    assert kinds == ["empathic_reflection"]


def test_repaired_and_unrepaired_ruptures_are_moments() -> None:
    good = build_profile(repaired()).moments
    assert {m.kind for m in good} >= {"repaired_rupture", "empathic_reflection"}
    assert "unrepaired_rupture" not in {m.kind for m in good}
    bad = build_profile(missed()).moments
    (unrepaired,) = [m for m in bad if m.kind == "unrepaired_rupture"]
    assert unrepaired.turn_index == 3
    assert unrepaired.title.endswith("(the advice continued)")
    assert "before any more advice" in unrepaired.suggestion
    (kept,) = [m for m in good if m.kind == "repaired_rupture"]
    assert "validate the objection" in kept.suggestion
    assert "persuade" in {m.kind for m in bad}


def test_limits_and_order() -> None:
    rows = []
    for _ in range(6):
        rows += [("client", "I feel hopeless about it.", {"emotional_disclosure": True}),
                 ("therapist", "Do this.", ADVICE), ("client", "Ok.", NEUTRAL),
                 ("therapist", "You feel hopeless and stuck.", R_COMPLEX)]
    moments = build_profile(coded(rows)).moments
    assert len(moments) <= MAX_MOMENTS
    kinds = [m.kind for m in moments]
    assert all(kinds.count(k) <= MAX_PER_KIND for k in kinds)
    assert [m.turn_index for m in moments] == sorted(m.turn_index for m in moments)


def test_kinds_below_the_bar_on_real_sessions_are_left_out() -> None:
    rows = [("client", "I feel so angry at him, I can barely sleep.",
             {"client_talk": "neutral", "emotional_disclosure": True}),
            ("therapist", "How many hours do you sleep?", Q_OPEN)]
    # missed feelings were right about 3 times in 10 on real sessions (moment_precision.json)
    assert below_bar("missed_feeling")
    assert measured_precision()["missed_feeling"]["precision"] < MOMENT_BAR
    assert build_profile(coded(rows)).moments == []
    assert not below_bar("risk_not_followed_up")  # safety flags are always shown


def test_moments_say_how_often_their_kind_was_right() -> None:
    good = build_profile(repaired()).moments
    (praise,) = [m for m in good if m.kind == "empathic_reflection"][:1]
    assert praise.direction == "keep"
    measured = measured_precision()["empathic_reflection"]
    assert praise.precision == measured["precision"]
    assert praise.precision_basis == measured["basis"]
    assert precision_text(praise).startswith(
        f"the codes behind it were right about {round(measured['precision'] * 10)} times "
        "in 10 on real sessions")
    (advice,) = [m for m in build_profile(missed()).moments if m.kind == "persuade"][:1]
    assert advice.direction == "improve"
    # a kind measured on fewer than MIN_MEASURED moments shows no precision ("right 1 time
    # in 1" claims too much); persuade is one since issue 22's stricter feedback thresholds
    found = measured_precision()["persuade"]
    assert advice.precision == (found["precision"] if found["n"] >= MIN_MEASURED else None)


def test_a_reflection_that_also_tells_is_never_praised() -> None:
    rows = [("client", "I feel so hopeless about my drinking.", {"emotional_disclosure": True}),
            ("therapist", "You feel hopeless, so you should stop drinking tonight.",
             {**R_COMPLEX, "persuade": (False, 0.7)})]  # P(persuade) 0.3: not safe to praise
    assert "empathic_reflection" not in {m.kind for m in build_profile(coded(rows)).moments}
    rows[1] = (rows[1][0], "You feel hopeless about it.", {**R_COMPLEX, "persuade": (False, 0.95)})
    assert "empathic_reflection" in {m.kind for m in build_profile(coded(rows)).moments}


def test_unasked_advice_is_an_improvement_and_never_praised() -> None:
    from profile_sessions import NEUTRAL

    advice = {"therapist_behaviour": "input", "persuade": (False, 0.9)}
    rows = [("client", "My sister keeps criticising me and I feel furious.", NEUTRAL),
            ("therapist", "What you need to do is set a clear boundary with her.", advice),
            ("client", "Maybe.", NEUTRAL),
            # the utterance coder calls it a reflection; its wording still gives advice
            ("therapist", "Another thing that helps is a time-out when you feel furious.",
             {**R_COMPLEX, "persuade": (False, 0.95)}),
            ("client", "I guess.", NEUTRAL),
            ("therapist", ("Would it be okay if I shared what has helped others? You could "
             "try a time-out."), advice)]
    moments = build_profile(coded(rows)).moments
    (m,) = [m for m in moments if m.kind == "unasked_advice"]  # turn 5 asked permission
    assert (m.turn_index, m.direction) == (1, "improve")
    assert m.excerpt[0].note == "advice wording: “you need to”"
    assert m.precision == measured_precision()["unasked_advice"]["precision"]
    assert "empathic_reflection" not in {m.kind for m in moments}


def test_a_reflection_of_feeling_names_feelings_each_once_never_the_verb() -> None:
    rows = [("client", "I just feel low all the time.", {"emotional_disclosure": True}),
            ("therapist", "You've felt down, really down, and worried it won't lift.",
             R_COMPLEX)]
    (praise,) = [m for m in build_profile(coded(rows)).moments
                 if m.kind == "empathic_reflection"]
    note = praise.excerpt[-1].note
    assert note == "reflection of feeling: down, worried"


def test_coded_lines_read_empathy_scores_as_the_transcript_does() -> None:
    # the moments' "Coded:" lines used to print raw names ("empathy_er 0")
    from rapport.pipeline.words import code_words
    from rapport.profile.view import SessionView

    rows = [("client", "I feel so angry at him.", {"emotional_disclosure": True}),
            ("therapist", "How many hours do you sleep?",
             {**Q_OPEN, "empathy_er": "0", "empathy": "1"})]
    lines = SessionView(coded(rows)).coded_summary(1)
    assert "turn 1: emotional reactions (empathy) 0 of 2 (90% sure)" in lines
    assert "turn 1: empathy 1 of 6 (90% sure)" in lines
    assert not any("empathy_er" in line for line in lines)
    assert code_words("empathy_er", "0") == "emotional reactions (empathy) 0 of 2"


def test_a_suggestion_moment_does_not_show_an_input_guess_that_reads_against_it() -> None:
    # rupture_repair.txt turn 2 ("What you need to do is set a clear boundary…") was shown
    # under "A suggestion offered without asking first" as "giving information (79% sure)"
    told = "Okay. What you need to do is set a clear boundary with her."
    rows = [("client", "My mother keeps bringing it up at dinner.", NEUTRAL),
            ("therapist", told, {"therapist_behaviour": "input", "input_type": "information"}),
            ("client", "Maybe.", NEUTRAL),
            ("therapist", "Here is what the research says about sleep and mood.",
             {"therapist_behaviour": "input", "input_type": "information"}),
            ("therapist", "You should try the options we listed.",
             {"therapist_behaviour": "input", "input_type": "options"})]
    v = SessionView(coded(rows))
    (m,) = [m for m in moments_to_revisit(v, detect_ruptures(v), gate=False)
            if m.kind == "unasked_advice" and m.turn_index == 1]
    assert "turn 1: information or advice (90% sure)" in m.coded
    assert not any("giving information" in line for line in m.coded)
    # information worded as information keeps its sub-code; advice wording keeps one that agrees
    assert "turn 3: giving information (90% sure)" in v.coded_summary(3)
    assert "turn 4: offering options (90% sure)" in v.coded_summary(4)
