"""Uploads analysed as jobs (issue 18, item 2), on SQLite and PostgreSQL: the upload
answers at once with a job, the analysis runs with no transaction open, the result is
stored with the job's completion, and a restart resumes an interrupted job or, after two
interrupted tries, fails it visibly. The runner here starts nothing by itself: each test
runs the queued job (``run_once``) at the point it chooses."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import EXAMPLES, World, csrf_of, sign_in

from rapport.jobs.analysis import KIND, analysis_handler
from rapport.jobs.runner import JobContext, JobRunner
from rapport.store.analyses import list_analyses
from rapport.store.jobs import claim_next
from rapport.store.models import AppSetting, Job
from rapport.web.app import create_app

LEASE = dt.timedelta(seconds=60)


@pytest.fixture(scope="module")
def jobs_app(world: World) -> FastAPI:
    app = create_app(world.settings, store=world.store)
    app.state.jobs = JobRunner(world.store, {KIND: analysis_handler(world.settings)},
                               autostart=False)
    return app


@pytest.fixture(scope="module")
def tom(jobs_app: FastAPI) -> TestClient:
    return sign_in(jobs_app, "tom")


def upload(tom: TestClient, session: int) -> int:
    answer = tom.post("/upload", data={"csrf_token": csrf_of(tom), "client": "C-001",
                                       "session": str(session)},
                      files={"file": ("rupture_repair.txt",
                                      (EXAMPLES / "rupture_repair.txt").read_bytes())})
    assert answer.status_code == 303, answer.text[-1500:]
    assert answer.headers["location"].startswith("/jobs/")
    return int(answer.headers["location"].rsplit("/", 1)[1])


def analyses_of(world: World, session: int) -> int:
    with world.store.transaction("tom", interface="system") as tx:
        return len([a for a in list_analyses(tx, "C-001") if a.session_number == session])


def age_claim(world: World, job_id: int) -> None:
    """The runner that claimed the job stopped: its heartbeat is older than the lease."""
    with world.store.transaction(None, interface="system") as tx:
        tx.db.execute(sa.update(Job).where(Job.id == job_id).values(
            heartbeat_at=dt.datetime.now(dt.UTC) - LEASE - dt.timedelta(seconds=1)))


def test_the_upload_page_follows_the_job_to_the_session(
        world: World, jobs_app: FastAPI, tom: TestClient) -> None:
    job_id = upload(tom, 60)
    page = tom.get(f"/jobs/{job_id}")
    assert page.status_code == 200
    assert '<progress id="job-progress"' in page.text
    assert '<meta http-equiv="refresh" content="2">' in page.text
    api = tom.get(f"/api/v1/jobs/{job_id}").json()["data"]
    assert (api["state"], api["client"], api["session"]) == ("queued", "C-001", 60)
    tess = sign_in(jobs_app, "tess")  # not hers: not found, page and API alike
    assert tess.get(f"/jobs/{job_id}").status_code == 404
    assert tess.get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert analyses_of(world, 60) == 0
    assert jobs_app.state.jobs.run_once()
    done = tom.get(f"/api/v1/jobs/{job_id}").json()["data"]
    assert (done["state"], done["progress"]) == ("done", 100)
    assert analyses_of(world, 60) == 1
    assert tom.get(f"/jobs/{job_id}").headers["location"] == "/clients/C-001/sessions/60"


def test_the_analysis_holds_no_transaction_while_it_runs(
        world: World, jobs_app: FastAPI, tom: TestClient) -> None:
    job_id = upload(tom, 61)
    reached, release = threading.Event(), threading.Event()
    real = analysis_handler(world.settings)

    def paused(context: JobContext) -> None:
        report = context.progress

        def progress(percent: int) -> None:
            report(percent)
            if percent == 30:  # read and parsed; the analysis is about to run
                reached.set()
                release.wait(60)

        context.progress = progress  # type: ignore[method-assign]
        real(context)

    runner = JobRunner(world.store, {KIND: paused}, autostart=False)
    worker = threading.Thread(target=runner.run_once)
    worker.start()
    try:
        assert reached.wait(60)
        # Another user signs in and writes while the job is mid-analysis: on SQLite
        # any open write transaction would make this wait for its busy timeout.
        started = time.monotonic()
        tess = sign_in(jobs_app, "tess")
        assert tess.get("/").status_code == 200
        with world.store.transaction("tess", interface="system") as tx:
            tx.db.add(AppSetting(name=f"probe-{job_id}", value="1"))
        assert time.monotonic() - started < 5
    finally:
        release.set()
        worker.join(60)
    assert tom.get(f"/api/v1/jobs/{job_id}").json()["data"]["state"] == "done"
    assert analyses_of(world, 61) == 1


def test_a_restart_resumes_an_interrupted_job(world: World, jobs_app: FastAPI,
                                              tom: TestClient) -> None:
    job_id = upload(tom, 62)
    with world.store.transaction(None, interface="system") as tx:  # a runner took it...
        claimed = claim_next(tx.db, "stopped-runner", lease=LEASE)
    assert claimed is not None and claimed.id == job_id
    assert tom.get(f"/api/v1/jobs/{job_id}").json()["data"]["state"] == "running"
    fresh = JobRunner(world.store, {KIND: analysis_handler(world.settings)},
                      autostart=False)
    assert not fresh.run_once()  # ...and may still be alive: its lease has not run out
    age_claim(world, job_id)  # ...and then stopped
    assert fresh.run_once()
    assert tom.get(f"/api/v1/jobs/{job_id}").json()["data"]["state"] == "done"
    assert analyses_of(world, 62) == 1


def test_a_job_interrupted_twice_fails_visibly(world: World, jobs_app: FastAPI,
                                               tom: TestClient) -> None:
    job_id = upload(tom, 63)
    for attempt in (1, 2):
        with world.store.transaction(None, interface="system") as tx:
            claimed = claim_next(tx.db, f"stopped-{attempt}", lease=LEASE)
        assert claimed is not None and claimed.attempt == attempt
        age_claim(world, job_id)
    assert not jobs_app.state.jobs.run_once()  # nothing left to run: it failed instead
    failed = tom.get(f"/api/v1/jobs/{job_id}").json()["data"]
    assert failed["state"] == "failed" and "interrupted 2 times" in failed["error"]
    page = tom.get(f"/jobs/{job_id}")
    assert "The analysis failed" in page.text and "interrupted 2 times" in page.text
    assert analyses_of(world, 63) == 0
    with world.store.transaction(None, interface="system") as tx:  # the upload is gone
        assert tx.db.scalar(sa.select(Job.payload_enc).where(Job.id == job_id)) is None


def test_a_job_whose_consent_was_withdrawn_meanwhile_stores_nothing(
        world: World, jobs_app: FastAPI, tom: TestClient) -> None:
    from rapport.store.clients import add_client
    from rapport.store.consents import ConsentKind, add_consent, withdraw_consent

    with world.store.transaction("tom", interface="system") as tx:
        add_client(tx, "C-JOB")
        add_consent(tx, "C-JOB", ConsentKind.ANALYSIS, given_on=dt.date(2026, 1, 5))
    answer = tom.post("/upload", data={"csrf_token": csrf_of(tom), "client": "C-JOB",
                                       "session": "1"},
                      files={"file": ("rupture_repair.txt",
                                      (EXAMPLES / "rupture_repair.txt").read_bytes())})
    job_id = int(answer.headers["location"].rsplit("/", 1)[1])
    with world.store.transaction("tom", interface="system") as tx:
        withdraw_consent(tx, "C-JOB", ConsentKind.ANALYSIS, on=dt.date(2026, 1, 6))
    assert jobs_app.state.jobs.run_once()
    failed = tom.get(f"/api/v1/jobs/{job_id}").json()["data"]
    assert failed["state"] == "failed" and "consent" in failed["error"]
    with world.store.transaction("tom", interface="system") as tx:
        assert list_analyses(tx, "C-JOB") == []


@pytest.fixture(autouse=True)
def _no_leftover_jobs(world: World) -> Iterator[None]:
    yield
    with world.store.transaction(None, interface="system") as tx:
        left = tx.db.scalar(sa.select(sa.func.count()).select_from(Job).where(
            Job.state.in_(("queued", "running"))))
    assert not left


def test_the_sign_in_check_never_waits_for_a_writer(world: World, jobs_app: FastAPI,
                                                    tom: TestClient) -> None:
    # Another transaction holds the write lock (SQLite) / a row lock (PostgreSQL) on
    # tom's sign-in; tom's next request is still answered at once, not after the 60 s
    # busy timeout (its last-use bookkeeping is skipped this once).
    from rapport.store.models import WebSession

    with world.store.transaction(None, interface="system") as tx:  # due a last-use write
        tx.db.execute(sa.update(WebSession).values(
            last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)))
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with world.store.transaction("tess", interface="system") as tx:
            tx.db.execute(sa.update(WebSession).values(
                last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)))
            holding.set()
            release.wait(60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(30)
        started = time.monotonic()
        assert tom.get("/api/v1/me").status_code == 200
        assert time.monotonic() - started < 5
    finally:
        release.set()
        thread.join(60)
