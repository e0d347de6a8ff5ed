"""Style consistency across sessions: how stable each relationship-profile metric is.

Input: one dict of metric name -> value per session, in session order (e.g. the
reflection-to-question ratio of each stored analysis). Output per metric: the number of
sessions with a value, mean, SD and coefficient of variation (SD / |mean|), plus the
session values themselves so a chart can show them. A lower CV means a steadier style.

>>> result = style_consistency([{"r_to_q": 1.0}, {"r_to_q": 2.0}, {"r_to_q": 3.0}])
>>> result["r_to_q"].mean, result["r_to_q"].sd, round(result["r_to_q"].cv, 2)
(2.0, 1.0, 0.5)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict


class MetricConsistency(BaseModel):
    model_config = ConfigDict(frozen=True)

    metric: str
    n: int
    values: list[float | None]
    mean: float | None
    sd: float | None
    cv: float | None


def style_consistency(sessions: Sequence[Mapping[str, float | None]]
                      ) -> dict[str, MetricConsistency]:
    """Per-metric mean, SD (n - 1) and CV; missing or non-finite values are skipped."""
    names = sorted({name for session in sessions for name in session})
    result: dict[str, MetricConsistency] = {}
    for name in names:
        series = [session.get(name) for session in sessions]
        usable = [float(v) for v in series if v is not None and math.isfinite(v)]
        mean = statistics.fmean(usable) if usable else None
        sd = statistics.stdev(usable) if len(usable) > 1 else None
        cv = sd / abs(mean) if sd is not None and mean else None
        result[name] = MetricConsistency(
            metric=name, n=len(usable), mean=mean, sd=sd, cv=cv,
            values=[None if v is None or not math.isfinite(v) else float(v) for v in series])
    return result
