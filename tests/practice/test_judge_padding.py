"""Length is not rewarded (docs/practice-codebook.md: "Do not reward length"): saying the
same sentence again and again gets the judgement of saying it once."""

from __future__ import annotations

import pytest

from rapport.practice import judge_reply, load_drills
from rapport.practice.judging import phrases

DRILLS = {d.id: d for d in load_drills()}
SENTENCES = ["You feel sad.", "You cry at night.", "It sounds like you're exhausted.",
             "It sounds really lonely at 3am.", "You love her but you're struggling."]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("times", [3, 10])
def test_repeating_a_sentence_does_not_change_the_judgement(sentence: str, times: int) -> None:
    drill = DRILLS["empathy-01"]
    once = judge_reply(drill, sentence)
    again = judge_reply(drill, " ".join([sentence] * times))
    assert again.verdict == once.verdict
    assert again.confidence == once.confidence


def test_repeats_are_dropped_whatever_the_case_or_spacing() -> None:
    assert phrases.without_repeats("You feel sad.  you feel SAD! You feel sad") == \
        "You feel sad."
    assert phrases.without_repeats("I hear you. Say more?") == "I hear you. Say more?"


def test_the_length_feature_saturates() -> None:
    from rapport.practice.judging.features import FEATURE_NAMES, MAX_WORDS, length_feature

    assert "log_words" in FEATURE_NAMES or "log_words_capped" in FEATURE_NAMES
    assert length_feature(" ".join(["word"] * (MAX_WORDS * 5))) == length_feature(
        " ".join(["word"] * MAX_WORDS))
    assert length_feature("a b c") < length_feature(" ".join(["word"] * MAX_WORDS))
