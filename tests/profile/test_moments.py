"""Moments to revisit: evidence, codes, concrete suggestions, limits."""

from __future__ import annotations

from profile_sessions import ADVICE, NEUTRAL, Q_OPEN, R_COMPLEX, coded, missed, repaired

from rapport.profile.moments import MAX_MOMENTS, MAX_PER_KIND
from rapport.profile.profile import build_profile


def test_missed_feeling_gets_a_concrete_suggestion() -> None:
    rows = [("client", "I feel so angry at him, I can barely sleep.",
             {"client_talk": "neutral", "emotional_disclosure": True}),
            ("therapist", "How many hours do you sleep?", Q_OPEN)]
    (m,) = build_profile(coded(rows)).moments
    assert m.kind == "missed_feeling"
    assert m.turn_index == 1
    assert m.suggestion.startswith("Reflect the feeling before asking the next question")
    assert "angry" in m.suggestion
    assert [e.turn_index for e in m.excerpt] == [0, 1]
    assert "turn 1: therapist_behaviour=question (0.90)" in m.coded


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
