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
