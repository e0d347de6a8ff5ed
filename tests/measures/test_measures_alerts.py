"""Not-on-track, alliance and safety alerts; the progress report on the demo clients."""

from __future__ import annotations

import datetime as dt
import math
import random

import pytest

from rapport.errors import RapportInputError
from rapport.measures import (
    Administration,
    AllianceRules,
    ExpectedChangeModel,
    NotOnTrackRules,
    RuptureSettings,
    alliance_alerts,
    chart,
    get_instrument,
    not_on_track_alerts,
    progress,
    score,
)
from rapport.measures.demo import demo_administrations, demo_records
from rapport.measures.scoring import answers_from_list


def _phq9(session: int, total: int, item9: int = 0) -> Administration:
    phq9 = get_instrument("phq9")
    values: list[float | None] = [0.0] * 8 + [float(item9)]
    remaining = total - item9
    for index in range(8):
        values[index] = float(min(3, remaining))
        remaining -= min(3, remaining)
    assert remaining == 0
    return Administration(session=session, score=score(phq9, answers_from_list(phq9, values)))


def _srs(session: int, total: float) -> Administration:
    srs = get_instrument("srs")
    quarter = round(total / 4, 1)
    values = [quarter, quarter, quarter, round(total - 3 * quarter, 1)]
    return Administration(session=session, score=score(srs, dict(zip(srs.item_ids, values,
                                                                   strict=True))))


def _rules(alerts: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(a.rule, a.session) for a in alerts]


def test_reliable_deterioration_names_the_numbers() -> None:
    admins = [_phq9(1, 10), _phq9(2, 15), _phq9(3, 16)]
    alerts = not_on_track_alerts(get_instrument("phq9"), admins,
                                 NotOnTrackRules(no_improvement_by_session=None))
    assert _rules(alerts) == [("not_on_track.reliable_deterioration", 3)]
    assert alerts[0].numbers == {"intake": 10, "score": 16, "change": 6,
                                 "reliable_change_points": 6}
    assert "+6" in alerts[0].message and "threshold 6" in alerts[0].message


def test_no_reliable_improvement_by_session_n() -> None:
    admins = [_phq9(1, 16), _phq9(2, 15), _phq9(4, 13), _phq9(5, 9)]
    rules = NotOnTrackRules(reliable_deterioration=False, no_improvement_by_session=4)
    alerts = not_on_track_alerts(get_instrument("phq9"), admins, rules)
    # session 4: 16 -> 13 is not reliable; session 5: 16 -> 9 is
    assert _rules(alerts) == [("not_on_track.no_reliable_improvement", 4)]
    assert alerts[0].numbers["by_session"] == 4
    assert not_on_track_alerts(get_instrument("phq9"), admins,
                               NotOnTrackRules(reliable_deterioration=False,
                                               no_improvement_by_session=None)) == []


def _synthetic_trajectories(n: int, seed: int = 3) -> dict[str, list[tuple[int, float]]]:
    # score = 2 + 0.9 * intake + (-1 - 0.1 * intake) * log(session) + noise(SD 1)
    rng = random.Random(seed)
    data = {}
    for client in range(n):
        intake = rng.uniform(8, 24)
        data[f"c{client}"] = [(1, intake)] + [
            (s, 2 + 0.9 * intake + (-1 - 0.1 * intake) * math.log(s) + rng.gauss(0, 1))
            for s in range(2, 9)]
    return data


def test_expected_change_model_recovers_its_curve() -> None:
    model = ExpectedChangeModel(min_clients=30, z=1.28).fit(_synthetic_trajectories(200))
    assert model.n_clients_ == 200 and model.n_scores_ == 200 * 7
    # the intercept is extrapolated to intake 0, so it is the least precise coefficient
    for got, true, tolerance in zip(model.coef_, [2, 0.9, -1, -0.1], [0.6, 0.05, 0.4, 0.03],
                                    strict=True):
        assert abs(got - true) < tolerance
    assert model.resid_sd_ == pytest.approx(1.0, abs=0.15)
    expected = 2 + 0.9 * 20 + (-1 - 2) * math.log(6)
    assert model.predict(20, 6) == pytest.approx(expected, abs=0.5)
    low, high = model.band(20, 6)
    assert high - low == pytest.approx(2 * 1.28 * model.resid_sd_)


def test_expected_change_model_refuses_too_few_clients() -> None:
    with pytest.raises(RapportInputError, match="only 10 clients") as err:
        ExpectedChangeModel(min_clients=30).fit(_synthetic_trajectories(10))
    assert err.value.code == "not_enough_data"


def test_outside_expected_band_alert() -> None:
    model = ExpectedChangeModel(min_clients=30).fit(_synthetic_trajectories(60))
    on_track = [_phq9(1, 20), _phq9(2, 18), _phq9(3, 16)]
    off_track = [_phq9(1, 20), _phq9(2, 18), _phq9(3, 22)]
    rules = NotOnTrackRules(reliable_deterioration=False, no_improvement_by_session=None)
    phq9 = get_instrument("phq9")
    assert not_on_track_alerts(phq9, on_track, rules, expected=model) == []
    alerts = not_on_track_alerts(phq9, off_track, rules, expected=model)
    assert _rules(alerts) == [("not_on_track.outside_expected_band", 3)]
    numbers = alerts[0].numbers
    assert numbers["score"] > numbers["band_high"] and numbers["z"] == 1.28


def test_alliance_below_cut_off_and_drop() -> None:
    srs = get_instrument("srs")
    admins = [_srs(1, 38), _srs(2, 37.5), _srs(3, 35.2), _srs(4, 36.5)]
    alerts = alliance_alerts(srs, admins)
    assert ("alliance.below_cut_off", 3) in _rules(alerts)
    drop = next(a for a in alerts if a.rule == "alliance.drop")
    assert drop.session == 3
    assert drop.numbers["previous"] == 37.5 and drop.numbers["score"] == 35.2
    assert drop.numbers["drop"] == pytest.approx(2.3) and drop.numbers["rule_points"] == 1
    # session 2 fell only 0.5 < 1 point; a custom rule of 3 points silences session 3
    assert ("alliance.drop", 2) not in _rules(alerts)
    custom = alliance_alerts(srs, admins, AllianceRules(drop_points=3, below_cut_off=False))
    assert [a for a in custom if a.rule in {"alliance.drop", "alliance.below_cut_off"}] == []


def test_rupture_alerts_name_the_rule() -> None:
    srs = get_instrument("srs")
    admins = [_srs(s, t) for s, t in enumerate([38, 39, 38, 39, 31, 32, 31, 32], 1)]
    alerts = alliance_alerts(srs, admins, AllianceRules(rupture=RuptureSettings(threshold_sd=1)))
    unrepaired = [a for a in alerts if a.rule == "alliance.rupture_unrepaired"]
    assert len(unrepaired) == 1 and unrepaired[0].session == 5
    assert unrepaired[0].numbers["threshold_sd"] == 1


def test_demo_clients_show_each_pattern() -> None:
    demo = demo_administrations()
    phq9, checkin = get_instrument("phq9"), get_instrument("checkin")

    recovery = progress(phq9, demo["demo-recovery"]["phq9"])
    assert recovery.overall is not None and recovery.overall.category == "recovered"
    assert recovery.alerts == []

    off = progress(phq9, demo["demo-not-on-track"]["phq9"])
    assert off.overall is not None and off.overall.category == "deteriorated"
    assert {a.rule for a in off.alerts} == {"not_on_track.reliable_deterioration",
                                            "not_on_track.no_reliable_improvement"}

    safety = progress(phq9, demo["demo-safety"]["phq9"])
    assert safety.alerts[0].rule == "safety.risk_item" and safety.alerts[0].session == 3
    assert safety.alerts[0].severity == "urgent"

    rupture = progress(checkin, demo["demo-rupture"]["checkin"])
    assert not rupture.validated
    repaired = [a for a in rupture.alerts if a.rule == "alliance.rupture_repaired"]
    assert len(repaired) == 1
    assert repaired[0].numbers["rupture_session"] == 5 and repaired[0].session == 6


def test_safety_alerts_come_first_whatever_the_rules() -> None:
    admins = [_phq9(1, 10), _phq9(2, 17, item9=1), _phq9(3, 18)]
    for rules in (NotOnTrackRules(), NotOnTrackRules(reliable_deterioration=False,
                                                     no_improvement_by_session=None)):
        report = progress(get_instrument("phq9"), admins, not_on_track=rules)
        assert report.alerts[0].rule == "safety.risk_item"
        assert report.alerts[0].session == 2


def test_demo_records_are_plain_rows() -> None:
    rows = demo_records()
    assert {r.client for r in rows} == {"demo-recovery", "demo-not-on-track", "demo-safety",
                                        "demo-rupture"}
    assert all(isinstance(r.date, dt.date) and r.session >= 1 for r in rows)


def test_duplicate_sessions_are_rejected() -> None:
    with pytest.raises(RapportInputError, match="share one session"):
        progress(get_instrument("phq9"), [_phq9(1, 10), _phq9(1, 12)])


def test_chart_marks_scores_cut_off_and_band() -> None:
    phq9 = get_instrument("phq9")
    report = progress(phq9, demo_administrations()["demo-recovery"]["phq9"])
    text = chart(phq9, report)
    lines = text.splitlines()
    assert text.count("*") == 6 + 1  # six scores plus the legend
    assert "= cut-off" in lines[-1] and "no reliable change" in lines[-1]
    assert lines[-2].split()[1:] == ["1", "2", "3", "4", "5", "6"]
    assert "=" in next(line for line in lines if line.strip().startswith("9.0"))


def test_overall_change_skips_a_last_incomplete_administration() -> None:
    phq9 = get_instrument("phq9")
    incomplete = Administration(session=3, score=score(phq9, {"phq9_1": 3}))
    report = progress(phq9, [_phq9(1, 18), _phq9(2, 8), incomplete])
    assert report.overall is not None and report.overall.after == 8
    assert report.overall.category == "recovered"
    assert report.points[-1].total is None and report.points[-1].change is None
