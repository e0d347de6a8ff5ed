"""``rapport code``: one row per turn with every utterance code, for research and review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.options import ClientOpt, EncodingOpt, FormatOpt, OtherOpt, PresetOpt, TherapistOpt

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
) -> None:
    import io

    from rapport.cli.framework import warn
    from rapport.cli.inputs import read_sessions, write_atomically
    from rapport.coding import code_sessions, load_coders
    from rapport.coding.pipeline import all_families
    from rapport.coding.table import code_table
    from rapport.errors import RapportInputError
    from rapport.settings import get_settings

    suffix = out.suffix.lower()
    if suffix not in _WRITERS:
        raise RapportInputError(f"cannot write {suffix or 'a file without an ending'}",
                                where=str(out), fix="end --out with " + ", ".join(_WRITERS))
    sessions, warnings = read_sessions(inputs, therapist=therapist or (),
                                       client=client or (), other=other or (), fmt=fmt,
                                       encoding=encoding)
    for w in warnings:
        warn(w)
    settings = get_settings(**({"preset": preset} if preset else {}))
    coders = load_coders(settings.preset)
    table = code_table(code_sessions(sessions, coders), all_families(coders))
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
