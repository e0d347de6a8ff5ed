"""Build the web application for one record."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from rapport import __version__
from rapport.jobs.analysis import KIND as ANALYSIS
from rapport.jobs.analysis import analysis_handler
from rapport.jobs.runner import JobRunner
from rapport.jobs.transcription import KIND as TRANSCRIPTION
from rapport.jobs.transcription import transcription_handler
from rapport.settings import Settings, get_settings
from rapport.store.database import Store
from rapport.web.api import admin as api_admin
from rapport.web.api import analyses as api_analyses
from rapport.web.api import clients as api_clients
from rapport.web.api import coding as api_coding
from rapport.web.api import coding_changes as api_coding_changes
from rapport.web.api import me as api_me
from rapport.web.api import measures as api_measures
from rapport.web.api import practice as api_practice
from rapport.web.api import research as api_research
from rapport.web.api import safety as api_safety
from rapport.web.api import stats as api_stats
from rapport.web.errors import TypeOnlyCrashes, install_error_handlers
from rapport.web.pages import (
    account,
    admin,
    client_view,
    clients,
    coding,
    coding_changes,
    feedback,
    home,
    jobs,
    practice,
    questionnaire,
    recordings,
    research,
    safety,
    sessions,
    supervision,
    upload,
)
from rapport.web.receiving import ReceiveBody, ReceiveLimits
from rapport.web.security import ConcurrencyLimit, SecurityHeaders

#: Router modules, each exposing ``router``, in the order their routes are matched.
ROUTER_MODULES = (account, home, client_view, clients, supervision, research, admin, feedback,
                  api_me, api_clients, api_measures, api_safety, api_analyses, api_stats,
                  api_research, api_admin, sessions, recordings, upload, jobs, questionnaire,
                  safety, coding, coding_changes, api_coding, api_coding_changes, practice,
                  api_practice)

API_DESCRIPTION = """Everything the Rapport pages do, for scripts.

Authenticate with an API token (`Authorization: Bearer rpt_...`, create one with
`rapport tokens create` or `POST /api/v1/tokens`) or a browser sign-in (then send the
`X-CSRF-Token` header on writes). Successful answers are `{"ok": true, "data": ...}`;
errors are `{"ok": false, "error": "...", "code": "...", "status": 404}`. Anything you
may not see answers 404, exactly like something that does not exist.
"""


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               secure_cookies: bool = True) -> FastAPI:
    """The app for ``store`` (default: the configured record, which must be current)."""
    settings = settings or get_settings()
    store = store or Store.from_settings(settings)
    store.require_current_schema()
    app = TypeOnlyCrashes(title="Rapport", version=__version__, description=API_DESCRIPTION,
                          docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.store = store
    app.state.settings = settings
    app.state.secure_cookies = secure_cookies
    # Uploads are analysed by this process's job runner, started by the first upload (or
    # by `rapport serve`, so that jobs a restart interrupted are resumed at once).
    app.state.jobs = JobRunner(store, {ANALYSIS: analysis_handler(settings),
                                       TRANSCRIPTION: transcription_handler(settings)})
    app.add_middleware(SecurityHeaders)
    # A request waits here, holding no thread or connection, until it may run.
    app.add_middleware(ConcurrencyLimit, limit=settings.web_max_concurrent)
    # Outside that: a body is read in full (size, time and per-address limits) before the
    # request may wait for a place, so slow senders never hold one.
    app.add_middleware(ReceiveBody, limits=ReceiveLimits.from_settings(settings))
    install_error_handlers(app)
    for module in ROUTER_MODULES:
        app.include_router(module.router)
    app.mount("/static", StaticFiles(packages=[("rapport.web", "static")]), name="static")
    return app
