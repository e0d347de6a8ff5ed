"""Feedback in plain words: every field filled, deterministic, tied to what was missing;
the judge needs no network and no record."""

from __future__ import annotations

import subprocess
import sys

import pytest

from rapport.practice import judge_reply, load_drills
from rapport.practice.judging.feedback import CODE_WORDS, SKILL_STEPS

DRILLS = {d.id: d for d in load_drills()}
CASES = [("empathy-01", "Have you thought about asking your partner to take a night feed?"),
         ("empathy-02", "It's not just losing the job, it's how they did it. That stung."),
         ("suicide_risk-01", "I'm sure they love you."),
         ("boundaries-01", "Thanks so much, I'll treasure it!"),
         ("autonomy-01", "Would it help if I shared some ideas?"),
         ("validation-01", "ok")]


@pytest.mark.parametrize(("drill_id", "reply"), CASES)
def test_feedback_fields_are_filled_and_deterministic(drill_id: str, reply: str) -> None:
    drill = DRILLS[drill_id]
    first = judge_reply(drill, reply)
    again = judge_reply(drill, reply)
    assert first.to_dict() == again.to_dict()
    fb = first.feedback
    assert fb.did and fb.needed == drill.target and fb.exemplar in drill.exemplars
    assert fb.next_step
    for code in first.codes:
        assert CODE_WORDS[code.code] in fb.did


def test_advice_feedback_asks_for_permission_first() -> None:
    judgement = judge_reply(DRILLS["empathy-01"], "You should ask your partner to do a night feed.")
    assert "ask whether they want one" in judgement.feedback.next_step


def test_a_suicide_miss_is_told_to_ask_directly() -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], "That sounds hard. How's work?")
    assert judgement.feedback.next_step.endswith(SKILL_STEPS["suicide_risk"]) or \
        "Stay with what the client" in judgement.feedback.next_step


def test_an_unsure_judgement_says_so_instead_of_praise_or_blame() -> None:
    found = [j for d in list(DRILLS.values())[:60]
             for j in [judge_reply(d, "I hear you. Say more about that?")] if j.unsure]
    assert found, "expected at least one unsure judgement on an ambiguous reply"
    for judgement in found:
        assert "not sure" in judgement.feedback.did
        assert judgement.feedback.next_step.startswith("Check against the target")


@pytest.mark.disable_socket
def test_the_judge_needs_no_network() -> None:
    judgement = judge_reply(DRILLS["empathy-03"], "Finding out by accident must have hurt.")
    assert judgement.verdict in ("met", "partly", "not_met")


def test_the_judge_needs_no_record() -> None:
    code = ("import sys; from rapport.practice import judge_reply, load_drills; "
            "judge_reply(load_drills()[0], 'That sounds lonely.'); "
            "print(sorted(m for m in sys.modules if m.startswith(('rapport.store', "
            "'sqlalchemy', 'rapport.web'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120)
    assert out.stdout.strip() == "[]"


def test_a_met_judgement_never_gets_a_fix_for_harm() -> None:
    from rapport.practice.judgement import ReplyCode
    from rapport.practice.judging.feedback import HARM_STEPS, KEEP_STEP, next_step

    drill = DRILLS["suicide_risk-01"]
    codes = (ReplyCode("asks_about_suicide", 0.9), ReplyCode("minimise_or_reassure", 0.9))
    step = next_step(drill, "met", codes, "suicide_risk")
    assert step == KEEP_STEP
    assert step not in {s for _, s in HARM_STEPS}


def test_an_unsure_met_reads_as_one_instruction() -> None:
    from rapport.practice.judgement import ReplyCode
    from rapport.practice.judging.feedback import make_feedback

    drill = DRILLS["empathy-01"]
    fb = make_feedback(drill, "met", (ReplyCode("complex_reflection", 0.8),), "empathy",
                       unsure=True, confidence=0.6)
    assert fb.next_step.startswith("Check against the target")
    assert "keep this move" not in fb.next_step.lower()
    assert fb.next_step.endswith(SKILL_STEPS["empathy"][1:])


def test_promising_total_secrecy_is_told_about_the_limits_not_to_say_no() -> None:
    from rapport.practice.judging.feedback import GIVES_IN_STEP

    judgement = judge_reply(DRILLS["confidentiality-01"],
                            "Everything you say here is completely secret, nobody will ever know.")
    assert judgement.verdict == "not_met"
    assert judgement.feedback.next_step != GIVES_IN_STEP
    assert "limit" in judgement.feedback.next_step
    assert "secrecy" in judgement.feedback.did


@pytest.mark.parametrize("reply", ["I'm sure things will look better soon.",
                                   "You have so much to live for.",
                                   "I'm sure they love you."])
def test_a_suicide_reply_without_the_question_is_told_to_ask_directly(reply: str) -> None:
    judgement = judge_reply(DRILLS["suicide_risk-01"], reply)
    assert judgement.verdict == "not_met"
    assert judgement.feedback.next_step.endswith(SKILL_STEPS["suicide_risk"])


def test_a_short_met_reply_is_not_told_to_use_fewer_words() -> None:
    # "Are you thinking about ending your life?" (7 words) was met and told "next time try
    # it in fewer words"; only a long reply is.
    from rapport.practice import judge_reply
    from rapport.practice.judging.feedback import KEEP_SHORTER_STEP, KEEP_STEP

    drill = DRILLS["suicide_risk-01"]
    short = judge_reply(drill, "Are you thinking about ending your life?")
    assert short.verdict == "met" and short.feedback.next_step == KEEP_STEP
    assert "fewer words" not in short.feedback.next_step
    long = judge_reply(drill, "It sounds like you have been carrying the thought that the "
                              "people around you would be better off without you, and that "
                              "it has been weighing on you for a long time now, maybe more "
                              "than anyone has noticed or asked about. Are you thinking "
                              "about ending your life?")
    assert long.verdict == "met" and long.feedback.next_step == KEEP_SHORTER_STEP
