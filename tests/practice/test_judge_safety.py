"""Suicide drills: asking is not enough if the reply then puts it off, shames, dismisses the
answer or threatens (docs/practice-codebook.md, suicide_risk not_met, R1, R8); asking about
the plan or the means is asking (asks_about_suicide)."""

from __future__ import annotations

import pytest

from rapport.practice import judge_reply, load_drills

DRILLS = {d.id: d for d in load_drills()}
SUICIDE_DRILLS = [d for d in DRILLS.values() if d.skill == "suicide_risk"]
ASK = "Are you thinking about killing yourself?"

# the reviewer's replies to suicide_risk-01 ("...they'd all be better off without me.")
PUTS_IT_OFF = [f"{ASK} Let's pick that up next week.",
               f"{ASK} We're out of time today, so we can talk about it next session.",
               f"{ASK} Let's not talk about that now, tell me about work."]
HARMS = ["Are you thinking of killing yourself? Because that would be really selfish.",
         f"{ASK} I'm sure you're not, you have so much to live for.",
         "Are you suicidal? If so I'll have to call the police and have you sectioned."]


@pytest.mark.parametrize("reply", PUTS_IT_OFF)
def test_asking_then_putting_it_off_is_not_met(reply: str) -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], reply)
    assert judgement.verdict == "not_met", judgement
    assert judgement.has("ignores_cue")
    assert "Keep this move" not in judgement.feedback.next_step


@pytest.mark.parametrize("reply", HARMS)
def test_asking_then_shaming_dismissing_or_threatening_is_not_met(reply: str) -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], reply)
    assert judgement.verdict == "not_met", judgement
    assert not judgement.unsure
    assert "Keep this move" not in judgement.feedback.next_step


def test_shaming_is_coded_as_confront_not_as_explaining() -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], HARMS[0])
    assert judgement.has("confront")
    assert judgement.rule == "R1"


def test_a_threat_is_named_in_the_feedback() -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], HARMS[2])
    assert judgement.rule == "R1"
    assert "threat" in judgement.feedback.next_step.lower()


@pytest.mark.parametrize("drill", SUICIDE_DRILLS[:5], ids=lambda d: d.id)
def test_deferral_is_not_met_on_every_suicide_drill(drill) -> None:  # type: ignore[no-untyped-def]
    judgement = judge_reply(drill, PUTS_IT_OFF[0])
    assert judgement.verdict == "not_met"


@pytest.mark.parametrize("reply", [
    "Have you thought about how you would do it?",
    "Have you thought about ending your life?",
    "Have you got a plan for how you would end your life?",
])
def test_asking_about_the_plan_or_method_is_asking(reply: str) -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], reply)
    assert judgement.has("asks_about_suicide"), judgement
    assert not judgement.has("advice_without_permission")
    assert not judgement.has("ignores_cue")
    assert judgement.verdict == "met"


def test_ending_your_life_is_not_the_clients_choice() -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], "Have you thought about ending your life?")
    assert not judgement.has("emphasize_autonomy")
    assert "choice is the client's" not in judgement.feedback.did


@pytest.mark.parametrize("reply", [
    "Are you thinking about ending your life?",
    "It sounds like things feel hopeless. Are you having thoughts of suicide?",
    ("When you say they'd be better off without you, are you thinking about killing yourself?"
     " If you are, I'd like us to work out together how to keep you safe until next week."),
])
def test_a_direct_question_that_stays_with_it_is_still_met(reply: str) -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], reply)
    assert judgement.verdict == "met", judgement
    assert not judgement.has("ignores_cue")


def test_the_plan_question_is_not_asking_about_suicide_elsewhere() -> None:
    # "how you would do it" names a method only where the moment is about suicide
    judgement = judge_reply(DRILLS["autonomy-01"], "Have you thought about how you would do it?")
    assert not judgement.has("asks_about_suicide")
