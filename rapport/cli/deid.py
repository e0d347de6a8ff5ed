"""``rapport deid``: de-identify transcripts into Rapport JSONL for research or sharing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.options import ClientOpt, FormatOpt, OtherOpt, RolesFileOpt, TherapistOpt
from rapport.wording import plural

HELP = """Replace names, places, dates, ages over 89, contact details and ID numbers in transcripts.

Writes de-identified Rapport JSONL: speakers become [THERAPIST], [CLIENT]...; each person,
place or number gets the same pseudonym throughout a session ([PERSON_1]); dates move by a
secret per-session offset (years kept). Runs offline. Review the output before sharing:
no automatic tool finds every identifier (measured recall is in docs/deid.md).

--out ending in .jsonl writes one file with every session; otherwise --out is a folder
with one file per session. The same --salt (or RAPPORT_DEID_SALT) gives the same session
ids and date offsets on every run, so a client's sessions stay linked; without it every
run is unlinkable.

Example:

  rapport deid examples/ --roles examples/speakers.yaml --out deidentified/ --salt "$(cat study.salt)"
"""


def deid(
    inputs: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output .jsonl file, or a folder.")],
    salt: Annotated[str | None, typer.Option(
        "--salt", envvar="RAPPORT_DEID_SALT",
        help="Secret that keys pseudonymous ids and date offsets (default: random).")] = None,
    therapist: TherapistOpt = None,
    client: ClientOpt = None,
    other: OtherOpt = None,
    roles_file: RolesFileOpt = None,
    fmt: FormatOpt = None,
) -> None:
    from rapport.cli.framework import read_inputs
    from rapport.deid import deidentify_session
    from rapport.errors import RapportInputError
    from rapport.ingest.jsonl import dump_sessions
    from rapport.pipeline import write_atomically

    if out.suffix and out.suffix.lower() != ".jsonl":
        raise RapportInputError(f"cannot write {out.suffix} here", where=str(out),
                                fix="end --out with .jsonl, or give a folder")
    if not out.suffix and out.exists() and not out.is_dir():
        raise RapportInputError("--out is an existing file, not a folder", where=str(out),
                                fix="give a folder, or a file name ending in .jsonl")
    read = read_inputs(inputs, therapist=therapist, client=client, other=other, fmt=fmt,
                       roles_file=roles_file)
    done = [deidentify_session(r.session, salt=salt) for r in read]
    # Everything is de-identified before the first byte is written.
    if out.suffix:
        write_atomically(out, dump_sessions(new for new, _ in done))
    else:
        for new, _ in done:
            write_atomically(out / f"{new.id}.jsonl", dump_sessions([new]))
    totals: dict[str, int] = {}
    for _, report in done:
        for kind, n in report.counts.items():
            totals[kind] = totals.get(kind, 0) + n
    # entity labels as the tags in the text read them ([PERSON_1]): "PERSON 2", not "2 person"
    summary = ", ".join(f"{kind} {n}" for kind, n in sorted(totals.items())) or "nothing"
    typer.echo(f"{plural(len(done), 'session')} de-identified (replaced: {summary}) -> {out}",
               err=True)


def register(app: typer.Typer) -> None:
    app.command("deid", help=HELP)(deid)
