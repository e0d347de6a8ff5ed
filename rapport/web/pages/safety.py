"""Acknowledging a safety flag from the client page (the treating therapist or their
supervisor): what was done and a note, audited. The flag stays on every page, marked
acknowledged, with its history (``rapport.caseload.safety``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.caseload import acknowledge
from rapport.errors import RapportInputError
from rapport.web.identity import RecordTx

router = APIRouter(include_in_schema=False)
#: Answered with the page's 404, like any client the viewer may not read.
_NOT_FOUND = frozenset({"not_found", "forbidden"})


@router.post("/clients/{code}/safety-flags/acknowledge")
def acknowledge_flag(request: Request, tx: RecordTx, code: str,
                     flag: Annotated[str, Form(max_length=120)],
                     action: Annotated[str, Form(max_length=32)],
                     note: Annotated[str, Form(max_length=4000)] = "") -> Response:
    from rapport.web.pages.clients import client_page_response

    try:
        acknowledge(tx, code, flag, action=action, note=note)
    except RapportInputError as exc:
        if exc.code in _NOT_FOUND:
            raise
        # Nothing was written: show the client page again with the reason at the flags.
        return client_page_response(request, tx, code, ack_error=exc, status=400)
    return RedirectResponse(f"/clients/{code}#safety", status_code=303)
