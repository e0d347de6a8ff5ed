"""Jobs in the record: queued by a request, claimed and run by a job runner.

A job is ``queued`` until a runner claims it (``running``, with a worker name and a
heartbeat), then ``done`` or ``failed``. A claim is atomic: on PostgreSQL the row is
taken ``FOR UPDATE SKIP LOCKED``, on SQLite the write lock every transaction takes makes
the select-and-update one step. A running job whose heartbeat is older than the lease
belongs to a runner that stopped (a restart, a crash): it is claimed again, and after
``MAX_ATTEMPTS`` interrupted tries it is failed with a message saying so, never left
"running" for ever.

Only the job's owner sees it; anyone else gets "not found", like everything else.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.models import Client, Job, utcnow
from rapport.store.permissions import not_found
from rapport.store.tx import Tx

MAX_ATTEMPTS = 2
STATES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class JobView:
    """What the owner may see of a job (never the uploaded bytes)."""

    id: int
    kind: str
    state: str
    progress: int
    client: str | None
    session: int | None
    result: dict[str, Any] | None
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    kind: str
    attempt: int


def enqueue(tx: Tx, kind: str, *, code: str | None, session_number: int | None,
            params: dict[str, Any], payload: bytes | None) -> int:
    """Queue a job for the acting user; the payload (client data) is stored encrypted."""
    client = find_client(tx, code, write=True) if code else None
    row = Job(kind=kind, state="queued", owner_id=tx.me().id,
              client_id=client.id if client else None, session_number=session_number,
              params=params, progress=0, attempts=0,
              payload_enc=None if payload is None else tx.encrypt(
                  base64.b64encode(payload).decode("ascii"), "jobs.payload"))
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "job", subject=client.uid if client else None,
             detail=f"job={row.id} kind={kind}")
    return row.id


def job_view(tx: Tx, job_id: int) -> JobView:
    """The acting user's job ``job_id``; anyone else's is "not found"."""
    found = tx.db.execute(sa.select(Job, Client.code, Client.uid)
                          .outerjoin(Client, Client.id == Job.client_id)
                          .where(Job.id == job_id, Job.owner_id == tx.me().id)).first()
    if found is None:
        raise not_found("job", str(job_id))
    row, code, uid = found
    tx.audit("read", "job", subject=uid, detail=f"job={row.id}")
    outcome = (json.loads(tx.decrypt(row.outcome_enc, "jobs.outcome"))
               if row.outcome_enc is not None else {})
    return JobView(id=row.id, kind=row.kind, state=row.state, progress=row.progress,
                   client=code, session=row.session_number, result=outcome.get("result"),
                   error=outcome.get("error") or row.params.get("failure"),
                   created_at=row.created_at,
                   finished_at=row.finished_at)


def read_payload(tx: Tx, job_id: int) -> tuple[bytes, dict[str, Any]]:
    """The uploaded bytes and parameters of a job (for the runner, acting as its owner)."""
    row = tx.db.get(Job, job_id)
    if row is None or row.payload_enc is None:
        raise not_found("job", str(job_id))
    return (base64.b64decode(tx.decrypt(row.payload_enc, "jobs.payload")), dict(row.params))


def owner_of(db: orm.Session, job_id: int) -> str:
    from rapport.store.models import User

    return str(db.scalar(sa.select(User.username).join(Job, Job.owner_id == User.id)
                         .where(Job.id == job_id)))


def anything_to_claim(db: orm.Session, *, lease: dt.timedelta) -> bool:
    """Whether :func:`claim_next` would find a job (a read, so idle polling never takes
    the write lock)."""
    stale = sa.and_(Job.state == "running", Job.heartbeat_at < utcnow() - lease)
    return db.scalar(sa.select(Job.id).where(sa.or_(Job.state == "queued", stale))
                     .limit(1)) is not None


def claim_next(db: orm.Session, worker: str, *, lease: dt.timedelta,
               now: dt.datetime | None = None) -> ClaimedJob | None:
    """Take the oldest queued job, or a running one whose runner stopped; fail, visibly,
    one that was interrupted ``MAX_ATTEMPTS`` times. None when there is nothing to do."""
    now = now or utcnow()
    stale = sa.and_(Job.state == "running", Job.heartbeat_at < now - lease)
    while True:
        query = (sa.select(Job).where(sa.or_(Job.state == "queued", stale))
                 .order_by(Job.id).limit(1))
        if db.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = db.scalar(query)
        if row is None:
            return None
        if row.attempts >= MAX_ATTEMPTS:
            _finish(db, row, "failed", {"error": f"the job was interrupted {row.attempts} "
                                        "times (the server stopped while it ran); upload "
                                        "the file again"}, now=now, cipher=None)
            continue
        row.state, row.worker, row.heartbeat_at = "running", worker[:64], now
        row.attempts += 1
        db.flush()
        return ClaimedJob(id=row.id, kind=row.kind, attempt=row.attempts)


def heartbeat(db: orm.Session, job_id: int, worker: str, *, progress: int | None = None
              ) -> bool:
    """Keep the claim alive (and record progress); False when the job is no longer ours."""
    values: dict[str, Any] = {"heartbeat_at": utcnow()}
    if progress is not None:
        values["progress"] = max(0, min(100, progress))
    done = db.execute(sa.update(Job).where(Job.id == job_id, Job.worker == worker,
                                           Job.state == "running").values(values)
                      .execution_options(synchronize_session=False))
    return bool(getattr(done, "rowcount", 0))


def finish(tx: Tx, job_id: int, worker: str, *, result: dict[str, Any] | None = None,
           error: str | None = None) -> None:
    """Mark a claimed job done (with its result) or failed (with a message)."""
    row = tx.db.get(Job, job_id)
    if row is None or row.worker != worker or row.state != "running":
        raise RapportInputError("the job is no longer this runner's", where=f"job {job_id}",
                                fix="another runner took it over", code="conflict")
    outcome = {"result": result} if error is None else {"error": error}
    _finish(tx.db, row, "done" if error is None else "failed", outcome,
            cipher=tx.encrypt)


def _finish(db: orm.Session, row: Job, state: str, outcome: dict[str, Any], *,
            now: dt.datetime | None = None, cipher: Any) -> None:
    row.state, row.finished_at, row.payload_enc = state, now or utcnow(), None
    row.progress = 100 if state == "done" else row.progress
    if cipher is not None:
        row.outcome_enc = cipher(json.dumps(outcome), "jobs.outcome")
    else:  # failed by the claim loop, which holds no key: a fixed message, no client text
        row.params = {**row.params, "failure": outcome["error"]}
    db.flush()


def replace_result(tx: Tx, job_id: int, result: dict[str, Any]) -> None:
    """Replace the acting user's finished job's result, e.g. a transcript, once confirmed,
    by a pointer to the analysis made from it (so the transcript is not kept twice)."""
    row = tx.db.scalar(sa.select(Job).where(Job.id == job_id, Job.owner_id == tx.me().id,
                                            Job.state == "done"))
    if row is None:
        raise not_found("job", str(job_id))
    row.outcome_enc = tx.encrypt(json.dumps({"result": result}), "jobs.outcome")
    tx.audit("update", "job", detail=f"job={row.id} result replaced")
    tx.db.flush()
