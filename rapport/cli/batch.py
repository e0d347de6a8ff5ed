"""``rapport batch``: code and profile a whole corpus on Dask into partitioned Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.options import (
    ClientOpt,
    EncodingOpt,
    FormatOpt,
    OtherOpt,
    PresetOpt,
    RolesFileOpt,
    TherapistOpt,
)
from rapport.wording import plural

HELP = """Code every utterance and profile every session of a corpus, on Dask.

Reads transcript files or folders in any format `rapport code` reads, or a Parquet
corpus (one row per turn: session_id, turn_index, speaker, text, optional role, start,
end). Writes DIR/utterances/ (the `rapport code` table), DIR/sessions/ (one row per
session with its profile metrics and model versions) and DIR/errors/ (files skipped,
with the reason), each as part-XXXXX.parquet files, plus DIR/manifest.json.

Runs on a local Dask cluster with one worker per core, or on an existing scheduler
(--scheduler tcp://host:8786, e.g. a SLURM cluster started with dask-jobqueue; every
worker must see DIR at the same path). Re-running with the same inputs resumes: finished
partitions are skipped. See docs/research.md.

Example:

  rapport batch examples/ --roles examples/speakers.yaml --out corpus-codes/ --workers 2
"""


def batch(
    inputs: Annotated[list[Path], typer.Argument(
        help="Transcript files or folders, or Parquet corpus files.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")],
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a running Dask scheduler (default: start a local "
        "cluster).")] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help="Local cluster: worker processes (default: one per "
        "core).")] = None,
    partition_size: Annotated[int, typer.Option(
        "--partition-size", min=1, help="Sessions per partition (one Dask task and one "
        "part file each).")] = 20,
    dashboard: Annotated[bool, typer.Option(
        "--dashboard", help="Local cluster: serve the Dask dashboard on 127.0.0.1:8787.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    roles_file: RolesFileOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from rapport.batch import ReadOptions, run_batch
    from rapport.cli.framework import warn
    from rapport.errors import RapportInputError
    from rapport.ingest import read_speaker_roles
    from rapport.settings import get_settings

    if scheduler and (workers or dashboard):
        raise RapportInputError("--workers and --dashboard are for the local cluster",
                                where="--scheduler", fix="size the existing cluster itself, "
                                "and open its own dashboard")
    settings = get_settings(**({"preset": preset} if preset else {}))
    options = ReadOptions(
        therapist=tuple(therapist or ()), client=tuple(client or ()),
        other=tuple(other or ()),
        files=read_speaker_roles(roles_file) if roles_file else (),
        fmt=fmt, encoding=encoding,
        limits=(("max_file_bytes", settings.max_file_bytes),
                ("max_line_chars", settings.max_line_chars),
                ("max_turns", settings.max_turns)))
    progress = Progress("partitions", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        console=Console(stderr=True), disable=quiet)
    task = progress.add_task("batch", total=None)

    def on_progress(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    def on_cluster(dask_client: object) -> None:
        link = getattr(dask_client, "dashboard_link", None)
        if dashboard and link:
            typer.echo(f"Dask dashboard: {link}", err=True)

    with progress:
        summary = run_batch(inputs, out, options=options, preset=settings.preset,
                            partition_size=partition_size, scheduler=scheduler,
                            workers=workers, dashboard=dashboard, on_progress=on_progress,
                            on_cluster=on_cluster)
    if summary.duplicate_ids:
        warn(f"{summary.duplicate_ids} session id(s) appear more than once in "
             f"{out / 'sessions'}; give each session its own id")
    if summary.errors:
        warn(f"{summary.errors} input(s) skipped; the reasons are in {out / 'errors'}")
    resumed = f" ({summary.skipped} already done)" if summary.skipped else ""
    typer.echo(f"{plural(summary.utterances, 'turn')} from {plural(summary.sessions, 'session')}"
               f" in {plural(summary.partitions, 'partition')}{resumed} -> {out}", err=True)
    if summary.failed:
        typer.echo(f"error: {len(summary.failed)} partition(s) failed ("
                   f"{', '.join(summary.failed[:5])}); re-run the same command to retry "
                   "them", err=True)
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("batch", help=HELP)(batch)
