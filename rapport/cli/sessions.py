"""``rapport sessions``: a client's sessions, one by one or imported in bulk."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rapport.cli.db import AsOpt, parse_date, record_tx
from rapport.wording import plural

HELP = """Add, import and list a client's sessions.

Example:

  rapport sessions add C-017 --date 2026-03-02 --as tom
  rapport sessions import C-017 sessions.jsonl --as tom
"""

sessions_app = typer.Typer(help=HELP, no_args_is_help=True)
CodeArg = Annotated[str, typer.Argument(help="The client's pseudonymous code.")]


@sessions_app.command("add")
def add(
    code: CodeArg,
    number: Annotated[int | None, typer.Option("--number", help="Session number (default: the next).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
    attendance: Annotated[str, typer.Option("--attendance", help="attended, cancelled or no-show.")] = "attended",
    notes: Annotated[str | None, typer.Option("--notes", help="Free-text notes (stored encrypted).")] = None,
    as_user: AsOpt = None,
) -> None:
    """Add one session to a client of yours.

    Example:

      rapport sessions add C-017 --date 2026-03-02 --as tom
    """
    from pydantic import ValidationError

    from rapport.errors import RapportInputError
    from rapport.store.sessions import SessionRecord, add_session

    try:
        record = SessionRecord(number=number, date=parse_date(date, option="--date"),
                               attendance=attendance,  # type: ignore[arg-type]
                               notes=notes)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise RapportInputError(f"invalid {err['loc'][0]}: {err['msg']}",
                                where=f"--{err['loc'][0]}",
                                fix="attendance is attended, cancelled or no-show; "
                                "numbers start at 1", code="bad_input") from None
    with record_tx(as_user) as tx:
        n = add_session(tx, code, record)
    typer.echo(f"added session {n} of client {code}")


@sessions_app.command("import")
def import_(code: CodeArg,
            file: Annotated[Path, typer.Argument(help="JSONL or CSV: number, date, attendance, transcript, notes.")],
            as_user: AsOpt = None) -> None:
    """Import many sessions at once: all of them, or (on any error) none.

    Example:

      rapport sessions import C-017 sessions.jsonl --as tom
    """
    from rapport.store.sessions import import_sessions, read_session_file

    records = read_session_file(file)
    with record_tx(as_user) as tx:
        n = import_sessions(tx, code, records)
    typer.echo(f"imported {plural(n, 'session')} of client {code}")


@sessions_app.command("list")
def list_(code: CodeArg, as_user: AsOpt = None) -> None:
    """List a client's sessions with their stored analyses.

    Example:

      rapport sessions list C-017 --as tom
    """
    from rapport.store.sessions import list_sessions

    with record_tx(as_user) as tx:
        rows = list_sessions(tx, code)
    for s in rows:
        when = s.date.isoformat() if s.date else "-"
        typer.echo(f"{s.number:>4}  {when:<10}  {s.attendance:<9}  analyses {s.analyses}"
                   f"{'  transcript' if s.has_transcript else ''}")
    if not rows:
        typer.echo(f"client {code} has no sessions yet", err=True)


ANALYSES_HELP = """List, export and delete a client's stored analyses.

Example (store one first, with the client's consent to analysis):

  rapport analyze examples/rupture_repair.txt --client C-017 --session 1 --as tom
  rapport analyses list C-017 --as tom
  rapport analyses show 1 --json session1.json --as tom
"""

analyses_app = typer.Typer(help=ANALYSES_HELP, no_args_is_help=True)


@analyses_app.command("list")
def list_analyses(code: CodeArg, as_user: AsOpt = None) -> None:
    """List a client's stored analyses with a few headline numbers.

    Example:

      rapport analyses list C-017 --as tom
    """
    from rapport.store.analyses import list_analyses as list_stored

    with record_tx(as_user) as tx:
        rows = list_stored(tx, code)
    for a in rows:
        shown = ", ".join(f"{k}={v:.2f}" for k, v in list(a.metrics.items())[:3]
                          if v is not None)
        typer.echo(f"{a.id:>5}  session {a.session_number:<4} {a.created_at:%Y-%m-%d}  "
                   f"rapport {a.rapport_version}{'  (purged)' if a.purged else ''}  {shown}")
    if not rows:
        typer.echo(f"client {code} has no stored analyses", err=True)


@analyses_app.command("show")
def show_analysis(
    analysis_id: Annotated[int, typer.Argument(help="The analysis id (see `analyses list`).")],
    json_out: Annotated[Path, typer.Option("--json", help="Write the stored JSON document here.")],
    as_user: AsOpt = None,
) -> None:
    """Write a stored analysis back out as the JSON of `rapport analyze`.

    Example:

      rapport analyses show 1 --json session1.json --as tom
    """
    from rapport.pipeline import write_atomically
    from rapport.store.analyses import read_analysis

    with record_tx(as_user) as tx:
        document = read_analysis(tx, analysis_id)
    write_atomically(json_out, document)
    typer.echo(f"JSON report: {json_out}")


@analyses_app.command("delete")
def delete_analyses(code: CodeArg,
                    yes: Annotated[bool, typer.Option("--yes", help="Confirm the deletion.")] = False,
                    as_user: AsOpt = None) -> None:
    """Delete every stored analysis of a client (e.g. after consent was withdrawn).

    Example:

      rapport analyses delete C-017 --yes --as tom
    """
    from rapport.errors import RapportInputError
    from rapport.store.analyses import delete_analyses as delete_stored

    if not yes:
        raise RapportInputError(f"this deletes every stored analysis of {code}",
                                where="rapport analyses delete",
                                fix=f"add --yes: rapport analyses delete {code} --yes",
                                code="confirm")
    with record_tx(as_user) as tx:
        n = delete_stored(tx, code)
    typer.echo(f"deleted {n} stored analyses of client {code}")


def register(app: typer.Typer) -> None:
    app.add_typer(sessions_app, name="sessions")
    app.add_typer(analyses_app, name="analyses")
