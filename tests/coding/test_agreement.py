"""Agreement statistics: hand-computed values and invariants."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.agreement import (
    calibration_noise_floor,
    cohen_kappa,
    confusion_matrix,
    expected_calibration_error,
    fleiss_kappa,
    krippendorff_alpha,
    macro_f1,
    per_label_scores,
    undefined_agreement,
)

labels = st.sampled_from(["a", "b", "c"])
codings = st.lists(st.tuples(labels, labels), min_size=1, max_size=40)


def test_cohen_kappa_by_hand() -> None:
    # observed 0.75; chance (2*1 + 2*3) / 16 = 0.5; kappa = 0.25 / 0.5
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx(0.5)
    # complete disagreement with balanced marginals is below chance
    assert cohen_kappa(["a", "b"], ["b", "a"]) == pytest.approx(-1.0)


def test_cohen_kappa_drops_missing_pairs() -> None:
    assert cohen_kappa(["a", None, "b"], ["a", "b", "b"]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="length"):
        cohen_kappa(["a"], ["a", "b"])


def test_krippendorff_alpha_textbook_example() -> None:
    # Krippendorff (2011) nominal example with missing values: alpha = 0.743
    c1 = [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None]
    c2 = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3]
    c3 = [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None]
    c4 = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]
    assert krippendorff_alpha([c1, c2, c3, c4]) == pytest.approx(0.743, abs=0.001)


def test_fleiss_kappa_by_hand() -> None:
    # two units, three raters: (a,a,a) and (a,b,b)
    # P_i = (1 + 1/3) / 2 = 2/3; p_a = 4/6, p_b = 2/6; P_e = 5/9; kappa = (2/3-5/9)/(4/9)
    value = fleiss_kappa([["a", "a"], ["a", "b"], ["a", "b"]])
    assert value == pytest.approx((2 / 3 - 5 / 9) / (4 / 9))


def test_per_label_scores_and_confusion() -> None:
    truth = ["x", "x", "y", "y", "y"]
    pred = ["x", "y", "y", "y", "x"]
    cm = confusion_matrix(truth, pred, ["x", "y"])
    assert cm.tolist() == [[1, 1], [1, 2]]
    x, y = per_label_scores(truth, pred, ["x", "y"])
    assert (x.precision, x.recall, x.support) == (0.5, 0.5, 2)
    assert y.f1 == pytest.approx(2 / 3)
    assert macro_f1(truth, pred, ["x", "y"]) == pytest.approx((0.5 + 2 / 3) / 2)


def test_ece_by_hand() -> None:
    # one bin at 0.9 with 50% accuracy -> 0.4; one at 0.15 always right -> 0.85
    ece = expected_calibration_error([0.9, 0.9, 0.15, 0.15], [True, False, True, True])
    assert ece == pytest.approx((2 * 0.4 + 2 * 0.85) / 4)
    assert expected_calibration_error([], []) == 0.0


@given(codings)
def test_kappa_of_identical_codings_is_one(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    if len(set(a)) == 1:  # no variation: undefined, not perfect (Cohen 1960)
        assert math.isnan(cohen_kappa(a, a)) and math.isnan(krippendorff_alpha([a, a]))
        return
    assert cohen_kappa(a, a) == pytest.approx(1.0)
    assert krippendorff_alpha([a, a]) == pytest.approx(1.0)


@given(codings)
def test_kappa_symmetric_and_in_range(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    k = cohen_kappa(a, b)
    alpha = krippendorff_alpha([a, b])
    if undefined_agreement(a, b) is not None:
        assert math.isnan(k) and math.isnan(alpha)
        return
    assert k == pytest.approx(cohen_kappa(b, a))
    assert -1.0 - 1e-9 <= k <= 1.0 + 1e-9
    assert math.isfinite(alpha)
    assert alpha <= 1.0 + 1e-9
    assert krippendorff_alpha([a, b]) == pytest.approx(krippendorff_alpha([b, a]))


@given(st.lists(st.tuples(st.none() | labels, st.none() | labels), max_size=40))
def test_kappa_and_alpha_undefined_iff_both_use_one_identical_label(
        pairs: list[tuple[str | None, str | None]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    both = [(x, y) for x, y in pairs if x is not None and y is not None]
    single = {v for p in both for v in p}
    undefined = not both or len(single) == 1
    assert math.isnan(cohen_kappa(a, b)) == undefined
    assert math.isnan(krippendorff_alpha([a, b])) == undefined
    assert (undefined_agreement(a, b) is not None) == undefined
    if not undefined:
        assert -1.0 - 1e-9 <= cohen_kappa(a, b) <= 1.0 + 1e-9
        assert -1.0 - 1e-9 <= krippendorff_alpha([a, b]) <= 1.0 + 1e-9


def test_one_label_used_throughout_is_undefined_not_perfect() -> None:
    # a code neither coder gave: every unit "0" on both sides
    zeros = ["0"] * 16
    assert math.isnan(cohen_kappa(zeros, zeros))
    assert math.isnan(krippendorff_alpha([zeros, zeros]))
    assert math.isnan(fleiss_kappa([zeros, zeros, zeros]))
    assert undefined_agreement(zeros, zeros) == 'only one value used by both coders ("0")'
    assert undefined_agreement([], []) == "no unit coded by both coders"
    assert math.isnan(cohen_kappa([], []))
    assert math.isnan(krippendorff_alpha([[None, "a"], ["b", None]]))
    # each coder used one label but not the same one: defined, and no better than chance
    assert cohen_kappa(["0"] * 4, ["1"] * 4) == 0.0
    assert undefined_agreement(["0"] * 4, ["1"] * 4) is None


@given(codings)
def test_confusion_matrix_counts_every_pair(pairs: list[tuple[str, str]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    cm = confusion_matrix(a, b, ["a", "b", "c"])
    assert cm.sum() == len(pairs)
    assert 0.0 <= macro_f1(a, b, ["a", "b", "c"]) <= 1.0


@given(st.lists(st.tuples(st.floats(0, 1), st.booleans()), max_size=50))
def test_ece_in_unit_interval(rows: list[tuple[float, bool]]) -> None:
    ece = expected_calibration_error([c for c, _ in rows], [h for _, h in rows])
    assert 0.0 <= ece <= 1.0


def test_calibration_noise_floor_is_zero_for_certain_rows_and_shrinks_with_rows() -> None:
    # a coder sure of every row, and right as often as it is sure, never misses
    assert calibration_noise_floor([1.0] * 50) == (0.0, 0.0)
    assert calibration_noise_floor([]) == (0.0, 0.0)
    # confidences spread as a real coder's: the floor falls about as 1/sqrt(n)
    few = calibration_noise_floor([0.55, 0.65, 0.75, 0.85, 0.95] * 20, draws=500)
    many = calibration_noise_floor([0.55, 0.65, 0.75, 0.85, 0.95] * 2000, draws=200)
    assert 0.02 < few[0] < 0.08 and few[0] <= few[1]
    assert many[0] < few[0] / 5
    assert calibration_noise_floor([0.7] * 30, seed=3) == calibration_noise_floor([0.7] * 30,
                                                                                  seed=3)


@given(st.lists(st.floats(0.0, 1.0), min_size=1, max_size=60))
def test_calibration_noise_floor_is_a_proper_ece(confidence: list[float]) -> None:
    mean, high = calibration_noise_floor(confidence, draws=50)
    assert 0.0 <= mean <= 1.0 and 0.0 <= high <= 1.0
