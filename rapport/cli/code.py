"""``rapport code``: one row per turn with every utterance code, for research and review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.options import (
    ClientOpt,
    CodersOpt,
    EncodingOpt,
    FormatOpt,
    OtherOpt,
    PresetOpt,
    RawCsvOpt,
    RolesFileOpt,
    TherapistOpt,
)
from rapport.wording import plural

if TYPE_CHECKING:
    from rapport.ingest import ReadSession

HELP = """Code every turn of one or more sessions and write a table (csv, parquet or jsonl).

The columns are documented in docs/formats.md ("The code table"). Sessions are coded in
parallel, one process per core, and streamed to the output; nothing is written if any
input is bad. A CSV whose sessions' rows are contiguous (as AnnoMI's) is read session by
session, so memory does not grow with its size (docs/formats.md, "CSV").

Example:

  rapport code examples/ --roles examples/speakers.yaml --out codes.csv
"""

_WRITERS = (".csv", ".parquet", ".jsonl")


def code(
    inputs: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .csv, .parquet or .jsonl.")],
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    roles_file: RolesFileOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
    coders: CodersOpt = None,
    workers: Annotated[int | None, typer.Option("--workers", help="Processes that code sessions in parallel (default: one per core).")] = None,
    raw_csv: RawCsvOpt = False,
) -> None:
    from rapport.cli.framework import warn
    from rapport.errors import RapportInputError
    from rapport.ingest import iter_sessions, role_map
    from rapport.pipeline import AnalyzeOptions
    from rapport.pipeline.stream import default_workers, write_code_table
    from rapport.settings import get_settings

    suffix = out.suffix.lower()
    if suffix not in _WRITERS:
        raise RapportInputError(f"cannot write {suffix or 'a file without an ending'}",
                                where=str(out), fix="end --out with " + ", ".join(_WRITERS))
    if workers is not None and workers < 1:
        raise RapportInputError(f"--workers {workers} is below 1", where="--workers",
                                fix="give 1 or more, or leave it out (one per core)")
    loaded = AnalyzeOptions.from_settings(get_settings(), preset=preset,
                                          coders=coders).load_coders()
    roles = role_map(therapist, client, other, roles_file)
    seen: set[str] = set()

    def read_and_warn() -> Iterator[ReadSession]:
        for item in iter_sessions(inputs, roles=roles, fmt=fmt, encoding=encoding,
                                  stream=True):
            for w in item.warnings:
                if w not in seen:
                    seen.add(w)
                    warn(w)
            yield item

    turns, sessions = write_code_table(read_and_warn(), loaded, out,
                                       workers=workers or default_workers(),
                                       raw_csv=raw_csv)
    typer.echo(f"{plural(turns, 'turn')} from {plural(sessions, 'session')} -> {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("code", help=HELP)(code)
