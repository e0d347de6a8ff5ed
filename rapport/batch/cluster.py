"""The Dask side: an existing scheduler by address, or a local cluster sized to the machine.

Workers are processes with one thread each, and numeric libraries are held to one thread
per worker (``THREAD_ENV`` for the local cluster, :class:`PreloadCoders` for any worker),
so two workers on two cores use two cores, not two times the core count. The dashboard
is off unless asked for, and then listens on this machine only.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from distributed import Client, LocalCluster, WorkerPlugin

from rapport.errors import RapportInputError

THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
DASHBOARD_ADDRESS = "127.0.0.1:8787"


def default_workers() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


class PreloadCoders(WorkerPlugin):
    """Load the coders once when a worker starts (or joins later), before any task.

    :func:`rapport.coding.load_coders` caches per process, so every task on the worker
    reuses these models.
    """

    name = "rapport-preload-coders"

    def __init__(self, preset: str) -> None:
        self.preset = preset

    def setup(self, worker: Any) -> None:
        try:
            from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
        except ImportError:  # no numeric library that could oversubscribe
            pass
        else:
            # workers of an existing cluster may not have THREAD_ENV set
            threadpool_limits(1)
        from rapport.pipeline import load_coders

        load_coders(self.preset)


@contextmanager
def open_client(scheduler: str | None, *, workers: int | None, dashboard: bool
                ) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler``, else of a new local cluster."""
    if scheduler:
        try:
            # waits up to distributed.comm.timeouts.connect (Dask config, 30 s by default)
            client = Client(scheduler)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise RapportInputError(f"cannot reach the Dask scheduler ({type(exc).__name__})",
                                    where=scheduler, fix="check the address "
                                    "(tcp://host:8786) and that the scheduler runs",
                                    code="no_scheduler") from None
        with client:
            yield client
        return
    n = workers or default_workers()
    if n < 1:
        raise RapportInputError(f"{n} workers", where="--workers", fix="give 1 or more")
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
        scheduler_port=0, dashboard_address=DASHBOARD_ADDRESS if dashboard else None,
        # the scheduler's small HTTP API (health, metrics) runs even without the
        # dashboard: keep it on a free loopback port instead of 8787
        scheduler_kwargs=None if dashboard else {"dashboard_address": "127.0.0.1:0"},
        env=dict(THREAD_ENV), silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client
