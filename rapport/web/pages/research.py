"""Research: aggregate statistics over clients who consented to research; nothing per
client (the store computes them and refuses anyone but researchers)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rapport.store.analyses import aggregate_metrics
from rapport.store.permissions import UserRole
from rapport.web.identity import RecordTx, get_settings_of, require_roles
from rapport.web.pages import profile_metrics as pm
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)
RESEARCHERS = require_roles(UserRole.RESEARCHER)


@router.get("/research", dependencies=[RESEARCHERS])
def research(request: Request, tx: RecordTx) -> Response:
    k = get_settings_of(request).research_min_clients
    rows = [(pm.label(a.name), a.name, a.clients, a.analyses,
             "too few clients to show" if a.withheld else pm.fmt(a.name, a.mean)
             if pm.is_profile(a.name) else ("—" if a.mean is None else f"{a.mean:.3g}"))
            for a in aggregate_metrics(tx, min_clients=k)]
    return render(request, "research.html", {"rows": rows, "min_clients": k})
