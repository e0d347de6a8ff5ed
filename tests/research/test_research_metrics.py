"""Agreement metrics against published worked examples, and their invariants (Hypothesis)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from rapport.coding.agreement import cohen_kappa, krippendorff_alpha
from rapport.research.icc import icc_2_1, icc_3_1, mean_squares

# Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
# reliability. Psychological Bulletin 86(2), 420-428, Table 2: 6 targets x 4 judges.
# The paper reports ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71 and, in Table 3,
# BMS = 11.24, JMS = 32.49, EMS = 1.02.
SHROUT_FLEISS = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9],
                 [6, 2, 4, 7]]

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. University of
# Pennsylvania, ScholarlyCommons (Departmental Papers, ASC). Example C: four observers,
# twelve units, missing values (None); nominal alpha = 0.743.
N = None
KRIPPENDORFF_C = [[1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
                  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
                  [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
                  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]]
# Same source, example A: two observers, binary data, ten units; alpha = 0.095.
KRIPPENDORFF_A = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
                  [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]


def test_icc_matches_shrout_fleiss_table_2() -> None:
    ms = mean_squares(SHROUT_FLEISS)
    assert (round(ms.between_targets, 2), round(ms.between_raters, 2),
            round(ms.residual, 2)) == (11.24, 32.49, 1.02)
    assert round(icc_2_1(SHROUT_FLEISS) or 0, 2) == 0.29
    assert round(icc_3_1(SHROUT_FLEISS) or 0, 2) == 0.71


def test_alpha_matches_krippendorff_2011_examples() -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_C), 3) == 0.743
    assert round(krippendorff_alpha(KRIPPENDORFF_A), 3) == 0.095


def test_kappa_matches_textbook_two_by_two() -> None:
    # Cohen's kappa, worked example of the Wikipedia article "Cohen's kappa": 50 units,
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


LABELS = st.sampled_from(["open", "closed", "reflection", "other"])
CODINGS = st.lists(st.tuples(LABELS, LABELS), min_size=2, max_size=60)


@given(CODINGS)
def test_kappa_agrees_with_scikit_learn_and_is_symmetric(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    ours = cohen_kappa(a, b)
    if len(set(a) | set(b)) == 1:  # a single shared label: undefined, as scikit-learn says
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # its UndefinedMetricWarning is the point here
            assert math.isnan(ours) and math.isnan(cohen_kappa_score(a, b))
        return
    assert ours == pytest.approx(cohen_kappa(b, a))
    assert -1.0 <= ours <= 1.0
    assert ours == pytest.approx(cohen_kappa_score(a, b))


@given(st.lists(LABELS, min_size=2, max_size=60))
def test_identical_codings_agree_perfectly(labels: list[str]) -> None:
    assume(len(set(labels)) > 1)
    assert cohen_kappa(labels, labels) == 1.0
    assert krippendorff_alpha([labels, labels]) == 1.0


@given(CODINGS)
def test_alpha_is_symmetric_and_at_most_one(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    alpha = krippendorff_alpha([a, b])
    if len(set(a) | set(b)) == 1:  # no variation: alpha is undefined (Krippendorff 2011)
        assert math.isnan(alpha)
        return
    assert alpha == pytest.approx(krippendorff_alpha([b, a]))
    assert alpha <= 1.0 + 1e-12


# Whole numbers (as ratings scales are) keep the ANOVA free of cancellation noise.
SCORES = st.integers(-100, 100).map(float)
MATRICES = st.integers(2, 12).flatmap(
    lambda n: st.lists(st.lists(SCORES, min_size=2, max_size=2), min_size=n, max_size=n))


@given(st.lists(SCORES, min_size=2, max_size=30))
def test_icc_of_identical_ratings_is_one(scores: list[float]) -> None:
    assume(max(scores) > min(scores))
    ratings = [[s, s] for s in scores]
    assert icc_2_1(ratings) == pytest.approx(1.0)
    assert icc_3_1(ratings) == pytest.approx(1.0)


@given(MATRICES)
def test_icc_is_bounded_and_ignores_rater_order(ratings: list[list[float]]) -> None:
    swapped = [[b, a] for a, b in ratings]
    for icc in (icc_2_1, icc_3_1):
        value = icc(ratings)
        if value is None:
            continue
        assert value <= 1.0 + 1e-9
        if icc is icc_3_1:  # -1/(k-1); ICC(2,1) has no such floor when JMS < EMS
            assert value >= -1.0 - 1e-9
        assert value == pytest.approx(icc(swapped), abs=1e-9)


@given(MATRICES, st.integers(-50, 50).map(float))
def test_icc3_ignores_an_offset_that_icc2_penalises(ratings: list[list[float]],
                                                    offset: float) -> None:
    consistent = icc_3_1(ratings)
    shifted = [[a, b + offset] for a, b in ratings]
    assume(consistent is not None and offset != 0)
    assert icc_3_1(shifted) == pytest.approx(consistent, abs=1e-6)
    same = [[a, a] for a, _ in ratings]
    assume(np.ptp([a for a, _ in ratings]) > 0)
    offset_only = [[a, a + offset] for a, _ in same]
    absolute = icc_2_1(offset_only)
    assert absolute is not None
    assert absolute < 1.0
    assert icc_3_1(offset_only) == pytest.approx(1.0)


def test_icc_is_undefined_without_variance_or_targets() -> None:
    assert icc_2_1([[3, 3], [3, 3]]) is None
    assert icc_3_1([[1, 2]]) is None
    assert not math.isnan(icc_2_1([[1, 2], [2, 1]]) or 0.0)
