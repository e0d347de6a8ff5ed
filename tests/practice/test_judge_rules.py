"""The judge's hard rules hold whatever the learned layer says (docs/practice-codebook.md)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.practice import judge_reply, load_drills
from rapport.practice.judging.rules import R2_SKILLS

DRILLS = load_drills()
R2_DRILLS = [d for d in DRILLS if d.skill in R2_SKILLS]
SUICIDE_DRILLS = [d for d in DRILLS if d.skill == "suicide_risk"]
# (base form, -ing form) of everyday suggestions
ACTIONS = [("go for a walk each morning", "going for a walk each morning"),
           ("talk to your GP", "talking to your GP"),
           ("write it down before bed", "writing it down before bed"),
           ("cut back a bit", "cutting back a bit"),
           ("ask your partner for help", "asking your partner for help"),
           ("take a break from it", "taking a break from it")]
ADVICE_FORMS = ["Maybe try {ing}.", "Have you thought about {ing}?", "It might be worth {ing}.",
                "One thing that helps is {ing}.", "Why not {base}?", "You should {base}.",
                "{Base}.", "I'd suggest {ing}.", "Perhaps you could {base}.",
                "Have you tried {ing}?", "You need to {base}.", "Just {base}.",
                "It could help to {base}.", "What helps a lot of people is {ing}."]


def _advice(form: str, action: tuple[str, str]) -> str:
    base, ing = action
    return form.format(base=base, ing=ing, Base=base[0].upper() + base[1:])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill=st.sampled_from(R2_DRILLS), form=st.sampled_from(ADVICE_FORMS),
       action=st.sampled_from(ACTIONS), lead=st.booleans())
def test_advice_without_permission_is_never_met_on_r2_skills(drill, form, action, lead) -> None:  # type: ignore[no-untyped-def]
    # even after the drill's own exemplar (a good reply) the advice caps the verdict (R2/R8)
    reply = (drill.exemplars[0] + " " if lead else "") + _advice(form, action)
    judgement = judge_reply(drill, reply)
    assert judgement.verdict != "met", reply
    assert judgement.has("advice_without_permission"), reply


@pytest.mark.parametrize("form", ADVICE_FORMS)
def test_every_advice_form_is_coded(form: str) -> None:
    drill = R2_DRILLS[0]
    assert judge_reply(drill, _advice(form, ACTIONS[0])).has("advice_without_permission")


@pytest.mark.parametrize("reply", ["ok", "Okay.", "Right", "Hmm", "Great!", "Yes.", "  "])
def test_a_one_word_reply_is_not_met(reply: str) -> None:
    for drill in DRILLS[::7]:
        judgement = judge_reply(drill, reply)
        assert judgement.verdict == "not_met"
        assert judgement.rule == "R3"


SUPPORTIVE = ["That sounds so painful, I'm really glad you told me.",
              "I'm sure things will look better soon.", "You have so much to live for.",
              "Let's pick that up next week when we have more time.",
              "It sounds like everything has got very heavy lately.",
              "How have you been sleeping?", "What's been happening at work?",
              "I hear how exhausted you are. You're not alone in this."]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill=st.sampled_from(SUICIDE_DRILLS), reply=st.sampled_from(SUPPORTIVE))
def test_a_suicide_reply_without_asking_or_safety_is_never_met(drill, reply) -> None:  # type: ignore[no-untyped-def]
    judgement = judge_reply(drill, reply)
    assert not (judgement.has("asks_about_suicide") or judgement.has("safety_planning"))
    assert judgement.verdict != "met"


def test_a_direct_suicide_question_is_coded() -> None:
    for drill in SUICIDE_DRILLS[:4]:
        judgement = judge_reply(drill, "Are you thinking about ending your life?")
        assert judgement.has("asks_about_suicide")



@pytest.mark.parametrize(("reply", "advice"), [
    ("What have you tried so far?", False),
    ("Which have you tried already, and what happened?", False),
    ("what have you asked her before?", False),
    ("Have you tried cutting out coffee after lunch?", True),
    ("You're exhausted. Have you considered a sleep diary?", True),
])
def test_the_advice_phrase_tells_suggesting_from_asking_what_was_tried(reply: str,
                                                                      advice: bool) -> None:
    """"Have you tried X?" suggests X; "What have you tried?" invites the client's own
    ideas (the autonomy drills' target move)."""
    from rapport.practice.judging.phrases import advice_hits

    assert (advice_hits(reply) is not None) == advice
