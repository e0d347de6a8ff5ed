"""``rapport code``: one row per turn with every utterance code, for research and review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.options import (
    ClientOpt,
    CodersOpt,
    EncodingOpt,
    FormatOpt,
    OtherOpt,
    PresetOpt,
    TherapistOpt,
)

HELP = """Code every turn of one or more sessions and write a table (csv, parquet or jsonl).

The columns are documented in docs/formats.md ("The code table").

Example:

  rapport code examples/ --out codes.csv
"""

_WRITERS = (".csv", ".parquet", ".jsonl")


def code(
    inputs: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output file: .csv, .parquet or .jsonl.")],
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    fmt: FormatOpt = None,
    encoding: EncodingOpt = None,
    preset: PresetOpt = None,
    coders: CodersOpt = None,
) -> None:
    import io

    from rapport.cli.framework import read_inputs
    from rapport.errors import RapportInputError
    from rapport.pipeline import AnalyzeOptions, all_families, code_sessions, write_atomically
    from rapport.pipeline.table import code_table
    from rapport.settings import get_settings

    suffix = out.suffix.lower()
    if suffix not in _WRITERS:
        raise RapportInputError(f"cannot write {suffix or 'a file without an ending'}",
                                where=str(out), fix="end --out with " + ", ".join(_WRITERS))
    read = read_inputs(inputs, therapist=therapist, client=client, other=other, fmt=fmt,
                       encoding=encoding)
    sessions = [r.session for r in read]
    loaded = AnalyzeOptions.from_settings(get_settings(), preset=preset,
                                          coders=coders).load_coders()
    table = code_table(code_sessions(sessions, loaded), all_families(loaded))
    if suffix == ".csv":
        write_atomically(out, table.to_csv(index=False))
    elif suffix == ".jsonl":
        write_atomically(out, table.to_json(orient="records", lines=True, force_ascii=False))
    else:
        buffer = io.BytesIO()
        table.to_parquet(buffer, index=False)
        write_atomically(out, buffer.getvalue())
    typer.echo(f"{len(table)} turns from {len(sessions)} sessions -> {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("code", help=HELP)(code)
