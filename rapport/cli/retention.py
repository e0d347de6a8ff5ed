"""``rapport retention``: purge closed clients' words after the retention period."""

from __future__ import annotations

from typing import Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

HELP = """Set and apply the retention period (admins only). `apply` is a dry run unless --yes.

Example:

  rapport retention set 3650 --as ada
  rapport retention apply --as ada          # shows what would be purged
  rapport retention apply --yes --as ada    # purges it
"""

retention_app = typer.Typer(help=HELP, no_args_is_help=True)


@retention_app.command("set")
def set_(days: Annotated[int, typer.Argument(help="Days after a client is closed.")],
         as_user: AsOpt = None) -> None:
    """Set the retention period, counted from when a client was closed.

    Example:

      rapport retention set 3650 --as ada
    """
    from rapport.store.retention import set_retention_days

    with record_tx(as_user) as tx:
        set_retention_days(tx, days)
    typer.echo(f"retention period: {days} days after a client is closed")


@retention_app.command("show")
def show(as_user: AsOpt = None) -> None:
    """Show the retention period.

    Example:

      rapport retention show --as ada
    """
    from rapport.store.retention import get_retention_days

    with record_tx(as_user) as tx:
        days = get_retention_days(tx)
    typer.echo("no retention period set" if days is None else f"retention period: {days} days")


@retention_app.command("apply")
def apply(yes: Annotated[bool, typer.Option("--yes", help="Really purge (default: dry run).")] = False,
          as_user: AsOpt = None) -> None:
    """Purge the words of clients closed longer than the period: transcripts, analysis
    documents, kept recordings, identifying fields, notes and comments. Numbers stay.

    Example:

      rapport retention apply --as ada
    """
    from rapport.store.retention import apply_retention

    with record_tx(as_user) as tx:
        r = apply_retention(tx, dry_run=not yes)
    verb = "purged" if r.applied else "would purge"
    typer.echo(f"{verb}: {r.transcripts} transcripts, {r.analyses} analysis documents and "
               f"{r.recordings} kept recordings of {r.clients} clients closed before "
               f"{r.cutoff:%Y-%m-%d}")
    typer.echo(f"  and {r.identities} identities (name, birth date, contact), "
               f"{r.client_notes} client notes, {r.session_notes} session notes, "
               f"{r.comments} supervisor comments, {r.acknowledgement_notes} safety "
               f"acknowledgement notes, {r.error_reasons} entered-in-error reasons, "
               f"{r.jobs} finished jobs")
    typer.echo("  kept: client codes, session dates and attendance, consents, questionnaire "
               "answers and scores, numeric metrics, what was done about safety flags")
    if not r.applied and r.anything:
        typer.echo("dry run: nothing changed; add --yes to purge")


def register(app: typer.Typer) -> None:
    app.add_typer(retention_app, name="retention")
