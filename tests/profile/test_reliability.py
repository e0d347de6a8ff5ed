"""Banded figures say how often the codes behind them were right on unseen sessions."""

from __future__ import annotations

from profile_sessions import Q_CLOSED, Q_OPEN, R_COMPLEX, R_SIMPLE, coded

from rapport.domain import Code, CodedSession, TurnCodes
from rapport.profile.profile import build_profile
from rapport.profile.reliability import label_precision


def _as_coder(session: CodedSession, source: str) -> CodedSession:
    """The planted codes as if the utterance coder ``source`` had made them."""
    turns = tuple(TurnCodes(session_id=tc.session_id, turn_index=tc.turn_index,
                            codes=tuple(Code(name=c.name, value=c.value,
                                             confidence=c.confidence, source=source)
                                        for c in tc.codes)) for tc in session.codes)
    return CodedSession(session=session.session, codes=turns)


ROWS = [("therapist", "A turn.", codes) for codes in
        [R_COMPLEX] * 8 + [R_SIMPLE] * 4 + [Q_OPEN] * 4 + [Q_CLOSED] * 2]


def test_precision_comes_from_the_cross_validated_confusion_matrix() -> None:
    found = label_precision("fast")
    # therapist_behaviour=reflection: 770 right of the 1,084 turns the fast coder called one
    assert round(found["therapist_behaviour"]["reflection"], 3) == round(770 / 1084, 3)
    assert set(found["reflection_type"]) == {"simple", "complex"}
    assert all(0 < p <= 1 for fam in found.values() for p in fam.values())
    assert label_precision("no-such-preset") == {}


def test_banded_figures_from_the_coder_carry_a_note() -> None:
    profile = build_profile(_as_coder(coded(ROWS), "utterance-fast@1.0"))
    rq = profile.metric("reflection_to_question")
    assert rq.band == "good"
    ref = round(label_precision("fast")["therapist_behaviour"]["reflection"] * 10)
    assert rq.code_precision.startswith(f"codes behind it right about reflection {ref} in 10")
    assert "never saw (fast coder)" in rq.code_precision
    assert profile.metric("complex_reflection_share").code_precision


def test_codes_from_elsewhere_carry_no_note() -> None:
    profile = build_profile(coded(ROWS))  # planted codes: precision unknown
    assert profile.metric("reflection_to_question").band == "good"
    assert profile.metric("reflection_to_question").code_precision == ""


def test_a_session_the_punctuation_free_companion_coded_gets_its_own_figures() -> None:
    bare, main = label_precision("fast-bare"), label_precision("fast")
    # its held-out folds were made bare: other confusion matrices than the main model's
    assert bare["therapist_behaviour"] and bare != main
    profile = build_profile(_as_coder(coded(ROWS), "utterance-fast-bare@1.0"))
    note = profile.metric("reflection_to_question").code_precision
    ref = round(bare["therapist_behaviour"]["reflection"] * 10)
    assert note.startswith(f"codes behind it right about reflection {ref} in 10")
    assert note.endswith("with their punctuation removed (fast punctuation-free coder)")
