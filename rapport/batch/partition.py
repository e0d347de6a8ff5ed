"""One partition, run as one Dask task on a worker: read, code, profile, write.

The task is idempotent: run twice (a worker died after writing, the scheduler ran it
again) it writes the same parts again. A unit that cannot be read becomes a row of the
errors table with the reason and never stops the rest of the partition.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapport.batch.plan import PARQUET_SUFFIX, Partition, ReadOptions, Unit
from rapport.domain import Session
from rapport.errors import RapportInputError


@dataclass(frozen=True)
class PartitionResult:
    """What the driver learns from a finished task (counts only, no text)."""

    name: str
    sessions: int
    utterances: int
    errors: int


def read_unit(unit: Unit, options: ReadOptions) -> tuple[list[Session], list[str]]:
    """The unit's sessions and the file's warnings (given with its first range only)."""
    path = Path(unit.path)
    if path.suffix.lower() == PARQUET_SUFFIX:
        from rapport.ingest import read_corpus

        read = read_corpus(path, roles=options.roles(), settings=options.settings(),
                           session_ids=unit.session_ids)
        sessions, warnings = read.sessions, read.warnings
    else:
        from rapport.ingest import load_sessions

        result = load_sessions(path, roles=options.roles(), fmt=options.fmt,
                               settings=options.settings(), encoding=options.encoding)
        sessions = result.sessions[unit.first:unit.stop]
        warnings = result.warnings
    return sessions, [f"{path.name}: {w}" for w in warnings] if unit.first == 0 else []


def _error(partition: Partition, unit: Unit, code: str, message: str,
           level: str = "error") -> dict[str, object]:
    return {"partition": partition.index, "input": unit.path, "level": level, "code": code,
            "message": message}


def run_partition(partition: Partition, out: str, options: ReadOptions, preset: str
                  ) -> PartitionResult:
    """Code and profile every session of ``partition`` and write its three parts."""
    from rapport.batch.tables import error_table, session_table, write_parts
    from rapport.pipeline import all_families, code_sessions, code_table, load_coders

    sessions: list[Session] = []
    inputs: list[str] = []
    errors: list[dict[str, object]] = []
    seen: dict[str, str] = {}
    for unit in partition.units:
        try:
            found, warnings = read_unit(unit, options)
        except RapportInputError as exc:
            errors.append(_error(partition, unit, exc.code, exc.render()))
            continue
        except Exception as exc:  # a bug must not stop the corpus either
            # only the type: an exception's message may quote the transcript
            errors.append(_error(partition, unit, "internal_error",
                                 f"{unit.path}: could not be read ({type(exc).__name__}); "
                                 "please report this"))
            continue
        errors.extend(_error(partition, unit, "warning", w, "warning") for w in warnings)
        clash = next((s.id for s in found if s.id in seen), None)
        if clash is not None:
            errors.append(_error(partition, unit, "duplicate_id", RapportInputError(
                f"session id {clash!r} also comes from {seen[clash]}", where=unit.path,
                fix="rename one of the files, or give each session its own id").render()))
            continue
        seen |= {s.id: unit.path for s in found}
        sessions.extend(found)
        inputs.extend(unit.path for _ in found)
    coders = load_coders(preset)  # cached per worker process: loaded once
    coded = code_sessions(sessions, coders)
    frames = {"utterances": code_table(coded, all_families(coders)),
              "sessions": session_table(coded, inputs, preset),
              "errors": error_table(errors)}
    write_parts(Path(out), partition.name, frames)
    return PartitionResult(partition.name, len(sessions), len(frames["utterances"]),
                           sum(1 for e in errors if e["level"] == "error"))
