"""Attendance regularity (consistency of the frame): gaps, cancellations, no-shows.

Input: a list of appointments with a date and a status (``cancelled`` when the record
does not say who cancelled). Output: counts, the attendance
rate, the gaps in days between attended sessions (mean, SD, longest, coefficient of
variation) and the gaps longer than ``long_gap_days``.

>>> import datetime as dt
>>> days = [dt.date(2026, 1, d) for d in (5, 12, 19, 26)]
>>> result = attendance([Appointment(date=d, status="attended") for d in days])
>>> result.attended, result.mean_gap_days, result.longest_gap_days
(4, 7.0, 7)
"""

from __future__ import annotations

import datetime as dt
import itertools
import statistics
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["attended", "cancelled", "cancelled_by_client", "cancelled_by_therapist",
                 "late_cancel", "no_show"]


class Appointment(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    status: Status


class Gap(BaseModel):
    model_config = ConfigDict(frozen=True)

    after: dt.date
    before: dt.date
    days: int


class Attendance(BaseModel):
    """Attendance summary; gap statistics are over attended sessions only."""

    model_config = ConfigDict(frozen=True)

    scheduled: int
    attended: int
    cancelled: int
    cancelled_by_client: int
    cancelled_by_therapist: int
    late_cancel: int
    no_show: int
    attendance_rate: float | None
    mean_gap_days: float | None
    sd_gap_days: float | None
    cv_gap: float | None
    longest_gap_days: int | None
    long_gaps: list[Gap] = Field(default_factory=list)


def attendance(appointments: Sequence[Appointment], *, long_gap_days: int = 21) -> Attendance:
    """Summarise a client's appointments (any order)."""
    ordered = sorted(appointments, key=lambda a: a.date)
    count = {status: sum(a.status == status for a in ordered)
             for status in ("attended", "cancelled", "cancelled_by_client",
                            "cancelled_by_therapist", "late_cancel", "no_show")}
    # Cancellations by the therapist are not the client's absence, but they are part of
    # the frame the client experiences, so they are counted and reported separately.
    attended_days = [a.date for a in ordered if a.status == "attended"]
    gaps = [Gap(after=a, before=b, days=(b - a).days)
            for a, b in itertools.pairwise(attended_days)]
    lengths = [g.days for g in gaps]
    mean = statistics.fmean(lengths) if lengths else None
    sd = statistics.stdev(lengths) if len(lengths) > 1 else None
    return Attendance(
        scheduled=len(ordered), **count,
        attendance_rate=count["attended"] / len(ordered) if ordered else None,
        mean_gap_days=mean, sd_gap_days=sd,
        cv_gap=(sd / mean) if sd is not None and mean else None,
        longest_gap_days=max(lengths) if lengths else None,
        long_gaps=[g for g in gaps if g.days > long_gap_days])
