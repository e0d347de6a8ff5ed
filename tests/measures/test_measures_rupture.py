"""V-shaped rupture-repair detection (docs/measures.md 2.4)."""

from __future__ import annotations

import random

import pytest

from rapport.measures import RuptureSettings, detect_ruptures


def _points(values: list[float]) -> list[tuple[int, float]]:
    return list(enumerate(values, 1))


def test_a_planted_rupture_then_repair_is_found() -> None:
    values = [38, 39, 38, 39, 38, 30, 35, 39, 38]
    events = detect_ruptures(_points(values), RuptureSettings(), min_drop=2)
    assert len(events) == 1
    event = events[0]
    # baseline = mean(38, 39, 38) = 38.333; sd of 38,39,38,39,38 = 0.5477
    assert event.rupture_session == 6 and event.score == 30
    assert event.baseline == pytest.approx(115 / 3)
    assert event.sd_ref == pytest.approx(0.5477, abs=1e-4)
    assert event.drop == pytest.approx(115 / 3 - 30)
    assert event.threshold == 2  # the floor beats 2 x 0.55
    # 35 is not back (target 38.333 - 0.274); 39 at session 8 is
    assert event.status == "repaired" and event.repair_session == 8


def test_flat_series_has_no_rupture() -> None:
    assert detect_ruptures(_points([40.0] * 10), RuptureSettings(threshold_sd=1)) == []


def test_flat_history_with_a_small_dip_is_left_to_the_floor() -> None:
    values = [40, 40, 40, 40, 39, 40]
    assert detect_ruptures(_points(values), RuptureSettings(), min_drop=2) == []
    assert len(detect_ruptures(_points(values), RuptureSettings(), min_drop=1)) == 1


def test_one_sd_is_more_sensitive_than_two() -> None:
    # history SD = 1.0 (30, 32, 30, 32 -> sample SD 1.155); a dip of 1.5 SD
    values = [30, 32, 30, 32, 29.3, 32]
    strict = detect_ruptures(_points(values), RuptureSettings(threshold_sd=2))
    sensitive = detect_ruptures(_points(values), RuptureSettings(threshold_sd=1))
    assert strict == []
    assert [e.rupture_session for e in sensitive] == [5]
    assert sensitive[0].threshold == pytest.approx(1.1547, abs=1e-4)


def test_noisy_series_flags_more_at_one_sd() -> None:
    rng = random.Random(7)
    values = [35 + rng.gauss(0, 2) for _ in range(40)]
    strict = detect_ruptures(_points(values), RuptureSettings(threshold_sd=2))
    sensitive = detect_ruptures(_points(values), RuptureSettings(threshold_sd=1))
    assert len(sensitive) > len(strict)
    for event in strict:
        assert event.drop >= 2 * event.sd_ref


def test_unrepaired_and_open_ruptures() -> None:
    unrepaired = detect_ruptures(_points([40, 41, 40, 41, 30, 31, 32, 31]),
                                 RuptureSettings(repair_within=3), min_drop=2)
    assert [(e.status, e.repair_session) for e in unrepaired] == [("unrepaired", None)]
    still_open = detect_ruptures(_points([40, 41, 40, 41, 30, 31]),
                                 RuptureSettings(repair_within=3), min_drop=2)
    assert [e.status for e in still_open] == ["open"]


def test_needs_min_prior_sessions() -> None:
    assert detect_ruptures(_points([40, 41, 20]), RuptureSettings(min_prior=3)) == []
    assert len(detect_ruptures(_points([40, 41, 20, 41]), RuptureSettings(min_prior=2))) == 1


def test_between_client_sd_makes_it_stricter() -> None:
    values = [38, 39, 38, 39, 34, 39]
    assert len(detect_ruptures(_points(values), RuptureSettings())) == 1
    assert detect_ruptures(_points(values), RuptureSettings(sd_between=3.0)) == []


def test_lower_is_better_scales_are_mirrored() -> None:
    values = [10, 11, 10, 11, 20, 10]
    events = detect_ruptures(_points(values), RuptureSettings(), higher_is_better=False)
    assert [(e.rupture_session, e.score, e.repair_session) for e in events] == [(5, 20, 6)]
