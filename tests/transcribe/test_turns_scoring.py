"""Turns from labelled words, the role suggestion and the scores, property-tested."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import Role
from rapport.ingest.roles import suggested_roles
from rapport.transcribe.asr import Word
from rapport.transcribe.scoring import (
    normalised_words,
    number_words,
    speaker_error,
    word_error_rate,
    words_of,
)
from rapport.transcribe.turns import TimedTurn, build_turns, is_question, suggest_roles

word_lists = st.lists(st.tuples(st.floats(0, 3600, allow_nan=False), st.floats(0, 5),
                                st.integers(0, 2), st.sampled_from(["yes", "so", "why?"])),
                      max_size=60)


@given(word_lists)
def test_turns_keep_every_word_in_time_order(raw: list[tuple[float, float, int, str]]) -> None:
    words = [Word(text, start, start + length, 0.9, 0) for start, length, _, text in raw]
    labels = [speaker for _, _, speaker, _ in raw]
    turns = build_turns(words, labels)
    assert sum(len(t.text.split()) for t in turns) == len(words)
    assert [t.start for t in turns] == sorted(t.start for t in turns)
    assert all(a.speaker != b.speaker for a, b in itertools.pairwise(turns))
    assert all(t.end >= t.start for t in turns)


@given(st.text(max_size=80))
def test_wer_of_itself_is_zero_and_of_nothing_is_one(text: str) -> None:
    assert word_error_rate(text, text) == 0
    if words_of(text):
        assert word_error_rate(text, "") == 1


@given(st.text(max_size=80))
def test_normalised_wer_of_itself_is_zero(text: str) -> None:
    assert word_error_rate(text, text, normalise=True) == 0


def test_normalising_treats_both_sides_alike() -> None:
    assert normalised_words("Mm-hmm. I can't, it's 4th on 12 May, 'cause 1,500%!") == [
        "i", "can", "not", "it's", "fourth", "on", "twelve", "may", "because", "one",
        "thousand", "five", "hundred", "percent"]
    assert word_error_rate("We're gonna try 2 things", "we are going to try two things",
                           normalise=True) == 0
    # words that differ stay errors: the normaliser does not forgive a wrong word
    assert word_error_rate("four things", "for things", normalise=True) == 0.5
    assert word_error_rate("Uh, yes", "yes um", normalise=False) == 1.0
    assert [number_words(n) for n in (0, 15, 40, 99, 101, 2026)] == [
        "zero", "fifteen", "forty", "ninety nine", "one hundred one",
        "two thousand twenty six"]


@given(st.lists(st.tuples(st.floats(0, 100, allow_nan=False), st.integers(0, 1)),
                min_size=1, max_size=40))
def test_swapped_labels_score_the_same(words: list[tuple[float, int]]) -> None:
    turns = [(0, 0.0, 50.0), (1, 50.0, 100.0)]
    swapped = [(t, 1 - label) for t, label in words]
    assert speaker_error(words, turns) == speaker_error(swapped, turns)
    assert 0 <= speaker_error(words, turns) <= 0.5


def test_the_speaker_who_asks_is_suggested() -> None:
    turns = [TimedTurn("SPEAKER_1", "I'm fine.", 0, 1),
             TimedTurn("SPEAKER_2", "How was the week", 1, 2),
             TimedTurn("SPEAKER_1", "Long. Too long.", 2, 3),
             TimedTurn("SPEAKER_2", "Tell me more about that. Was it work?", 3, 4)]
    suggestion = suggest_roles(turns)
    assert suggestion.therapist == "SPEAKER_2"
    assert "SPEAKER_2 2 of 2" in suggestion.basis


def test_no_suggestion_when_no_one_asks_more() -> None:
    turns = [TimedTurn("SPEAKER_1", "Fine.", 0, 1), TimedTurn("SPEAKER_2", "Good.", 1, 2)]
    assert suggest_roles(turns).therapist is None
    assert suggest_roles(turns).roles(["SPEAKER_1", "SPEAKER_2"]) == {}


def test_questions_without_question_marks() -> None:
    assert is_question("okay. how did that feel")
    assert not is_question("I went home. It was late.")


@given(st.text(max_size=60))
def test_suggested_roles_never_fail(value: str) -> None:
    assert all(isinstance(r, Role) for r in suggested_roles(value).values())
