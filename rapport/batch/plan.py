"""Planning a batch run: inputs to *units* (a file, or a range of its sessions) to partitions.

Planning runs on the driver and is deterministic: the same inputs and partition size give
the same partitions, so a re-run finds the parts it already wrote. A partition holds about
``partition_size`` sessions; a file with many sessions (a CSV or JSONL corpus, a Parquet
corpus) is split into ranges of its sessions so that one big file still spreads over the
workers. A file that cannot be read here still gets a unit: its worker reads it again,
fails the same way and records the reason in the errors table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from rapport.ingest import RoleMap
    from rapport.settings import Settings

#: A Parquet corpus: one row per turn (columns in :mod:`rapport.ingest.parquet_corpus`).
PARQUET_SUFFIX = ".parquet"
#: Formats that may hold many sessions in one file, counted while planning.
MULTI_SESSION_SUFFIXES = (".csv", ".tsv", ".jsonl")


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs, the same on the driver and on every worker.

    The size limits travel with the options (not the whole settings object, which may
    hold keys) so that workers started elsewhere apply the driver's limits.
    """

    therapist: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    #: a roles file's entries (``--roles``): (file name, that file's mapping)
    files: tuple[tuple[str, RoleMap], ...] = ()
    fmt: str | None = None
    encoding: str | None = None
    limits: tuple[tuple[str, int], ...] = ()

    def roles(self) -> RoleMap:
        from rapport.ingest import RoleMap

        return RoleMap(therapist=self.therapist, client=self.client, other=self.other,
                       files=self.files)

    def settings(self) -> Settings:
        from rapport.settings import get_settings

        return get_settings(**dict(self.limits))

    def describe(self) -> dict[str, Any]:
        """For the manifest: what a re-run must repeat to reuse finished parts."""
        described: dict[str, Any] = {
            "therapist": list(self.therapist), "client": list(self.client),
            "other": list(self.other), "format": self.fmt, "encoding": self.encoding}
        if self.files:  # only then, so that manifests written before --roles still match
            described["roles"] = {name: {"therapist": list(m.therapist),
                                         "client": list(m.client), "other": list(m.other)}
                                  for name, m in self.files}
        return described


@dataclass(frozen=True)
class Unit:
    """Sessions ``first..stop-1`` of one input file (``stop=None``: all of them).

    ``session_ids`` names the sessions of a Parquet corpus range, so that a worker reads
    only their rows.
    """

    path: str
    first: int = 0
    stop: int | None = None
    session_ids: tuple[str, ...] = field(default=(), compare=False)

    def describe(self) -> dict[str, Any]:
        return {"input": self.path, "sessions": [self.first, self.stop]}


@dataclass(frozen=True)
class Partition:
    """One Dask task's worth of work and the name of its output parts."""

    index: int
    units: tuple[Unit, ...]

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "inputs": [u.describe() for u in self.units]}


def expand_inputs(paths: Sequence[Path]) -> list[Path]:
    """Files as given (even missing ones: their error is reported per file); folders
    expanded to their transcript and Parquet files, sorted."""
    from rapport.ingest import expand_paths

    return expand_paths(paths)


def _session_ranges(path: Path, options: ReadOptions) -> list[tuple[str, ...]] | None:
    """The session ids of a multi-session file, or ``None`` when it is one unit anyway."""
    suffix = path.suffix.lower()
    try:
        if suffix == PARQUET_SUFFIX:
            from rapport.ingest import corpus_session_ids

            return [(sid,) for sid in corpus_session_ids(path)]
        if suffix in MULTI_SESSION_SUFFIXES and options.fmt is None:
            from rapport.ingest import load_sessions

            result = load_sessions(path, roles=options.roles(), settings=options.settings(),
                                   encoding=options.encoding)
            return [(s.id,) for s in result.sessions]
    except RapportInputError:
        return None  # the worker meets the same error and records it
    return None


def _units(path: Path, options: ReadOptions, size: int) -> Iterator[tuple[Unit, int]]:
    """Units of one file with their weight in sessions."""
    ranges = _session_ranges(path, options)
    if ranges is None or len(ranges) <= size:
        yield Unit(str(path)), len(ranges) if ranges else 1
        return
    parquet = path.suffix.lower() == PARQUET_SUFFIX
    for first in range(0, len(ranges), size):
        chunk = ranges[first:first + size]
        ids = tuple(sid for (sid,) in chunk) if parquet else ()
        yield Unit(str(path), first, first + len(chunk), ids), len(chunk)


def plan_partitions(paths: Sequence[Path], options: ReadOptions, *, partition_size: int
                    ) -> list[Partition]:
    """Group the inputs' sessions into partitions of about ``partition_size`` sessions."""
    if partition_size < 1:
        raise RapportInputError(f"partition size {partition_size} is below 1",
                                where="--partition-size", fix="give 1 or more")
    partitions: list[Partition] = []
    current: list[Unit] = []
    weight = 0
    for path in expand_inputs(paths):
        for unit, n in _units(path, options, partition_size):
            if current and weight + n > partition_size:
                partitions.append(Partition(len(partitions), tuple(current)))
                current, weight = [], 0
            current.append(unit)
            weight += n
    if current:
        partitions.append(Partition(len(partitions), tuple(current)))
    return partitions
