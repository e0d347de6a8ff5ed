"""Shaming and labelling are confront (R1), never reflections; a trailing "though" on a
piece of advice is advice (R2), not a correction."""

from __future__ import annotations

import pytest

from rapport.practice import judge_reply, load_drills
from rapport.practice.judging import phrases

DRILLS = {d.id: d for d in load_drills()}


@pytest.mark.parametrize(("drill_id", "reply"), [
    ("empathy-01", "Well, you sound like a terrible mother, honestly."),
    ("rupture_confrontation-01", "You're not trying hard enough, that's why."),
    ("affirmation-01", "Four days is not good enough, you need to stop completely."),
])
def test_shaming_is_confront_and_not_met(drill_id: str, reply: str) -> None:
    judgement = judge_reply(DRILLS[drill_id], reply)
    assert judgement.has("confront"), judgement
    assert not judgement.has("complex_reflection") and not judgement.has("simple_reflection")
    assert judgement.verdict == "not_met"
    assert judgement.rule == "R1"
    assert "reflected" not in judgement.feedback.did


@pytest.mark.parametrize("reply", [
    "You feel like a terrible mother right now.",
    "It's not selfish to need some sleep.",
    "Wanting a break doesn't make you a bad mum.",
    "Part of you worries you're not trying hard enough.",
    "You're scared that four days isn't good enough for them.",
])
def test_reflecting_the_clients_own_self_criticism_is_not_shaming(reply: str) -> None:
    assert phrases.shames(reply) is None, reply


def test_a_reflection_then_advice_with_though_is_partly_not_harm() -> None:
    reply = ("It sounds like you're exhausted and the tears just come. "
             "You should really see your GP though.")
    judgement = judge_reply(DRILLS["empathy-01"], reply)
    assert not judgement.has("confront")
    assert judgement.has("advice_without_permission")
    assert judgement.verdict == "partly"
    assert judgement.rule == "R2"


def test_a_bare_though_still_corrects() -> None:
    assert phrases.confronts("That might be true for some people though.") == "though"
