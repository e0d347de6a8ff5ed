"""The phrase rules: what they flag, what they leave alone, where the evidence sits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.risk.response import asks_directly
from rapport.risk.rules import normalise, rule_hits, state_of


@pytest.mark.parametrize(("text", "code"), [
    ("Everyone would be better off without me.", "risk_suicidal_ideation"),
    ("its not like id do anything but sometimes i think theyd be better off",
     "risk_suicidal_ideation"),
    ("i dont wanna be here anymore", "risk_suicidal_ideation"),
    ("I looked up pills last night, how many it would take.", "risk_suicide_plan"),
    ("I've been giving my things away to my sister.", "risk_suicide_plan"),
    ("I used to cut myself when I was fifteen.", "risk_self_harm"),
    ("He hits me when he's had a drink.", "risk_abuse"),
    ("I'm scared I'll shake the baby.", "risk_harm_to_others"),
])
def test_said_in_so_many_words(text: str, code: str) -> None:
    assert code in {h.code for h in rule_hits(text)}


@pytest.mark.parametrize("text", [
    "Honestly this commute is killing me.",
    "My mum will kill me if I fail.",
    "I could murder a curry.",
    "I cut down on the drinking.",
    "I'm dying to see that film.",
    "I'm not suicidal, no.",
    "Not really planning on spending my life in debt.",
    "I know what to do, I'm gonna do it.",
    "My wife forced me to come here.",
])
def test_idioms_denials_and_look_alikes_are_left_alone(text: str) -> None:
    assert rule_hits(text) == []


def test_evidence_points_into_the_original_turn() -> None:
    text = "Honestly?  I've been CUTTING myself — again."
    (hit,) = rule_hits(text)
    assert text[hit.start:hit.end] == hit.text
    assert hit.text.lower().startswith("cutting")


@given(st.text(max_size=200))
def test_normalise_keeps_a_place_for_every_character(text: str) -> None:
    norm = normalise(text)
    assert len(norm.text) == len(norm.origin)
    assert list(norm.origin) == sorted(norm.origin)
    assert all(0 <= i < len(text) for i in norm.origin)
    for hit in rule_hits(text):
        assert text[hit.start:hit.end].strip() == hit.text


def test_state_is_history_only_when_nothing_is_now() -> None:
    assert state_of("I used to cut when I was at school.") == "history"
    assert state_of("I used to cut at school and I started again last week.") == "urgent"
    assert state_of("I want it all to stop.") == "urgent"


def test_direct_questions_about_safety() -> None:
    assert asks_directly("When you say that, are you having thoughts of ending your life?")
    assert asks_directly("Are you safe at home right now?")
    assert not asks_directly("Seven cans is a lot. Have you tried alcohol-free nights?")


@pytest.mark.parametrize("reply", [
    "Do you have a plan to end your life?", "Do you have a plan?", "Is your mum safe right now?",
    "Do you think she's safe there?", "Are you planning to take those pills?",
    "Do you still have access to her tablets?", "Is there anyone in your life who hurts you?",
    "Do you wish you were dead?", "Are you safe?", "Are you safe to go home tonight?"])
def test_a_direct_question_in_other_words(reply: str) -> None:
    assert asks_directly(reply)


@pytest.mark.parametrize("reply", [
    # everyday questions that share a word with a risk topic (the bundled examples' false
    # "asked directly", which hid the follow-up prompt)
    "Would you like to make a plan for the drinking this week?",
    "Can I ask what 'like this' means to you?", "Did you wake up early?",
    "How long have you been at home?", "Do you know what that means for your job?",
    "Did your dog die?", "Is it safe to drive after that?", "Are you taking your tablets?",
    "You're safe now, that's what matters.",
    # the asking words and the topic in different sentences
    "How was the weekend? I hope the kids were safe at home with the sitter."])
def test_an_everyday_question_is_not_a_direct_question_about_risk(reply: str) -> None:
    assert not asks_directly(reply)
