"""Rupture-repair (V-shaped) detection in session-by-session alliance scores.

Implements the detector of docs/measures.md section 2.4 (after Stiles et al. 2004 and
Gumz et al. 2012), with every parameter exposed:

* baseline at session k = mean of the ``window`` (w) scores before it;
* ``sd_ref`` = the larger of the client's SD over all earlier scores (needs
  ``min_prior`` of them) and an optional between-client SD (Gumz: take the stricter);
* rupture at k when ``baseline - score_k >= threshold_sd * sd_ref`` (T = 1 sensitive,
  T = 2 Stiles-strict) and the drop is at least the absolute floor ``min_drop``;
* repair at the first m in k+1 .. k+``repair_within`` (L) whose score is back within the
  tolerance of the baseline: ``baseline - score_m <= max(repair_tolerance_sd * sd_ref,
  repair_tolerance_points)``. The points tolerance (default: half the absolute floor, e.g.
  1 SRS point) is what makes 38, 39, 38 -> 34 -> 38 a repair: with the SD tolerance alone
  (0.5 x 0.58 = 0.29 below a baseline of 38.3) a return to the client's usual 38 would
  count as "unrepaired".

Scores are compared exactly (:mod:`rapport.measures.exact`), so float sums of
visual-analogue answers cannot push a score a hair below its baseline.

With a perfectly flat history sd_ref is 0, so any drop passes the SD test and the absolute
floor alone decides; alliance scales sit near their ceiling, which is why the floor exists.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rapport.measures.exact import exact


class RuptureSettings(BaseModel):
    """Parameters of the detector (defaults from docs/measures.md section 2.4)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    window: int = Field(default=3, ge=1, description="w: earlier sessions in the baseline")
    threshold_sd: float = Field(default=2.0, gt=0, description="T: 1 sensitive, 2 strict")
    repair_within: int = Field(default=3, ge=1, description="L: sessions allowed for repair")
    min_prior: int = Field(default=3, ge=2, description="earlier scores needed before a test")
    repair_tolerance_sd: float = Field(default=0.5, ge=0)
    repair_tolerance_points: float | None = Field(
        default=None, ge=0, description="back within this many points of the baseline is a "
        "repair too; None = half the absolute floor")
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
    #: how far below the baseline a score may stay and still count as a repair
    tolerance: float
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
    sign = 1 if higher_is_better else -1
    sessions = [session for session, _ in points]
    values = [sign * exact(value) for _, value in points]
    floor = exact(settings.min_drop if settings.min_drop is not None else min_drop)
    points_tolerance = (exact(settings.repair_tolerance_points)
                        if settings.repair_tolerance_points is not None else floor / 2)
    events: list[RuptureEvent] = []
    k = settings.min_prior
    while k < len(values):
        prior = values[:k]
        window = prior[-settings.window:]
        baseline = sum(window, Fraction(0)) / len(window)
        sd_ref = max(statistics.stdev([float(v) for v in prior]), settings.sd_between or 0.0)
        drop = baseline - values[k]
        # Fractions compare exactly with floats, so a drop of exactly the floor counts.
        threshold = max(exact(settings.threshold_sd * sd_ref), floor)
        if drop <= 0 or drop < threshold:
            k += 1
            continue
        tolerance = max(exact(settings.repair_tolerance_sd * sd_ref), points_tolerance)
        last = min(k + settings.repair_within, len(values) - 1)
        repair = next((m for m in range(k + 1, last + 1) if baseline - values[m] <= tolerance),
                      None)
        if repair is not None:
            status: Literal["repaired", "unrepaired", "open"] = "repaired"
        elif k + settings.repair_within <= len(values) - 1:
            status = "unrepaired"
        else:
            status = "open"
        events.append(RuptureEvent(
            rupture_session=sessions[k], baseline=float(sign * baseline),
            score=float(sign * values[k]), drop=float(drop), sd_ref=sd_ref,
            threshold=float(threshold), tolerance=float(tolerance), status=status,
            repair_session=None if repair is None else sessions[repair],
            repair_score=None if repair is None else float(sign * values[repair])))
        # The next search starts after this episode, so one dip is reported once.
        k = (repair if repair is not None else k + settings.repair_within) + 1
    return events
