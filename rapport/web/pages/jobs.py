"""Follow a queued job: a progress page that refreshes itself until the job ends, then
sends a finished analysis on to its session page (or shows why it failed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.store.jobs import job_view
from rapport.web.identity import RecordTx
from rapport.web.pages.sessions import session_url
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, tx: RecordTx) -> Response:
    job = job_view(tx, job_id)
    if job.state == "done" and job.kind == "transcription":  # the therapist checks it next
        return RedirectResponse(f"/recordings/{job.id}", status_code=303)
    if job.state == "done" and job.client and job.session:
        return RedirectResponse(session_url(job.client, job.session), status_code=303)
    return render(request, "job.html", {"job": job,
                                        "waiting": job.state in ("queued", "running")})
