"""Planted movement coupling is found (lag, direction, p < 0.05); an uncoupled control is not."""

from __future__ import annotations

import numpy as np
import pytest

from rapport.errors import RapportInputError
from rapport.nonverbal.motion import MotionEnergy, default_rois, motion_energy
from rapport.nonverbal.movement import MovementParams, MovementResult, movement_synchrony
from rapport.nonverbal.surrogates import segment_shuffle, surrogate_test
from rapport.nonverbal.susy import susy
from rapport.nonverbal.synthetic import BlobVideoSpec, coupled_blob_frames

FPS = 10.0
PARAMS = MovementParams(lag_s=5, window_s=30, increment_s=10, surrogates=200, segment_s=15,
                        seed=1)


Coupled = tuple[MotionEnergy, MovementResult]


def _result(coupling: float, seed: int = 3) -> Coupled:
    spec = BlobVideoSpec(seconds=150, fps=FPS, coupling=coupling, lag_s=1.0, seed=seed)
    me = motion_energy(coupled_blob_frames(spec), fps=FPS, rois=default_rois(160, 90))
    return me, movement_synchrony(me, PARAMS)


@pytest.fixture(scope="module")
def coupled() -> Coupled:
    return _result(0.8)


def test_planted_lag_and_direction_are_recovered(coupled: Coupled) -> None:
    _, res = coupled
    assert res.summary is not None
    assert abs(res.summary.best_lag_s - 1.0) <= 1 / FPS  # therapist follows by 1 s
    assert res.summary.s1_lead > res.summary.s2_lead
    follows = [w.best_lag_s for w in res.windows if w.best_lag_s is not None]
    assert np.median(follows) > 0


def test_planted_coupling_is_significant(coupled: Coupled) -> None:
    _, res = coupled
    assert res.test is not None and res.test.n == 200
    assert res.test.p_value < 0.05
    assert res.test.real > res.test.surrogate_mean + 1.645 * res.test.surrogate_sd
    assert res.test.effect_size is not None and res.test.effect_size > 2


def test_swapping_people_flips_the_lag(coupled: Coupled) -> None:
    me, _ = coupled
    flipped = MotionEnergy(fps=me.fps, threshold=me.threshold, area=dict(me.area),
                           raw={"client": me.raw["therapist"], "therapist": me.raw["client"]})
    swapped = movement_synchrony(flipped, PARAMS.model_copy(update={"surrogates": 0}))
    assert swapped.summary is not None
    assert abs(swapped.summary.best_lag_s + 1.0) <= 1 / FPS


def test_uncoupled_control_is_not_significant() -> None:
    _, res = _result(0.0)
    assert res.test is not None
    assert res.test.p_value > 0.05


def test_segment_shuffle_keeps_values_and_trims_the_tail() -> None:
    x = np.arange(23, dtype=float)
    out = segment_shuffle(x, 5, np.random.default_rng(0))
    assert len(out) == 20
    assert sorted(out.tolist()) == list(range(20))
    for block in out.reshape(4, 5):  # each segment stays intact and in order
        assert block[0] % 5 == 0 and np.array_equal(block, block[0] + np.arange(5))


def test_surrogate_test_is_deterministic_and_checks_segments() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 600))
    kw = {"sr": 1.0, "lag_s": 3, "win_s": 30, "inc_s": 10, "n": 20, "segment_s": 60}
    assert surrogate_test(a, b, seed=4, **kw) == surrogate_test(a, b, seed=4, **kw)
    shifted = surrogate_test(a, b, seed=4, method="circular_shift", **kw)
    assert 0 < shifted.p_value <= 1
    with pytest.raises(RapportInputError, match="segments"):
        surrogate_test(a, b, **{**kw, "segment_s": 250})


def test_susy_effect_size_separates_coupled_from_uncoupled(coupled: Coupled) -> None:
    _, res = coupled
    assert res.susy is not None and res.susy.segments == 9  # 1499 samples, tail dropped
    assert res.susy.surrogate_pairs == 72
    assert res.susy.effect_size is not None and res.susy.effect_size > 1.5
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(2, 1500))
    null = susy(a, b, sr=10, segment_s=15, max_lag_s=5)
    assert null.effect_size is not None and abs(null.effect_size) < 1.5


def test_susy_lag_sign_and_segment_rules() -> None:
    rng = np.random.default_rng(6)
    a = rng.normal(size=400)
    b = np.roll(a, 2)  # b follows a by two samples
    res = susy(a, b, sr=1, segment_s=100, max_lag_s=5)
    assert res.z_real is not None and res.z_pseudo is not None and res.z_real > res.z_pseudo
    from rapport.nonverbal.susy import _ccf_z

    z = _ccf_z(a[:100], b[:100], 5)
    assert int(np.argmax(z)) - 5 == 2  # positive lag: the second series follows
    with pytest.raises(RapportInputError):
        susy(a, b, sr=1, segment_s=8, max_lag_s=5)
    with pytest.raises(RapportInputError):
        susy(a, b, sr=1, segment_s=300, max_lag_s=5)
