"""Rupture-repair (V-shaped) detection in session-by-session alliance scores.

Implements the detector of docs/measures.md section 2.4 (after Stiles et al. 2004 and
Gumz et al. 2012), with every parameter exposed:

* baseline at session k = mean of the ``window`` (w) scores before it;
* ``sd_ref`` = the larger of the client's SD over all earlier scores (needs
  ``min_prior`` of them) and an optional between-client SD (Gumz: take the stricter);
* rupture at k when ``baseline - score_k >= threshold_sd * sd_ref`` (T = 1 sensitive,
  T = 2 Stiles-strict) and the drop is at least the absolute floor ``min_drop``;
* repair at the first m in k+1 .. k+``repair_within`` (L) whose score is back to at least
  ``baseline - repair_tolerance_sd * sd_ref``.

With a perfectly flat history sd_ref is 0, so any drop passes the SD test and the absolute
floor alone decides; alliance scales sit near their ceiling, which is why the floor exists.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class RuptureSettings(BaseModel):
    """Parameters of the detector (defaults from docs/measures.md section 2.4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window: int = Field(default=3, ge=1, description="w: earlier sessions in the baseline")
    threshold_sd: float = Field(default=2.0, gt=0, description="T: 1 sensitive, 2 strict")
    repair_within: int = Field(default=3, ge=1, description="L: sessions allowed for repair")
    min_prior: int = Field(default=3, ge=2, description="earlier scores needed before a test")
    repair_tolerance_sd: float = Field(default=0.5, ge=0)
    min_drop: float | None = Field(default=None, ge=0,
                                   description="absolute floor; None = the instrument's")
    sd_between: float | None = Field(default=None, ge=0,
                                     description="SD across clients, if known")


class RuptureEvent(BaseModel):
    """One detected rupture and, if it came, its repair."""

    model_config = ConfigDict(frozen=True)

    rupture_session: int
    baseline: float
    score: float
    drop: float
    sd_ref: float
    threshold: float
    status: Literal["repaired", "unrepaired", "open"]
    repair_session: int | None = None
    repair_score: float | None = None


def detect_ruptures(points: Sequence[tuple[int, float]], settings: RuptureSettings, *,
                    min_drop: float = 0.0, higher_is_better: bool = True
                    ) -> list[RuptureEvent]:
    """Find V-shaped rupture-repair sequences in ``(session, score)`` points.

    ``points`` must be in session order. ``min_drop`` is used when ``settings.min_drop``
    is None (callers pass the instrument's floor).

    >>> scores = [(1, 38), (2, 39), (3, 38), (4, 39), (5, 30), (6, 39)]
    >>> [(e.rupture_session, e.status, e.repair_session)
    ...  for e in detect_ruptures(scores, RuptureSettings(), min_drop=2)]
    [(5, 'repaired', 6)]
    """
    sign = 1.0 if higher_is_better else -1.0
    sessions = [session for session, _ in points]
    values = [sign * value for _, value in points]
    floor = settings.min_drop if settings.min_drop is not None else min_drop
    events: list[RuptureEvent] = []
    k = settings.min_prior
    while k < len(values):
        prior = values[:k]
        baseline = statistics.fmean(prior[-settings.window:])
        sd_ref = max(statistics.stdev(prior), settings.sd_between or 0.0)
        drop = baseline - values[k]
        threshold = max(settings.threshold_sd * sd_ref, floor)
        if drop <= 0 or drop < threshold:
            k += 1
            continue
        target = baseline - settings.repair_tolerance_sd * sd_ref
        last = min(k + settings.repair_within, len(values) - 1)
        repair = next((m for m in range(k + 1, last + 1) if values[m] >= target), None)
        if repair is not None:
            status: Literal["repaired", "unrepaired", "open"] = "repaired"
        elif k + settings.repair_within <= len(values) - 1:
            status = "unrepaired"
        else:
            status = "open"
        events.append(RuptureEvent(
            rupture_session=sessions[k], baseline=sign * baseline, score=sign * values[k],
            drop=drop, sd_ref=sd_ref, threshold=threshold, status=status,
            repair_session=None if repair is None else sessions[repair],
            repair_score=None if repair is None else sign * values[repair]))
        # The next search starts after this episode, so one dip is reported once.
        k = (repair if repair is not None else k + settings.repair_within) + 1
    return events
