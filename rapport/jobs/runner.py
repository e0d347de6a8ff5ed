"""One background thread per process that runs the record's jobs.

Why in-process rather than huey or procrastinate: the job's state must live in the
record (encrypted like the upload it carries, erased with its client, backed up with
everything else), on SQLite and PostgreSQL alike, from the one ``rapport serve`` process a
clinic runs; a queue library would add a second store (huey's SQLite file, or a
PostgreSQL-only schema) and a worker process to deploy. This runner is ~100 lines on top
of the claim rules in ``rapport/store/jobs.py``.

The runner polls (every ``poll`` seconds, or at once when woken by a new job), claims one
job at a time, keeps its claim alive with a heartbeat thread while the handler works with
no transaction open, and lets the handler store the result in one short transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rapport.errors import RapportInputError
from rapport.store.database import Store
from rapport.store.jobs import (
    ClaimedJob,
    anything_to_claim,
    claim_next,
    finish,
    heartbeat,
    owner_of,
)
from rapport.store.tx import Tx

log = logging.getLogger("rapport.jobs")

#: A handler runs one job and stores its result with :meth:`JobContext.complete`, in the
#: same short transaction; it raises RapportInputError for a job that cannot succeed.
Handler = Callable[["JobContext"], None]


@dataclass
class JobContext:
    store: Store
    job: ClaimedJob
    owner: str
    worker: str

    def progress(self, percent: int) -> None:
        with self.store.transaction(None, interface="system") as tx:
            heartbeat(tx.db, self.job.id, self.worker, progress=percent)

    def complete(self, tx: Tx, result: dict[str, Any]) -> None:
        """Mark the job done in ``tx``, the transaction that stores its result."""
        finish(tx, self.job.id, self.worker, result=result)


class JobRunner:
    """Runs the record's jobs in one daemon thread; ``start`` is idempotent."""

    def __init__(self, store: Store, handlers: dict[str, Handler], *,
                 lease: dt.timedelta = dt.timedelta(seconds=60), poll: float = 2.0,
                 autostart: bool = True) -> None:
        self.store, self.handlers, self.autostart = store, handlers, autostart
        self.lease, self.poll = lease, poll
        self.worker = f"{os.getpid()}-{secrets.token_hex(4)}"
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._wakes = 0  # counts wake() calls: idle only after a look that saw them all

    def start(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._stop.clear()
                self._thread = threading.Thread(target=self._loop, daemon=True,
                                                name=f"rapport-jobs-{self.worker}")
                self._thread.start()

    def wake(self) -> None:
        """A job was queued: start if needed, and look at once."""
        if not self.autostart:  # jobs wait for run_once() or start()
            return
        with self._lock:
            self._wakes += 1
            self._idle.clear()
        self.start()
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Block until nothing is left to run (tests wait on it)."""
        return self._idle.wait(timeout)

    def run_once(self) -> bool:
        """Claim and run one job; False when there was none."""
        with self.store.reading(interface="system") as tx:
            if not anything_to_claim(tx.db, lease=self.lease):
                return False
        with self.store.transaction(None, interface="system") as tx:
            job = claim_next(tx.db, self.worker, lease=self.lease)
            owner = owner_of(tx.db, job.id) if job else ""
        if job is None:
            return False
        self._run(JobContext(self.store, job, owner, self.worker))
        return True

    def _loop(self) -> None:
        while not self._stop.is_set():
            with self._lock:
                seen = self._wakes
            self._wake.clear()
            try:
                ran = self.run_once()
            except Exception as exc:  # a broken record must not kill the thread
                log.error("job runner: %s", type(exc).__name__)
                ran = False
            if not ran:
                with self._lock:
                    if seen == self._wakes:
                        self._idle.set()
                self._wake.wait(self.poll)

    def _run(self, context: JobContext) -> None:
        beat_stop = threading.Event()

        def beat() -> None:  # the claim stays ours while the handler works
            while not beat_stop.wait(self.lease.total_seconds() / 4):
                try:
                    self._beat(context)
                except Exception as exc:
                    log.error("job heartbeat: %s", type(exc).__name__)

        beater = threading.Thread(target=beat, daemon=True)
        beater.start()
        error = None
        try:
            self.handlers[context.job.kind](context)
        except RapportInputError as exc:
            error = (f"{exc.where}: {exc.what}" if exc.where else exc.what) \
                + (f" ({exc.fix})" if exc.fix else "")
        except Exception as exc:  # logged by type only: messages can quote client text
            log.error("job %s (%s) failed: %s", context.job.id, context.job.kind,
                      type(exc).__name__)
            error = f"the job failed ({type(exc).__name__}); see the server log"
        finally:
            beat_stop.set()
            beater.join()
        if error is not None:
            with self.store.transaction(None, interface="system") as tx:
                finish(tx, context.job.id, self.worker, error=error)

    def _beat(self, context: JobContext) -> None:
        with self.store.transaction(None, interface="system") as tx:
            heartbeat(tx.db, context.job.id, context.worker)
