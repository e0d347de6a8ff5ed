"""The start page: the caseload for clinicians, the way in for researchers and admins."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rapport.caseload import caseload
from rapport.store.permissions import UserRole
from rapport.web.identity import CurrentIdentity, RecordTx
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, identity: CurrentIdentity, tx: RecordTx) -> Response:
    rows = (caseload(tx) if identity.actor.role in (UserRole.THERAPIST, UserRole.SUPERVISOR)
            else [])
    return render(request, "home.html", {"rows": rows})
