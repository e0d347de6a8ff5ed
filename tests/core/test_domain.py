from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from rapport.domain import (
    Code,
    Role,
    Session,
    Speaker,
    Turn,
    TurnCodes,
    count_words,
    is_backchannel,
)


def _session() -> Session:
    return Session.build("s1", [("Dr. Lee", "therapist", "What brings you in today?"),
                                ("Ana", "client", "My sister said I should come."),
                                ("Ben", "client", "Mm-hmm."),
                                ("Dr. Lee", "therapist", "You came because she asked.")])


def test_build_keeps_order_and_roles() -> None:
    s = _session()
    assert [t.index for t in s.turns] == [0, 1, 2, 3]
    assert [sp.name for sp in s.speakers_with(Role.CLIENT)] == ["Ana", "Ben"]
    assert s.turns[2].backchannel
    assert not s.turns[1].backchannel


def test_session_is_immutable() -> None:
    s = _session()
    with pytest.raises(ValidationError):
        s.id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError):
        s.turns[0].text = "changed"  # type: ignore[misc]


def test_to_frame_has_one_row_per_turn() -> None:
    frame = _session().to_frame()
    assert list(frame["turn_index"]) == [0, 1, 2, 3]
    assert list(frame.columns[:5]) == ["session_id", "turn_index", "role", "speaker", "text"]
    assert frame["start"].isna().all()
    assert frame.loc[1, "words"] == 6


def test_turn_indices_must_be_positions() -> None:
    sp = Speaker(name="T", role=Role.THERAPIST)
    with pytest.raises(ValidationError, match=r"0\.\.n-1"):
        Session(id="x", speakers=(sp,), turns=(Turn(index=1, speaker="T", role=Role.THERAPIST,
                                                    text="hi"),))


def test_unknown_speaker_is_rejected() -> None:
    sp = Speaker(name="T", role=Role.THERAPIST)
    with pytest.raises(ValidationError, match="not a declared speaker"):
        Session(id="x", speakers=(sp,), turns=(Turn(index=0, speaker="C", role=Role.CLIENT,
                                                    text="hi"),))


def test_inverted_times_are_rejected() -> None:
    with pytest.raises(ValidationError, match="ends"):
        Turn(index=0, speaker="T", role=Role.THERAPIST, text="x", start=5.0, end=2.0)


def test_code_confidence_in_range() -> None:
    with pytest.raises(ValidationError):
        Code(name="affirmation", value=True, confidence=1.5)
    tc = TurnCodes(session_id="s", turn_index=0,
                   codes=(Code(name="therapist_behaviour", value="question", confidence=0.9),))
    assert tc.label("therapist_behaviour") == "question"
    assert tc.get("client_talk") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Mm-hmm.", True), ("Yeah, okay.", True), ("Right.", True), ("Uh-huh", True),
    ("Yeah, I think so.", False), ("No.", False), ("", False),
    ("I see what you mean about her.", False),
])
def test_backchannel(text: str, expected: bool) -> None:
    assert is_backchannel(text) is expected


def test_count_words_is_script_independent() -> None:
    assert count_words("Ich fühle mich müde") == 4
    assert count_words("我 很 累") == 3
    assert count_words("don't — stop") == 2


@given(st.text(max_size=200))
def test_count_words_never_negative_and_bounded(text: str) -> None:
    assert 0 <= count_words(text) <= len(text)
