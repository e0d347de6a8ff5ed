"""Aggregate statistics for researchers (clients with a current research consent only)."""

from __future__ import annotations

from fastapi import Request

from rapport.store.analyses import MetricAggregate, aggregate_metrics
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx, get_settings_of

router = api_router("research")


@router.get("/stats/metrics")
def metrics(request: Request, tx: RecordTx) -> Ok[list[MetricAggregate]]:
    """Per-metric means over consenting clients' analyses (researchers only); a mean over
    fewer clients than RAPPORT_RESEARCH_MIN_CLIENTS is null with ``withheld`` true."""
    return Ok(data=aggregate_metrics(
        tx, min_clients=get_settings_of(request).research_min_clients))
