"""Jacobson-Truax reliable and clinically significant change, against hand computations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.measures import classify_change, criteria, get_instrument
from rapport.measures.schema import ReliableChange


@pytest.mark.parametrize(("before", "after", "category", "rci"), [
    (18, 8, "recovered", -10 / (6 / 1.96)),   # -10 >= 6 and crossed 10 -> 9 or below
    (18, 12, "improved", -6 / (6 / 1.96)),    # exactly the threshold, still clinical
    (8, 2, "improved", -6 / (6 / 1.96)),      # started below the cut-off: cannot recover
    (18, 13, "unchanged", -5 / (6 / 1.96)),
    (12, 18, "deteriorated", 6 / (6 / 1.96)),
    (12, 12, "unchanged", 0.0),
])
def test_phq9_categories(before: float, after: float, category: str, rci: float) -> None:
    change = classify_change(get_instrument("phq9"), before, after)
    assert change.category == category
    assert change.rci == pytest.approx(rci)
    assert change.min_raw_change == 6


def test_higher_is_better_instrument() -> None:
    # WHO-5: raw < 13 is poor; reliable change by Jacobson-Truax = 4.57 raw points
    who5 = get_instrument("who5")
    assert classify_change(who5, 10, 15).category == "recovered"
    assert classify_change(who5, 14, 19).category == "improved"
    assert classify_change(who5, 14, 12).category == "unchanged"
    assert classify_change(who5, 14, 9).category == "deteriorated"
    assert classify_change(who5, 10, 14).improvement == 4


def test_reliability_and_sd_give_the_jacobson_truax_threshold() -> None:
    # CORE-10 worked example of docs/measures.md 2.1: alpha .90, clinical SD 7.7 -> 6.75
    rc = ReliableChange(reliability=0.90, sd=7.7, source="worked example")
    se = 7.7 * math.sqrt(0.1)
    assert rc.s_diff == pytest.approx(math.sqrt(2) * se)
    assert rc.min_raw_change == pytest.approx(6.75, abs=0.005)
    # PHQ-9 with SD 5 and r .84 -> 5.5 (docs/measures.md 2.1)
    assert ReliableChange(reliability=0.84, sd=5, source="x").min_raw_change == pytest.approx(
        5.54, abs=0.01)


def test_local_threshold_overrides_the_instrument() -> None:
    local = ReliableChange(reliability=0.84, sd=5, source="clinic")
    change = classify_change(get_instrument("phq9"), 18, 12.4, reliable_change=local)
    assert change.category == "improved" and change.min_raw_change == pytest.approx(5.54, 0.01)


def test_no_threshold_means_no_category() -> None:
    change = classify_change(get_instrument("wai_sr"), 40, 50)
    assert change.category is None and change.reliable is None and change.rci is None
    assert "no reliable-change threshold" in (change.note or "")


def test_criteria_worked_example() -> None:
    c = criteria(clinical_mean=19.7, clinical_sd=7.7, normal_mean=4.7, normal_sd=4.8)
    assert (c.a, c.b) == (pytest.approx(4.3), pytest.approx(14.3))
    assert c.c == pytest.approx((7.7 * 4.7 + 4.8 * 19.7) / 12.5)
    assert round(c.c, 2) == 10.46
    better = criteria(clinical_mean=40, clinical_sd=10, normal_mean=70, normal_sd=15,
                      higher_is_worse=False)
    assert (better.a, better.b) == (60, 40)


totals = st.integers(min_value=0, max_value=27)


@given(totals, totals)
def test_rci_is_antisymmetric(before: int, after: int) -> None:
    phq9 = get_instrument("phq9")
    forward = classify_change(phq9, before, after)
    backward = classify_change(phq9, after, before)
    assert forward.rci == pytest.approx(-(backward.rci or 0.0))
    assert forward.reliable == backward.reliable
    if forward.category == "deteriorated":
        assert backward.category in {"improved", "recovered"}


@given(totals, totals)
def test_categories_follow_the_definitions(before: int, after: int) -> None:
    change = classify_change(get_instrument("phq9"), before, after)
    assert change.reliable == (abs(after - before) >= 6)
    if change.category == "recovered":
        assert before >= 10 > after
