"""Progress rules (rapport.practice.progress): examples, then Hypothesis properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.practice.progress import (
    GAPS,
    LAST_N,
    MIN_STYLE_N,
    TOP_BOX,
    AttemptOutcome,
    reply_style,
    skill_progress,
    suggest_next,
)

SKILLS = ("empathy", "validation", "autonomy", "boundaries")
DRILLS = [(f"{s}-{i:02d}", s) for s in SKILLS for i in range(1, 4)]
CODES = ("simple_reflection", "complex_reflection", "open_question", "closed_question",
         "affirm", "advice_without_permission")

attempts_st = st.lists(st.builds(
    lambda d, v, c: AttemptOutcome(d[0], d[1], v, tuple(c)),
    st.sampled_from(DRILLS), st.sampled_from(("met", "partly", "not_met")),
    st.lists(st.sampled_from(CODES), max_size=3)), max_size=40)


def a(drill: str, verdict: str, *codes: str) -> AttemptOutcome:
    return AttemptOutcome(drill, drill.rsplit("-", 1)[0], verdict, codes)


def test_share_met_counts_only_the_last_n() -> None:
    history = [a("empathy-01", "not_met")] * 3 + [a("empathy-02", "met")] * LAST_N
    (line,) = skill_progress(history, ("empathy",))
    assert (line.attempts, line.met_share, line.window) == (3 + LAST_N, 1.0, LAST_N)
    (line,) = skill_progress(history[:4], ("empathy",), last_n=2)
    assert line.met_share == 0.5


def test_untried_skill_has_no_share() -> None:
    (line,) = skill_progress([], ("empathy",))
    assert (line.attempts, line.met_share, line.box, line.status) == (0, None, 0,
                                                                       "not tried yet")


def test_style_is_too_few_under_ten_and_counts_codes() -> None:
    few = [a("empathy-01", "met", "complex_reflection", "open_question")] * 4
    assert reply_style(few).too_few and reply_style(few).ratio is None
    many = few + [a("empathy-02", "met", "simple_reflection")] * 2
    style = reply_style(many)
    assert (style.reflections, style.complex_reflections, style.questions) == (6, 4, 4)
    assert not style.too_few and style.ratio == 1.5
    assert style.complex_share == pytest.approx(4 / 6)


def test_missed_skill_comes_first_then_untried_then_met() -> None:
    history = [a("empathy-01", "met"), a("validation-01", "not_met")]
    picks = suggest_next(history, DRILLS, k=4)
    assert [p.rsplit("-", 1)[0] for p in picks] == ["validation", "autonomy", "boundaries",
                                                     "empathy"]
    assert picks[0] == "validation-02"  # the same skill, never the drill just done


def test_a_met_skill_comes_back_after_a_growing_gap() -> None:
    history: list[AttemptOutcome] = []
    gaps = []
    for _ in range(3):
        history.append(a("empathy-01", "met"))
        gaps.append(skill_progress(history, ("empathy",))[0].due_in)
    assert gaps[0] < gaps[1] < gaps[2]
    # once enough other attempts have passed, the met skill is due and comes back before
    # met skills that are not due yet
    history += [a("boundaries-01", "met")] * gaps[-1]
    history += [a("validation-01", "met"), a("autonomy-01", "met")]
    assert suggest_next(history[:-2 - gaps[-1]], DRILLS, k=4)[-1].startswith("empathy")
    picks = suggest_next(history, DRILLS, k=4)
    assert picks[0].startswith("empathy")


@given(attempts_st)
def test_shares_and_boxes_stay_in_range(history: list[AttemptOutcome]) -> None:
    lines = skill_progress(history, SKILLS)
    assert [line.skill for line in lines] == list(SKILLS)
    assert sum(line.attempts for line in lines) == len(history)
    for line in lines:
        assert 0 <= line.box <= TOP_BOX and 0 <= line.due_in <= GAPS[TOP_BOX]
        assert (line.met_share is None) == (line.attempts == 0)
        if line.met_share is not None:
            assert 0.0 <= line.met_share <= 1.0 and line.window == min(line.attempts, LAST_N)


@given(attempts_st, st.integers(1, 6))
def test_suggestions_are_real_distinct_and_never_the_drill_just_done(
        history: list[AttemptOutcome], k: int) -> None:
    picks = suggest_next(history, DRILLS, k=k)
    assert len(picks) == min(k, len(SKILLS))
    assert len(set(picks)) == len(picks)
    assert set(picks) <= {d for d, _ in DRILLS}
    assert len({p.rsplit("-", 1)[0] for p in picks}) == len(picks)  # one per skill
    if history:
        assert history[-1].drill_id not in picks


@given(attempts_st)
def test_missed_and_untried_skills_come_before_met_ones(history: list[AttemptOutcome]
                                                        ) -> None:
    lines = {line.skill: line for line in skill_progress(history, SKILLS)}
    picks = [p.rsplit("-", 1)[0] for p in suggest_next(history, DRILLS, k=len(SKILLS))]
    ranks = [0 if lines[s].box == 1 else 1 if lines[s].box == 0 else 2 for s in picks]
    assert ranks == sorted(ranks)


@given(attempts_st)
def test_a_skill_is_judged_by_its_own_attempts_only(history: list[AttemptOutcome]) -> None:
    alone = [h for h in history if h.skill == "empathy"]
    with_others = skill_progress(history, SKILLS)[0]
    by_itself = skill_progress(alone, SKILLS)[0]
    assert (with_others.attempts, with_others.met_share, with_others.box) == (
        by_itself.attempts, by_itself.met_share, by_itself.box)


@given(attempts_st)
def test_style_counts_match_the_codes(history: list[AttemptOutcome]) -> None:
    style = reply_style(history)
    codes = [c for h in history for c in h.codes]
    assert style.reflections == codes.count("simple_reflection") + codes.count(
        "complex_reflection")
    assert style.too_few == (style.reflections + style.questions < MIN_STYLE_N)
    if style.complex_share is not None:
        assert 0.0 <= style.complex_share <= 1.0
