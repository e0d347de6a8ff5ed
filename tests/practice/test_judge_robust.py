"""Any text a trainee types gets a judgement inside the codebook's vocabulary, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.practice import PRACTICE_CODES, VERDICTS, judge_reply, load_drills
from rapport.practice.judging import phrases

DRILLS = load_drills()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_phrase_rules_never_fail(text: str) -> None:
    hits = phrases.rule_hits(text)
    assert {h.code for h in hits} <= set(PRACTICE_CODES)
    assert all(h.evidence for h in hits)
    phrases.question_kinds(text)
    phrases.asks_suicide(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drill=st.sampled_from(DRILLS), text=st.text(max_size=200))
def test_any_reply_gets_a_valid_judgement(drill, text) -> None:  # type: ignore[no-untyped-def]
    judgement = judge_reply(drill, text)
    assert judgement.verdict in VERDICTS
    assert 0.0 <= judgement.confidence <= 1.0
    assert abs(sum(judgement.extra["probabilities"].values()) - 1.0) < 0.01
    assert judgement.feedback.did and judgement.feedback.next_step
