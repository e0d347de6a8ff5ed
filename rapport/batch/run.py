"""Driving a batch run: plan, skip finished partitions, run the rest on Dask, record it.

``DIR/manifest.json`` records the Rapport version, preset, models, read options, the
inputs and which inputs (and session ranges) each partition holds. A re-run with the
same inputs and options skips the partitions whose parts exist; one with other inputs or
options is refused rather than mixing two runs in one folder.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapport.batch.plan import Partition, ReadOptions, plan_partitions
from rapport.batch.tables import TABLES, is_finished, part_path, remove_stale_temporaries
from rapport.errors import RapportInputError

MANIFEST = "manifest.json"
MANIFEST_FORMAT = "rapport-batch"
MANIFEST_VERSION = 1
#: Dask task keys are ``rapport-batch-part-XXXXX-<token>``.
KEY_PREFIX = "rapport-batch-"


@dataclass
class BatchSummary:
    """What a run did; counts cover the whole output folder, resumed parts included."""

    partitions: int
    skipped: int
    sessions: int
    utterances: int
    errors: int
    failed: list[str] = field(default_factory=list)
    duplicate_ids: int = 0


def _manifest_key(plan: Sequence[Partition], options: ReadOptions, preset: str
                  ) -> dict[str, Any]:
    return {"preset": preset, "options": options.describe(),
            "partitions": [p.describe() for p in plan]}


def _check_manifest(out: Path, key: dict[str, Any]) -> None:
    path = out / MANIFEST
    if not path.exists():
        if any((out / t).exists() for t in TABLES):
            raise RapportInputError("folder holds batch tables but no manifest.json",
                                    where=str(out), fix="use a new --out folder")
        return
    try:
        old = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise RapportInputError("manifest.json is unreadable", where=str(path),
                                fix="use a new --out folder") from None
    if {k: old.get(k) for k in key} != key:
        raise RapportInputError(
            "folder holds a batch run of other inputs, options or preset", where=str(out),
            fix="re-run with the same inputs and options to resume, or use a new --out "
            "folder")


def _write_manifest(out: Path, key: dict[str, Any], inputs: Sequence[Path],
                    extra: dict[str, Any]) -> None:
    from rapport import __version__
    from rapport.pipeline import write_atomically

    doc = {"format": MANIFEST_FORMAT, "version": MANIFEST_VERSION,
           "rapport_version": __version__,
           "updated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
           "inputs": [str(p) for p in inputs], **extra, **key}
    write_atomically(out / MANIFEST, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def _totals(out: Path, plan: Sequence[Partition]) -> dict[str, Any]:
    """Row counts, models and duplicate session ids over every finished part."""
    import pyarrow.parquet as pq

    rows = dict.fromkeys(TABLES, 0)
    models: set[str] = set()
    ids: list[str] = []
    for p in plan:
        if not is_finished(out, p.name):
            continue
        for table in TABLES:
            rows[table] += pq.read_metadata(part_path(out, table, p.name)).num_rows
        sessions = pq.read_table(part_path(out, "sessions", p.name),
                                 columns=["session_id", "models"])
        models.update(m for joined in sessions.column("models").to_pylist() if joined
                      for m in joined.split())
        ids.extend(sessions.column("session_id").to_pylist())
    errors = 0
    for p in plan:
        if is_finished(out, p.name):
            levels = pq.read_table(part_path(out, "errors", p.name), columns=["level"])
            errors += levels.column("level").to_pylist().count("error")
    return {"rows": rows, "models": sorted(models), "errors": errors,
            "duplicate_ids": len(ids) - len(set(ids))}


def run_batch(inputs: Sequence[Path], out: Path, *, options: ReadOptions, preset: str,
              partition_size: int = 20, scheduler: str | None = None,
              workers: int | None = None, dashboard: bool = False,
              on_progress: Callable[[int, int], None] | None = None,
              on_cluster: Callable[[Any], None] | None = None) -> BatchSummary:
    """Code and profile every session of ``inputs`` into ``out``; see the module docs.

    ``on_progress(done, total)`` is called as partitions finish; ``on_cluster(client)``
    once the Dask client is connected (to show the dashboard link).
    """
    plan = plan_partitions(inputs, options, partition_size=partition_size)
    if out.exists() and not out.is_dir():
        raise RapportInputError("--out is a file, not a folder", where=str(out),
                                fix="give a folder for the tables")
    out.mkdir(parents=True, exist_ok=True)
    key = _manifest_key(plan, options, preset)
    _check_manifest(out, key)
    remove_stale_temporaries(out)
    _write_manifest(out, key, inputs, {"complete": False})
    todo = [p for p in plan if not is_finished(out, p.name)]
    failed: list[str] = []
    if on_progress:
        on_progress(len(plan) - len(todo), len(plan))
    if todo:
        failed = _run_on_dask(todo, out, options, preset, scheduler=scheduler,
                              workers=workers, dashboard=dashboard, done=len(plan) - len(todo),
                              total=len(plan), on_progress=on_progress,
                              on_cluster=on_cluster)
    totals = _totals(out, plan)
    _write_manifest(out, key, inputs, {
        "complete": not failed, "failed": failed, "models": totals["models"],
        "tables": {t: {"path": f"{t}/*.parquet", "rows": n}
                   for t, n in totals["rows"].items()}})
    return BatchSummary(partitions=len(plan), skipped=len(plan) - len(todo),
                        sessions=totals["rows"]["sessions"],
                        utterances=totals["rows"]["utterances"], errors=totals["errors"],
                        failed=failed, duplicate_ids=totals["duplicate_ids"])


def _run_on_dask(todo: Sequence[Partition], out: Path, options: ReadOptions, preset: str, *,
                 scheduler: str | None, workers: int | None, dashboard: bool, done: int,
                 total: int, on_progress: Callable[[int, int], None] | None,
                 on_cluster: Callable[[Any], None] | None) -> list[str]:
    """Submit every unfinished partition; return the names of those that raised."""
    from dask.base import tokenize
    from distributed import as_completed

    from rapport.batch.cluster import PreloadCoders, open_client
    from rapport.batch.partition import run_partition

    failed: list[str] = []
    with open_client(scheduler, workers=workers, dashboard=dashboard) as client:
        if on_cluster:
            on_cluster(client)
        client.register_plugin(PreloadCoders(preset))
        token = tokenize(str(out.resolve()), options, preset)
        keys = [f"{KEY_PREFIX}{p.name}-{token}" for p in todo]
        futures = client.map(run_partition, todo, out=str(out.resolve()), options=options,
                             preset=preset, key=keys, pure=False)
        names = {f.key: p.name for f, p in zip(futures, todo, strict=True)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            if future.status == "error":
                failed.append(names[future.key])
            done += 1
            if on_progress:
                on_progress(done, total)
    return sorted(failed)
