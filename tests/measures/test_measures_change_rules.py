"""Change and alert rules that hold (issue 15, items 6-9): WHO-5 reliable change by
Jacobson-Truax with the 10-point convention shown apart; no-reliable-improvement only for
clinical starts; a return to baseline within tolerance is a repair; wording (minimal,
positive screen, alert threshold, one K10 band system, WHO-5 28/50, urgent alerts on top).
Properties over the answer grid, then the real CLI on a real record."""

from __future__ import annotations

import math

from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.measures import (
    Administration,
    NotOnTrackRules,
    RuptureSettings,
    alliance_alerts,
    classify_change,
    detect_ruptures,
    get_instrument,
    not_on_track_alerts,
    score,
)
from rapport.measures.render import render_instrument, render_score
from rapport.measures.scoring import answers_from_list
from rapport.store.database import Store

WHO5, PHQ9, SRS = get_instrument("who5"), get_instrument("phq9"), get_instrument("srs")
cli = Cli()


# -- item 6: WHO-5 -----------------------------------------------------------------------------
def test_who5_reliable_change_is_jacobson_truax_with_a_cited_r_and_sd() -> None:
    rc = WHO5.reliable_change
    assert rc is not None and rc.threshold is None
    assert (rc.reliability, rc.sd) == (0.91, 5.49)
    assert "Dadfar" in rc.source and "outpatients" in rc.source
    assert rc.min_raw_change == math.sqrt(2 * (5.49 * math.sqrt(1 - 0.91)) ** 2) * 1.96
    assert round(rc.min_raw_change, 2) == 4.57
    meaningful = WHO5.meaningful_change
    assert meaningful is not None and meaningful.points == 2.5
    assert meaningful.label.startswith("clinically meaningful change")


@given(st.integers(0, 25), st.integers(0, 25))
def test_who5_reliable_and_meaningful_change_are_separate(before: int, after: int) -> None:
    change = classify_change(WHO5, before, after)
    assert change.reliable == (abs(after - before) >= 5)  # 4.57 raw points
    assert change.meaningful == (abs(after - before) >= 2.5)
    if change.category == "recovered":
        assert before < 13 <= after


def test_who5_progress_shows_meaningful_change_apart(clinic: Store) -> None:
    for session, answers in ((1, "2,2,2,2,2"), (2, "2,3,2,3,3")):
        cli("measures", "record", "C-1", "who5", "-s", str(session), "-a", answers,
            "--as", "tom", code=0)
    out = cli("progress", "C-1", "--no-chart", "--as", "tom", code=0).stdout
    assert "Since the first score: 10 -> 13 (+3): unchanged" in out  # not reliable
    assert ("clinically meaningful change (10 percentage points): reached (>= 2.5 points; "
            "shown separately from reliable change)") in out


# -- item 7: no reliable improvement only for clinical starts ----------------------------------
def _phq9(session: int, total: int) -> Administration:
    values: list[float | None] = [float(min(3, max(0, total - 3 * i))) for i in range(8)]
    values.append(0.0)
    return Administration(session=session, score=score(PHQ9, answers_from_list(PHQ9, values)))


@given(st.lists(st.integers(0, 24), min_size=2, max_size=8))
def test_no_improvement_rule_fires_only_for_clinical_starts(totals: list[int]) -> None:
    admins = [_phq9(s, t) for s, t in enumerate(totals, 1)]
    rules = NotOnTrackRules(reliable_deterioration=False, no_improvement_by_session=2)
    fired = not_on_track_alerts(PHQ9, admins, rules)
    if totals[0] < 10:  # started below the cut-off
        assert fired == []
    else:
        expected = [s for s, t in enumerate(totals[1:], 2) if totals[0] - t < 6]
        assert [a.session for a in fired] == expected


def test_a_non_clinical_start_gets_no_improvement_alert_in_progress(clinic: Store) -> None:
    for session in range(1, 7):
        cli("measures", "record", "C-1", "phq9", "-s", str(session), "-a",
            "1,1,1,1,1,1,0,0,0", "--as", "tom", code=0)
    out = cli("progress", "C-1", "--no-chart", "--as", "tom", code=0).stdout
    assert "no_reliable_improvement" not in out and "Other alerts: none" in out


# -- item 8: a return to the baseline within the tolerance is a repair -------------------------
def _srs(session: int, total: float) -> Administration:
    quarter = round(total / 4, 1)
    values = [quarter, quarter, quarter, round(total - 3 * quarter, 1)]
    return Administration(session=session,
                          score=score(SRS, dict(zip(SRS.item_ids, values, strict=True))))


def test_38_34_38_38_38_is_repaired() -> None:
    admins = [_srs(s, t) for s, t in enumerate([39, 38, 39, 34, 38, 38, 38], 1)]
    ruptures = [a for a in alliance_alerts(SRS, admins) if "rupture" in a.rule]
    assert [(a.rule, a.session) for a in ruptures] == [("alliance.rupture_repaired", 5)]
    assert ruptures[0].numbers["repair_tolerance"] == 1.0  # half the SRS floor of 2


@given(st.lists(st.integers(300, 400), min_size=3, max_size=3), st.integers(25, 80),
       st.integers(1, 3))
def test_back_to_the_baseline_is_always_a_repair(prior: list[int], dip: int,
                                                 later: int) -> None:
    """Any history, any dip that is a rupture, then the baseline itself: repaired."""
    values = [p / 10 for p in prior]
    baseline = sum(prior) / 30
    points = [*enumerate(values, 1), (4, baseline - dip / 10)]
    points += [(5 + i, baseline) for i in range(later)]
    events = detect_ruptures(points, RuptureSettings(), min_drop=2)
    assert all(e.status == "repaired" for e in events)


def test_repair_in_progress_on_the_record(clinic: Store) -> None:
    for session, answers in enumerate(["9.7,9.7,9.8,9.8", "9.5,9.5,9.5,9.5", "9.7,9.8,9.7,9.8",
                                       "8.5,8.5,8.5,8.5", "9.5,9.5,9.5,9.5", "9.5,9.5,9.5,9.5",
                                       "9.5,9.5,9.5,9.5"], 1):
        cli("measures", "record", "C-1", "srs", "-s", str(session), "-a", answers,
            "--as", "tom", code=0)
    out = cli("progress", "C-1", "--no-chart", "--as", "tom", code=0).stdout
    assert "[alliance.rupture_repaired]" in out and "unrepaired" not in out
    assert "rupture at session 4 (SRS 34 vs baseline 38.7" in out


# -- item 9: wording ---------------------------------------------------------------------------
def test_phq9_zero_to_four_is_minimal() -> None:
    for total in range(5):
        values: list[float | None] = [1.0] * total + [0.0] * (9 - total)
        assert score(PHQ9, answers_from_list(PHQ9, values)).band == "Minimal depression"


def test_screeners_say_positive_screen_and_srs_alert_threshold() -> None:
    phq2 = get_instrument("phq2")
    positive = render_score(phq2, score(phq2, {"phq2_1": 2, "phq2_2": 1}))
    assert "screening cut-off 3: positive screen" in positive
    assert "clinical range" not in positive
    gad2 = get_instrument("gad2")
    assert "negative screen" in render_score(gad2, score(gad2, {"gad2_1": 1, "gad2_2": 0}))
    srs = render_score(SRS, score(SRS, dict(zip(SRS.item_ids, [8.0, 9.0, 9.0, 9.9],
                                                 strict=True))))
    assert "alert threshold 36: below the alert threshold" in srs
    assert "clinical" not in srs
    assert "Alert threshold: 36" in render_instrument(SRS)


def test_k10_uses_one_band_system() -> None:
    k10 = get_instrument("k10")
    assert [(b.min, b.max, b.label) for b in k10.bands] == [
        (10, 15, "low"), (16, 21, "moderate"), (22, 29, "high"), (30, 50, "very high")]
    assert k10.cut_off is not None
    # the cut-off is a boundary of the same (ABS) system, cited as such
    assert k10.cut_off.value in {b.min for b in k10.bands}
    assert "ABS" in k10.cut_off.source and "ABS" in (k10.bands_source or "")
    assert "EAPASSIST" not in k10.cut_off.source


def test_who5_shows_both_depression_thresholds() -> None:
    def band(raw: int) -> str | None:
        values = [5.0] * (raw // 5) + [float(raw % 5)] + [0.0] * 5
        return score(WHO5, dict(zip(WHO5.item_ids, values[:5], strict=True))).band

    assert band(7) == "percentage 28 or less: likely depression; give the PHQ-9"
    assert band(8) == band(12) == "percentage 50 or less: poor well-being; screen for depression"
    assert band(13) is None
    assert "28 or less" in render_instrument(WHO5) and "50 or less" in render_instrument(WHO5)


def test_urgent_alerts_come_first_in_progress(clinic: Store) -> None:
    cli("measures", "record", "C-1", "phq2", "-s", "1", "-a", "2,2", "--as", "tom", code=0)
    for session, answers in ((1, "0,0,0,0,0,0,0,0,0"), (2, "3,3,3,3,3,3,3,3,")):
        cli("measures", "record", "C-1", "phq9", "-s", str(session), "-a", answers,
            "--as", "tom", code=0)
    out = cli("progress", "C-1", "--no-chart", "--as", "tom", code=0).stdout
    lines = out.splitlines()
    assert lines[0] == "Client C-1"
    assert lines[1] == "Safety flags: 1 open, 0 acknowledged"
    assert lines[2].startswith("!! OPEN  session 2: PHQ-9 item 9")
    assert "positive screen" in out and "Minimal depression" in out
