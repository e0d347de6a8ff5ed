"""Hypothesis properties: any coded session gives a defined, in-range profile, and
renaming speakers only renames them in the result."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from profile_sessions import coded

from rapport.profile.profile import build_profile
from rapport.profile.section import ProfileSection

FAMILIES = {
    "therapist": {"therapist_behaviour": ["question", "reflection", "input", "other"],
                  "question_type": ["open", "closed"], "reflection_type": ["simple", "complex"],
                  "input_type": ["information", "advice", "options", "negotiation"]},
    "client": {"client_talk": ["change", "neutral", "sustain"]},
}
FLAGS = {
    "therapist": ["affirm", "emphasize_autonomy", "seek_collaboration", "normalize",
                  "self_disclosure", "metacommunication", "persuade",
                  "persuade_with_permission", "repair",
                  "confront", "boundary_statement"],
    "client": ["withdrawal", "confrontation", "boundary_issue", "emotional_disclosure"],
}
TEXTS = ["No.", "Mm-hmm.", "I feel scared and alone.", "Is it okay if I share an idea?",
         "What brings you here?", "You feel stuck.", "Could I have your personal number?",
         "Ça va, merci. 今日は疲れた。", "", ("I keep thinking about what I should have said "
                                       "to her that night when everything fell apart.")]


@st.composite
def rows(draw: st.DrawFn) -> list[tuple[str, str, dict[str, object]]]:
    out = []
    for _ in range(draw(st.integers(0, 14))):
        role = draw(st.sampled_from(["therapist", "client"]))
        codes: dict[str, str | bool | tuple[str | bool, float]] = {}
        for fam, labels in FAMILIES[role].items():
            if draw(st.booleans()):
                codes[fam] = (draw(st.sampled_from(labels)), draw(st.floats(0, 1)))
        for flag in FLAGS[role]:
            if draw(st.integers(0, 3)) == 0:
                codes[flag] = (draw(st.booleans()), draw(st.floats(0, 1)))
        out.append((role, draw(st.sampled_from(TEXTS)), codes))
    return out


@given(rows())
def test_profile_is_defined_and_in_range(planted: list) -> None:  # type: ignore[type-arg]
    p = build_profile(coded(planted))
    n = len(planted)
    assert p.turns == n
    for m in p.metrics:
        assert m.available or m.value is None
        if m.value is None:
            continue
        assert m.value >= 0
        if m.unit in ("share", "rate", "score"):
            assert m.value <= 1, m.key
        assert all(0 <= e.turn_index < n for e in m.evidence)
    for r in p.ruptures:
        assert 0 <= r.start_turn <= r.end_turn < n
        assert 0 <= r.strength <= 1
        assert (r.repair_turn is not None) == (r.status == "repaired")
    assert len(p.moments) <= 5
    flat = ProfileSection().metrics(p)
    assert all(v is None or v >= 0 for v in flat.values())


@given(rows())
def test_renaming_speakers_permutes_results(planted: list) -> None:  # type: ignore[type-arg]
    a = build_profile(coded(planted, names={"therapist": "Alex", "client": "Bo"}))
    b = build_profile(coded(planted, names={"therapist": "Bo", "client": "Alex"}))
    swap = {"Alex": "Bo", "Bo": "Alex"}
    for ma, mb in zip(a.metrics, b.metrics, strict=True):
        assert ma.value == mb.value
        assert [swap[e.speaker] for e in ma.evidence] == [e.speaker for e in mb.evidence]
        assert {k.replace("speaker:Alex", "X").replace("speaker:Bo", "speaker:Alex")
                .replace("X", "speaker:Bo"): v for k, v in ma.detail.items()} == mb.detail
    assert [r.model_dump(exclude={"evidence"}) for r in a.ruptures] == \
        [r.model_dump(exclude={"evidence"}) for r in b.ruptures]
    assert [(m.kind, m.turn_index) for m in a.moments] == [(m.kind, m.turn_index)
                                                           for m in b.moments]


def test_empty_and_one_turn_sessions() -> None:
    empty = build_profile(coded([]))
    assert empty.turns == 0
    assert empty.ruptures == [] and empty.moments == []
    assert not empty.metric("reflection_to_question").available
    one = build_profile(coded([("client", "Hello.", {"client_talk": "neutral"})]))
    assert one.metric("change_talk_share").reason == "no change or sustain talk in this session"
    assert one.metric("therapist_word_share").value == 0.0
