"""The streaming ``rapport code``: session by session, both cores, flat memory.

Inputs are read file by file, and a CSV corpus session by session
(:func:`rapport.ingest.iter_sessions` with ``stream=True``); each batch of sessions is
coded by one of the workers (the parent process is one of them) and its rows are
appended to the output straight away, at most :data:`LOOK_AHEAD` batches per worker
ahead, so memory holds a few batches of sessions and rows whatever the corpus size (and
one whole file for the formats that are not streamed). The models are loaded before the
other workers fork, so they share them. Rows come out in input order. The output is
written to a hidden temporary file renamed into place at the end: a bad input found
halfway leaves no output at all (nothing half-written).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.coding.onnx_session import one_large_run_at_a_time
from rapport.csv_safety import neutralise_frame
from rapport.domain import CodeFamily, Session, SessionCoder
from rapport.pipeline.analysis import code_session
from rapport.pipeline.coders import all_families
from rapport.pipeline.table import code_table

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    import pandas as pd

    from rapport.ingest import ReadSession

#: Sessions coded into one table at a time: building a typed table, sending it between
#: processes and writing it cost about as much per call as per row, so per session they
#: took a third of the command's CPU on AnnoMI (issue 17). Small enough to keep memory flat.
BATCH = 16
#: Batches per worker read ahead of the writer: enough to keep every worker busy, few
#: enough that memory does not grow with the corpus.
LOOK_AHEAD = 2

_worker_coders: Sequence[SessionCoder] = ()


def _code_rows(sessions: Sequence[Session]) -> tuple[int, pd.DataFrame]:
    """(sessions, their code-table rows); the table's column types are fixed by its schema,
    so one table of several sessions is their tables one after the other."""
    coded = [code_session(session, _worker_coders) for session in sessions]
    return len(sessions), code_table(coded, all_families(_worker_coders))


def _batches(sessions: Iterable[Session], size: int = BATCH) -> Iterator[list[Session]]:
    batch: list[Session] = []
    for session in sessions:
        batch.append(session)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def default_workers() -> int:
    """One worker per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else os.cpu_count() or 1)


def coded_tables(read: Iterable[ReadSession], coders: Sequence[SessionCoder], *,
                 workers: int = 1) -> Iterator[tuple[int, pd.DataFrame]]:
    """(sessions, code-table rows) of each batch of :data:`BATCH` sessions, in input
    order, coded by ``workers`` processes (1: in this process)."""
    global _worker_coders  # noqa: PLW0603 - the coders a forked worker inherits
    batches = _batches(r.session for r in read)
    if workers <= 1:
        _worker_coders = coders
        yield from map(_code_rows, batches)
        return
    # fork: workers inherit the loaded coders (no second load, no pickling of models);
    # models a coder would load lazily are loaded here first, so that their pages are
    # shared copy-on-write by every worker instead of copied into each (issue 17)
    _worker_coders = coders
    preload_models(coders)
    # the parent's objects go to the collector's permanent generation: a collection in a
    # worker would otherwise write to every object's header and so copy every page of the
    # loaded models that the fork shares
    gc.collect()
    gc.freeze()
    # the parent is one of the ``workers``: it codes every ``workers``-th batch itself
    # while the forked processes code the others. A worker process costs its own working
    # memory (about 135 MB with the risk encoder's arena, issue 17), so ``workers`` processes
    # instead of ``workers`` + an idle parent keep two-core runs within the memory budget
    context = multiprocessing.get_context("fork")
    # two processes in a large encoder run at once add their working memory; one lock
    # lets one at a time do it (same batches, same outputs; rapport.coding.onnx_session)
    one_large_run_at_a_time(context.Lock())
    try:
        with context.Pool(workers - 1) as pool:
            # not pool.imap: its feeder thread reads the whole input ahead of the workers,
            # so memory would grow with the corpus; here at most LOOK_AHEAD batches per
            # worker are read and not yet written. A batch the parent keeps waits in the
            # queue as it is and is coded when its turn to be written comes, so the forked
            # workers code the batches queued behind it meanwhile.
            pending: deque[AsyncResult[tuple[int, pd.DataFrame]] | list[Session]] = deque()
            for n, batch in enumerate(batches):
                own = n % workers == workers - 1
                pending.append(batch if own else pool.apply_async(_code_rows, (batch,)))
                if len(pending) >= LOOK_AHEAD * workers:
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
    finally:
        one_large_run_at_a_time(None)


def _result(item: AsyncResult[tuple[int, pd.DataFrame]] | list[Session]
            ) -> tuple[int, pd.DataFrame]:
    """A forked worker's rows, or a batch the parent codes now."""
    return _code_rows(item) if isinstance(item, list) else item.get()


def preload_models(coders: Sequence[SessionCoder]) -> None:
    """Load now the models each coder loads on first use (``preload()``, where it has one)."""
    for coder in coders:
        preload = getattr(coder, "preload", None)
        if callable(preload):
            preload()


class TableWriter:
    """Appends code-table chunks to ``.csv``, ``.jsonl`` or ``.parquet`` at ``path``."""

    def __init__(self, path: Path, suffix: str, *, raw_csv: bool = False) -> None:
        self.path = path
        self.suffix = suffix
        self.raw_csv = raw_csv
        self.rows = 0
        self._parquet: Any = None

    def write(self, chunk: pd.DataFrame) -> None:
        if self.suffix == ".csv":
            cells = chunk if self.raw_csv else neutralise_frame(chunk)
            cells.to_csv(self.path, mode="a", header=self.rows == 0, index=False)
        elif self.suffix == ".jsonl":
            with self.path.open("a", encoding="utf-8") as fh:
                if len(chunk):
                    fh.write(chunk.to_json(orient="records", lines=True, force_ascii=False))
                    fh.write("\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            self._parquet.write_table(table.cast(self._parquet.schema))
        self.rows += len(chunk)

    def close(self, empty: pd.DataFrame) -> None:
        """Finish the file; with no rows at all, write ``empty`` (the header) instead."""
        if self.rows == 0:
            self.write(empty)
        if self._parquet is not None:
            self._parquet.close()
        elif self.suffix == ".jsonl" and self.rows == 0:
            self.path.write_text("", encoding="utf-8")


@contextmanager
def table_output(out: Path, *, raw_csv: bool = False) -> Iterator[TableWriter]:
    """A writer to a hidden file beside ``out``, renamed to ``out`` only on success."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    tmp.unlink(missing_ok=True)
    writer = TableWriter(tmp, out.suffix.lower(), raw_csv=raw_csv)
    try:
        yield writer
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)


def write_code_table(read: Iterable[ReadSession], coders: Sequence[SessionCoder],
                     out: Path, *, workers: int = 1, raw_csv: bool = False
                     ) -> tuple[int, int]:
    """Code every session into the table ``out``; returns (turns, sessions). A CSV's
    formula-like cells are neutralised (:mod:`rapport.csv_safety`) unless ``raw_csv``."""
    families: tuple[CodeFamily, ...] = all_families(coders)
    sessions = 0
    with table_output(out, raw_csv=raw_csv) as writer:
        for count, chunk in coded_tables(read, coders, workers=workers):
            writer.write(chunk)
            sessions += count
        writer.close(code_table([], families))
    return writer.rows, sessions
