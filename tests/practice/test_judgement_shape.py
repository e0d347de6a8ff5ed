"""The judgement every face shows: its verdict and codes stay inside the codebook's lists."""

from __future__ import annotations

import pytest

from rapport.practice import PRACTICE_CODES, VERDICTS, judge_reply, load_drills

REPLIES = ["ok", "It sounds like you're carrying this on your own.",
           "You should talk to your GP about it.", "Would it help if I shared an idea?",
           "Are you thinking about ending your life?"]


@pytest.mark.parametrize("reply", REPLIES)
def test_every_drill_gets_a_judgement_in_the_codebook_vocabulary(reply: str) -> None:
    for drill in load_drills():
        judgement = judge_reply(drill, reply)
        assert judgement.verdict in VERDICTS
        assert {c.code for c in judgement.codes} <= set(PRACTICE_CODES)
        assert 0.0 <= judgement.confidence <= 1.0
        assert judgement.drill_id == drill.id and judgement.skill == drill.skill
        assert judgement.to_dict()["feedback"]["exemplar"]


def test_a_one_word_reply_is_never_met() -> None:
    for drill in load_drills():
        assert judge_reply(drill, "ok").verdict == "not_met"
