"""Aggregate statistics for researchers (clients with a current research consent only)."""

from __future__ import annotations

from rapport.store.analyses import MetricAggregate, aggregate_metrics
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx

router = api_router("research")


@router.get("/stats/metrics")
def metrics(tx: RecordTx) -> Ok[list[MetricAggregate]]:
    """Per-metric means over consenting clients' analyses (researchers only)."""
    return Ok(data=aggregate_metrics(tx))
