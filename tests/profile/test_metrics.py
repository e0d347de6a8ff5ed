"""Each profile metric on small planted sessions: value, n, evidence, reference band."""

from __future__ import annotations

import dataclasses

import pytest
from profile_sessions import ADVICE, NEUTRAL, Q_CLOSED, Q_OPEN, R_COMPLEX, R_SIMPLE, coded

from rapport.profile.profile import build_profile


def test_reflection_to_question_ratio_band_and_evidence() -> None:
    rows = [("therapist", "Tell me more?", Q_OPEN), ("client", "Sure.", NEUTRAL),
            ("therapist", "You are tired.", R_SIMPLE), ("client", "Yes.", NEUTRAL),
            ("therapist", "It weighs on you.", R_COMPLEX), ("client", "Yes.", NEUTRAL),
            ("therapist", "Is it daily?", Q_CLOSED), ("client", "No.", NEUTRAL),
            ("therapist", "You want change.", R_COMPLEX), ("client", "I do.", NEUTRAL),
            ("therapist", "And fear it.", R_COMPLEX)]
    p = build_profile(coded(rows))
    rq = p.metric("reflection_to_question")
    assert rq.value == pytest.approx(2.0)
    assert rq.n == 6
    assert rq.band == "too_few"  # a band needs at least 10 units behind it
    assert [e.turn_index for e in rq.evidence] == [2, 4, 8, 10]
    cr = p.metric("complex_reflection_share")
    assert cr.value == pytest.approx(0.75)
    assert cr.band == "too_few"
    # the same session three times over: enough reflections and questions to judge
    p = build_profile(coded(rows * 3))
    assert (p.metric("reflection_to_question").n, p.metric("reflection_to_question").band) \
        == (18, "good")
    assert (p.metric("complex_reflection_share").n, p.metric("complex_reflection_share").band) \
        == (12, "good")
    oq = p.metric("open_question_share")
    assert (oq.value, oq.n, oq.band) == (pytest.approx(0.5), 6, "too_few")


def test_ratio_below_fair_and_no_questions() -> None:
    rows = [("therapist", f"Question {k}?", Q_OPEN) for k in range(8)]
    p = build_profile(coded([*rows, ("therapist", "You see.", R_SIMPLE),
                             ("therapist", "You know.", R_SIMPLE)]))
    assert p.metric("reflection_to_question").band == "below fair"
    only_refl = build_profile(coded([("therapist", "You see.", R_SIMPLE)]))
    m = only_refl.metric("reflection_to_question")
    assert m.value == 1.0
    assert "no questions" in m.reason


def test_missing_families_are_reported_not_invented() -> None:
    p = build_profile(coded([("therapist", "How are you?", {}),
                             ("client", "I feel sad and alone since the move.", {})]))
    for key in ("reflection_to_question", "complex_reflection_share", "open_question_share",
                "validation_rate", "autonomy_support", "change_talk_share",
                "follow_up_rate", "empathy"):
        m = p.metric(key)
        assert not m.available, key
        assert m.value is None
        assert m.reason
    assert p.metric("therapist_word_share").available
    assert p.notes and "not available" in p.notes[0]


def test_subset_of_families() -> None:
    p = build_profile(coded([("therapist", "How are you?", {"therapist_behaviour": "question"}),
                             ("client", "Fine.", {})]))
    assert p.metric("reflection_to_question").available
    assert not p.metric("complex_reflection_share").available
    assert p.metric("complex_reflection_share").reason == "no reflection_type codes"


def test_follow_up_rate_counts_reflection_or_validation() -> None:
    d = {"emotional_disclosure": True}
    rows = [("client", "I am scared of losing the job.", d),
            ("therapist", "You're scared.", R_SIMPLE),
            ("client", "And ashamed I let it get this far.", d),
            ("therapist", "That took courage to say.", {"therapist_behaviour": "other",
                                                         "affirm": True}),
            ("client", "I cried all weekend.", d),
            ("therapist", "What did you do on Monday?", Q_OPEN)]
    m = build_profile(coded(rows)).metric("follow_up_rate")
    assert m.value == pytest.approx(2 / 3)
    assert m.n == 3
    assert m.detail["not_answered"] == 1
    assert [e.turn_index for e in m.evidence] == [1, 3]
    assert m.reason == ""


def _rated(er: str, ip: str, ex: str, total: str) -> dict[str, str]:
    return {"empathy_er": er, "empathy_ip": ip, "empathy_ex": ex, "empathy": total}


def test_empathy_is_the_mean_rating_with_highest_and_lowest_turns() -> None:
    rows = [("client", "I feel lost.", NEUTRAL),
            ("therapist", "You feel lost and alone in this.", _rated("0.2", "1.8", "0", "2")),
            ("client", "Yes.", NEUTRAL),
            ("therapist", "Mm-hmm.", _rated("0", "0", "0", "0")),
            ("therapist", "What is that like for you?", _rated("0", "0.4", "1.4", "1.8")),
            ("therapist", "You should make a plan.", _rated("0", "0.1", "0", "0.1"))]
    m = build_profile(coded(rows)).metric("empathy")
    assert m.available and m.unit == "score"
    # every rated therapist turn counts, the back-channel too (raters rated those as well)
    assert m.n == 4
    assert m.value == pytest.approx((2 + 0 + 1.8 + 0.1) / 4)
    assert m.detail == pytest.approx({"er": 0.05, "ip": 0.575, "ex": 0.35})
    # the two highest, then the two lowest (lowest first); four turns split between the ends
    assert [e.turn_index for e in m.evidence] == [1, 4, 3, 5]
    assert m.evidence[0].note == "highest empathy: 2 of 6 (ER 0.2, IP 1.8, EX 0)"
    assert m.evidence[2].note == "lowest empathy: 0 of 6 (ER 0, IP 0, EX 0)"
    assert m.band is None  # EPITOME has no reference range to band against
    assert "not rated by a person" in m.reason


def test_empathy_ignores_values_that_are_not_numbers() -> None:
    rows = [("therapist", "Hello.", {"empathy": "n/a"}),
            ("therapist", "You sound tired.", {"empathy": "1.5"})]
    m = build_profile(coded(rows)).metric("empathy")
    assert (m.value, m.n) == (1.5, 1)
    assert m.detail == {}
    none = build_profile(coded([("therapist", "Hello.", {"empathy": "n/a"})]))
    assert not none.metric("empathy").available


def test_autonomy_transparency_change_talk() -> None:
    rows = [("therapist", "Is it okay if I share an idea?",
             Q_CLOSED | {"seek_collaboration": True}),
            ("client", "Sure.", {"client_talk": "neutral"}),
            ("therapist", "It's entirely up to you.", {"therapist_behaviour": "other",
                                                      "emphasize_autonomy": True}),
            ("client", "I want to cut down.", {"client_talk": "change"}),
            ("therapist", "Just stop.", ADVICE),
            ("client", "I could try Mondays.", {"client_talk": "change"}),
            ("therapist", "The reason I ask is to plan the week.",
             {"therapist_behaviour": "other"}),
            ("client", "I like my beer though.", {"client_talk": "sustain"}),
            ("client", "And it helps me sleep.", {"client_talk": "change"})]
    p = build_profile(coded(rows))
    auto = p.metric("autonomy_support")
    assert auto.detail == {"supportive": 2, "directive": 1}
    assert auto.value == pytest.approx(2 / 3)
    tr = p.metric("transparency_rate")
    assert tr.value == pytest.approx(2 / 4)
    assert {e.turn_index for e in tr.evidence} == {0, 6}
    ct = p.metric("change_talk_share")
    assert ct.value == pytest.approx(3 / 4)


def test_disclosure_by_thirds_and_boundaries() -> None:
    rows = [("client", "I feel so ashamed about all of it.", {}),
            ("therapist", "Go on.", {}),
            ("client", "Nothing else.", {}),
            ("therapist", "Okay.", {}),
            ("client", "Could I get your personal number for the weekend?", {}),
            ("therapist", "I had the same thing with my own divorce.", {"self_disclosure": True})]
    p = build_profile(coded(rows))
    d = p.metric("emotional_disclosure")
    assert d.value == pytest.approx(1 / 3)
    assert d.detail == {"first_third": 1.0, "middle_third": 0.0, "last_third": 0.0}
    assert "approximated" in d.reason
    b = p.metric("boundary_moments")
    assert b.value == 2
    notes = {e.turn_index: e.note for e in b.evidence}
    assert "contact outside sessions" in notes[4]
    assert "self-disclosure" in notes[5]


def test_autonomy_falls_back_to_persuade_phrase() -> None:
    advice = {"therapist_behaviour": "input", "input_type": "advice"}
    rows = [("therapist", "You should walk every day.", advice),
            ("therapist", "Would it be okay if I shared one idea? Walking helps some people.",
             advice),
            ("therapist", "Cut the coffee too.", advice)]
    m = build_profile(coded(rows)).metric("autonomy_support")
    assert m.detail == {"supportive": 1, "directive": 2}
    assert m.value == pytest.approx(1 / 3)
    assert "approximated" in m.reason


def test_codes_of_an_earlier_relationship_model_are_listed_but_never_feedback() -> None:
    # an analysis stored before the accurate model was retrained (relationship@2.0): its
    # codes stay readable, drive nothing, and the profile says so; the current model's do
    from rapport.coding.relationship.feedback import MODEL_IDS, usable_for_feedback
    from rapport.domain import Code, CodedSession, Session, TurnCodes

    session = Session.build("old", [("Sam", "client", "I feel so ashamed and alone."),
                                    ("Dr Rowan", "therapist", "When is your next shift?")])

    def profile_of(source: str) -> tuple[list[str], bool]:
        disclosure = Code(name="emotional_disclosure", value=True, confidence=0.99,
                          source=source)
        question = Code(name="therapist_behaviour", value="question", confidence=0.9,
                        source="utterance-fast@1.0")
        codes = (TurnCodes(session_id="old", turn_index=0, codes=(disclosure,)),
                 TurnCodes(session_id="old", turn_index=1, codes=(question,)))
        return (build_profile(CodedSession(session=session, codes=codes)).notes,
                usable_for_feedback(disclosure))

    notes, used = profile_of("relationship@2.0")
    assert not used
    assert any(n.startswith("relationship codes from an earlier version of the coder "
                            "(relationship@2.0) are listed as codes only") for n in notes)
    current = next(s for s, preset in MODEL_IDS.items() if preset == "accurate")
    notes, used = profile_of(current)
    assert used  # emotional_disclosure drives feedback in today's accurate model
    assert not any("earlier version of the coder" in n for n in notes)
    assert any(n.startswith("relationship codes used for feedback: disclosing a feeling")
               for n in notes)


def test_autonomy_counts_only_what_is_sure_enough_for_feedback() -> None:
    # A new-user review: a session of unasked advice read "Autonomy support 100%" from one
    # 57% seek_collaboration (below its feedback bar) on the greeting.
    from rapport.coding.relationship.feedback import MODEL_ID, usable_for_feedback
    from rapport.domain import Code

    told = {"therapist_behaviour": "input", "input_type": "information"}
    rows = [("therapist", "Hi Sam, come on in and take a seat.", {"therapist_behaviour": "other"}),
            ("client", "Thanks. It's been a rough week.", NEUTRAL),
            ("therapist", "What you need to do is get to bed by ten every night.", told),
            ("client", "I suppose.", NEUTRAL),
            ("therapist", "And you should cut out the coffee after lunch.", told)]
    session = coded(rows)
    greeting = Code(name="seek_collaboration", value=True, confidence=0.57, source=MODEL_ID)
    assert not usable_for_feedback(greeting)
    codes = list(session.codes)
    codes[0] = codes[0].model_copy(update={"codes": (*codes[0].codes, greeting)})
    m = build_profile(dataclasses.replace(session, codes=tuple(codes))
                      ).metric("autonomy_support")
    assert m.detail == {"supportive": 0, "directive": 2}
    assert m.value == 0.0
    assert "below their feedback bar are not counted" in m.reason
    assert [e.turn_index for e in m.evidence] == [2, 4]
    assert m.evidence[0].note == "directive: advice without asking: “you need to”"


def test_validation_transparency_and_boundaries_count_only_codes_sure_enough() -> None:
    # The bundled examples read "Validation 0%" and flagged a therapist self-disclosure
    # from codes the shipped relationship coder cannot give feedback on (no feedback bar):
    # such a code measures nothing, present or absent.
    from rapport.coding.relationship.feedback import MODEL_ID, feedback_thresholds
    from rapport.domain import Code

    below = [c for c in ("affirm", "normalize", "metacommunication", "self_disclosure")
             if feedback_thresholds(MODEL_ID).get(c) is None]
    assert len(below) == 4  # the shipped default coder's bars, which this test relies on
    other = {"therapist_behaviour": "other"}
    rows = [("therapist", "Thanks for coming in, it took courage.", other),
            ("client", "It did.", NEUTRAL),
            ("therapist", "Can I say how this feels in the room between us?", other),
            ("client", "Okay.", NEUTRAL),
            ("therapist", "I went through a divorce myself.", other)]
    session = coded(rows)
    planted = {0: ("affirm", "normalize"), 2: ("metacommunication",), 4: ("self_disclosure",)}
    codes = list(session.codes)
    for turn, names in planted.items():
        extra = tuple(Code(name=n, value=True, confidence=0.99, source=MODEL_ID) for n in names)
        codes[turn] = codes[turn].model_copy(update={"codes": (*codes[turn].codes, *extra)})
    profile = build_profile(dataclasses.replace(session, codes=tuple(codes),
                                                models=(MODEL_ID,)))
    validation = profile.metric("validation_rate")
    assert (validation.available, validation.value) == (False, None)
    assert "below their feedback bar" in validation.reason
    transparency = profile.metric("transparency_rate")
    assert transparency.value == 0.0 and transparency.evidence == []
    assert "metacommunication codes below their feedback bar" in transparency.reason
    boundaries = profile.metric("boundary_moments")
    assert boundaries.value == 0 and "boundary codes below" in boundaries.reason
    # the same codes from a person (or any coder without a bar) still count
    human = build_profile(coded([(role, text, {**planted_codes,
                                               **dict.fromkeys(planted.get(i, ()), True)})
                                 for i, (role, text, planted_codes) in enumerate(rows)]))
    assert human.metric("validation_rate").value == pytest.approx(1 / 3)
    assert human.metric("transparency_rate").value == pytest.approx(1 / 3)
    assert human.metric("boundary_moments").value == 1


def test_the_disclosure_figure_is_not_measured_on_codes_below_their_bar() -> None:
    # The default coder has no feedback bar for emotional_disclosure; feeling words alone
    # are no better on the real-talk gold (the figure quotes that measurement, recomputed
    # here so it cannot go stale).
    import importlib.util
    from pathlib import Path

    from rapport.coding.relationship.feedback import MODEL_ID, feedback_thresholds
    from rapport.domain import Code
    from rapport.profile.relationship import APPROXIMATION_RIGHT

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "disclosure_approximation.py"
    spec = importlib.util.spec_from_file_location("disclosure_approximation", bench)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    _, predicted, right, _ = module.counts()
    assert f"right {right} of {predicted} times on real talk" == APPROXIMATION_RIGHT
    assert right / predicted < 0.70  # below the feedback bar: no fallback for the codes

    assert feedback_thresholds(MODEL_ID).get("emotional_disclosure") is None
    rows = [("client", "I feel so ashamed about all of it, every single day.", NEUTRAL),
            ("therapist", "Go on.", {"therapist_behaviour": "other"})]
    session = coded(rows)
    code = Code(name="emotional_disclosure", value=True, confidence=0.99, source=MODEL_ID)
    codes = list(session.codes)
    codes[0] = codes[0].model_copy(update={"codes": (*codes[0].codes, code)})
    figure = build_profile(dataclasses.replace(session, codes=tuple(codes), models=(MODEL_ID,))
                           ).metric("emotional_disclosure")
    assert (figure.available, figure.value) == (False, None)
    assert APPROXIMATION_RIGHT in figure.reason
    follow_up = build_profile(dataclasses.replace(session, codes=tuple(codes),
                                                  models=(MODEL_ID,))).metric("follow_up_rate")
    assert (follow_up.available, follow_up.value) == (False, None)
    assert "below their feedback bar" in follow_up.reason
    # a person's code counts
    human = build_profile(coded([(r, t, {**c, "emotional_disclosure": r == "client"})
                                 for r, t, c in rows])).metric("emotional_disclosure")
    assert human.value == 1.0
