"""Attendance regularity and style consistency across sessions."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.measures import Appointment, attendance, style_consistency

D = dt.date


def test_attendance_counts_gaps_and_long_gaps() -> None:
    appointments = [
        Appointment(date=D(2026, 1, 5), status="attended"),
        Appointment(date=D(2026, 1, 12), status="attended"),
        Appointment(date=D(2026, 1, 19), status="no_show"),
        Appointment(date=D(2026, 1, 26), status="cancelled_by_client"),
        Appointment(date=D(2026, 2, 2), status="attended"),
        Appointment(date=D(2026, 2, 9), status="cancelled_by_therapist"),
        Appointment(date=D(2026, 2, 16), status="attended"),
    ]
    result = attendance(list(reversed(appointments)), long_gap_days=14)
    assert (result.scheduled, result.attended, result.no_show) == (7, 4, 1)
    assert (result.cancelled_by_client, result.cancelled_by_therapist) == (1, 1)
    assert result.attendance_rate == pytest.approx(4 / 7)
    # gaps between attended sessions: 7, 21, 14 days
    assert result.mean_gap_days == pytest.approx(14)
    assert result.sd_gap_days == pytest.approx(7)
    assert result.cv_gap == pytest.approx(0.5)
    assert result.longest_gap_days == 21
    assert [(g.after, g.days) for g in result.long_gaps] == [(D(2026, 1, 12), 21)]


def test_attendance_of_nothing() -> None:
    result = attendance([])
    assert result.scheduled == 0 and result.attendance_rate is None
    assert result.mean_gap_days is None and result.long_gaps == []


def test_style_consistency_per_metric() -> None:
    sessions = [{"reflection_to_question": 0.5, "talk_share": 0.4},
                {"reflection_to_question": 1.0, "talk_share": None},
                {"reflection_to_question": 1.5, "talk_share": 0.4}]
    result = style_consistency(sessions)
    ratio = result["reflection_to_question"]
    assert (ratio.n, ratio.mean, ratio.sd) == (3, 1.0, 0.5)
    assert ratio.cv == pytest.approx(0.5)
    share = result["talk_share"]
    assert share.n == 2 and share.sd == 0 and share.cv == 0
    assert share.values == [0.4, None, 0.4]


@given(st.lists(st.floats(min_value=0.01, max_value=100), min_size=2, max_size=30),
       st.floats(min_value=0.1, max_value=10))
def test_cv_does_not_depend_on_the_unit(values: list[float], factor: float) -> None:
    base = style_consistency([{"m": v} for v in values])["m"]
    scaled = style_consistency([{"m": v * factor} for v in values])["m"]
    assert base.cv is not None and scaled.cv is not None
    assert math.isclose(base.cv, scaled.cv, rel_tol=1e-6, abs_tol=1e-9)
