"""The feedback-threshold rule of the relationship coder (issue 22), and what reports say
about the codes it leaves out: properties and cases."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from rapport.coding.relationship.codes import ALL_CODES, CODE_LABELS
from rapport.coding.relationship.feedback import (
    MODEL_IDS,
    codes_note,
    feedback_codes_note,
    feedback_thresholds,
    not_used_note,
)
from rapport.coding.relationship.heldout import HeldOut
from rapport.coding.relationship.threshold import (
    CANDIDATES,
    DECISION,
    FEEDBACK_MIN_SUPPORT,
    FEEDBACK_PRECISION,
    Z_ONE_SIDED_90,
    feedback_threshold,
    first_passing,
    wilson_lower_bound,
)

# turns as (P(code), gold label, inner fold); probabilities on a 0.01 grid so that many
# turns share a candidate threshold's neighbourhood
turn = st.tuples(st.integers(0, 100).map(lambda v: v / 100), st.booleans(),
                 st.integers(0, 4))
turns = st.lists(turn, max_size=160)


def arrays(rows: list[tuple[float, bool, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = np.array([r[0] for r in rows], dtype=float)
    y = np.array([r[1] for r in rows], dtype=bool)
    folds = np.array([r[2] for r in rows], dtype=int)
    return y, p, folds


def confident(rows: list[tuple[float, bool, int]]) -> list[tuple[float, bool, int]]:
    # mostly right above 0.6: enough turns where the rule can pass, so the properties
    # are exercised on thresholds and not only on None
    return [(p, y or (p >= 0.6 and i % 7 != 0), f) for i, (p, y, f) in enumerate(rows)]


@settings(max_examples=200, deadline=None)
@given(turns)
def test_a_threshold_is_a_candidate_never_below_the_decision(rows: list) -> None:
    for data in (rows, confident(rows)):
        y, p, folds = arrays(data)
        cut = feedback_threshold(y, p, folds)
        assert cut is None or (cut >= DECISION and cut in CANDIDATES)


@settings(max_examples=200, deadline=None)
@given(turns)
def test_the_bound_holds_where_a_threshold_is_given(rows: list) -> None:
    y, p, folds = arrays(confident(rows))
    cut = feedback_threshold(y, p, folds)
    if cut is not None:
        hit = p >= cut
        assert hit.sum() >= FEEDBACK_MIN_SUPPORT
        assert wilson_lower_bound(int((y & hit).sum()), int(hit.sum())) >= FEEDBACK_PRECISION
        for f in np.unique(folds):  # and with each fold left out
            rest = folds != f
            assert wilson_lower_bound(int((y & hit)[rest].sum()), int(hit[rest].sum())) \
                >= FEEDBACK_PRECISION


@settings(max_examples=200, deadline=None)
@given(turns, st.data())
def test_one_more_right_prediction_never_raises_or_removes_a_threshold(
        rows: list, data: st.DataObject) -> None:
    y, p, folds = arrays(confident(rows))
    wrong = np.flatnonzero(~y)
    if not len(wrong):
        return
    before = feedback_threshold(y, p, folds)
    better = y.copy()
    better[data.draw(st.sampled_from(wrong.tolist()))] = True
    after = feedback_threshold(better, p, folds)
    if before is not None:
        assert after is not None and after <= before


@settings(max_examples=200, deadline=None)
@given(turns, st.sampled_from([0.6, 0.65, 0.7, 0.75, 0.8]))
def test_a_higher_bar_never_lowers_the_threshold(rows: list, bar: float) -> None:
    y, p, folds = arrays(confident(rows))
    strict = feedback_threshold(y, p, folds, precision=bar + 0.05)
    lenient = feedback_threshold(y, p, folds, precision=bar)
    if strict is not None:
        assert lenient is not None and lenient <= strict


@settings(max_examples=200, deadline=None)
@given(turns)
def test_the_new_rule_is_never_laxer_than_the_old_nor_the_fold_check_than_none(
        rows: list) -> None:
    y, p, folds = arrays(confident(rows))
    new, pooled_only, old = (feedback_threshold(y, p, folds), feedback_threshold(y, p),
                             first_passing(y, p))
    # a lower bound never exceeds the observed precision; the fold check only removes
    assert new is None or (pooled_only is not None and new >= pooled_only)
    assert pooled_only is None or (old is not None and pooled_only >= old)


@settings(max_examples=100, deadline=None)
@given(turns)
def test_none_when_the_gold_has_too_few_positives(rows: list) -> None:
    y, p, folds = arrays(rows)
    keep = np.flatnonzero(y)[: FEEDBACK_MIN_SUPPORT - 1]
    few = np.zeros_like(y)
    few[keep] = True
    assert feedback_threshold(few, p, folds) is None


def test_none_when_fewer_turns_are_predicted_than_the_minimum() -> None:
    # 9 sure, right predictions and plenty of gold positives below the decision
    y = np.array([True] * 9 + [True] * 20)
    p = np.array([0.99] * 9 + [0.1] * 20)
    assert feedback_threshold(y, p) is None
    assert first_passing(y, p) is None


def test_seven_right_of_ten_passed_the_old_rule_and_fails_the_new() -> None:
    y = np.array([True] * 7 + [False] * 3 + [True] * 10)
    p = np.array([0.8] * 10 + [0.2] * 10)
    assert first_passing(y, p) == DECISION  # observed precision 0.70 on 10 turns
    assert feedback_threshold(y, p) is None  # lower bound 0.50
    # 18 of 20 is enough evidence for both
    y2 = np.array([True] * 18 + [False] * 2 + [True] * 10)
    p2 = np.array([0.8] * 20 + [0.2] * 10)
    assert feedback_threshold(y2, p2) == first_passing(y2, p2) == DECISION


def test_a_pass_carried_by_one_fold_is_refused() -> None:
    # fold 0: 30 right of 30; folds 1-4: 2 right of 4 each. Pooled 38 of 46 passes the
    # bound, but without fold 0 the rest (8 of 16) does not: one group of videos carries it
    y = np.array([True] * 30 + [True, True, False, False] * 4 + [True] * 10)
    p = np.array([0.9] * 46 + [0.1] * 10)
    folds = np.array([0] * 30 + [f for f in (1, 2, 3, 4) for _ in range(4)] + [0] * 10)
    assert feedback_threshold(y, p) == DECISION
    assert feedback_threshold(y, p, folds) is None
    spread = np.array([f % 5 for f in range(56)])  # the same turns spread over the folds
    assert feedback_threshold(y, p, spread) == DECISION


@pytest.mark.parametrize(("right", "n"), [(0, 1), (7, 10), (18, 20), (50, 50), (3, 200)])
def test_wilson_bound_is_below_the_share_and_uses_the_one_sided_90_quantile(
        right: int, n: int) -> None:
    assert pytest.approx(norm.ppf(0.90), abs=1e-12) == Z_ONE_SIDED_90
    low = wilson_lower_bound(right, n)
    assert 0.0 <= low <= right / n
    assert wilson_lower_bound(right * 4, n * 4) >= low  # more of the same: tighter
    assert wilson_lower_bound(0, 0) == 0.0


def test_the_report_says_plainly_when_no_relationship_code_drives_feedback() -> None:
    none = codes_note(dict.fromkeys(ALL_CODES), None)
    assert none.startswith("relationship codes are not used for feedback: no code was shown")
    assert "listed as codes only" in none
    # a code used for feedback has passed the held-out check too (heldout.py)
    some = codes_note({**dict.fromkeys(ALL_CODES), "seek_collaboration": 0.95},
                      {"seek_collaboration": HeldOut(right=18, predicted=20)})
    assert "used for feedback: seeking collaboration (when the coder is at least 95% sure)" \
        in some
    assert "affirm" not in some  # only the codes that drive feedback are named
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", none + some)  # words, not code names


@pytest.mark.parametrize("source", sorted(MODEL_IDS))
def test_every_shipped_model_notes_exactly_its_feedback_codes(source: str) -> None:
    cuts = feedback_thresholds(source)
    note = feedback_codes_note(source)
    for code, cut in cuts.items():
        assert (f"{CODE_LABELS[code]} (when" in note) == (cut is not None), (source, code)
    rupture = not_used_note(("withdrawal", "confrontation"), "rupture episodes", source)
    if rupture is not None:  # counts said as they are, never a precision "below the bar"
        assert re.search(r"pulling back \(withdrawal\) (right \d+ of \d+ times?|never coded)",
                         rupture)
