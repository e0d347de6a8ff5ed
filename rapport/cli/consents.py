"""``rapport consents``: record, withdraw and list a client's consents."""

from __future__ import annotations

from typing import Annotated

import typer

from rapport.cli.db import AsOpt, parse_date, record_tx

HELP = """Consents: recording, analysis, sharing (with the client), research.

Without a current consent to analysis, `rapport analyze --client` refuses to store.

Example:

  rapport consents add C-017 analysis --on 2026-03-02 --as tom
  rapport consents withdraw C-017 analysis --delete-analyses --as tom
"""

consents_app = typer.Typer(help=HELP, no_args_is_help=True)
CodeArg = Annotated[str, typer.Argument(help="The client's pseudonymous code.")]
KindArg = Annotated[str, typer.Argument(help="recording, analysis, sharing or research.")]


@consents_app.command("add")
def add(code: CodeArg, kind: KindArg,
        on: Annotated[str | None, typer.Option("--on", help="Date given, YYYY-MM-DD (default: today).")] = None,
        as_user: AsOpt = None) -> None:
    """Record that the client gave a consent.

    Example:

      rapport consents add C-017 analysis --on 2026-03-02 --as tom
    """
    from rapport.store.consents import add_consent, parse_kind

    with record_tx(as_user) as tx:
        add_consent(tx, code, parse_kind(kind), given_on=parse_date(on, option="--on"))
    typer.echo(f"client {code}: {kind} consent recorded")


@consents_app.command("withdraw")
def withdraw(
    code: CodeArg, kind: KindArg,
    on: Annotated[str | None, typer.Option("--on", help="Date withdrawn, YYYY-MM-DD (default: today).")] = None,
    delete_analyses: Annotated[bool, typer.Option("--delete-analyses", help="Also delete the client's stored analyses.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Withdraw a consent: nothing new that needs it is accepted afterwards.

    Withdrawing `recording` also deletes the client's kept recordings.

    Example:

      rapport consents withdraw C-017 analysis --delete-analyses --as tom
    """
    from rapport.store.analyses import delete_analyses as delete_stored
    from rapport.store.analyses import list_analyses
    from rapport.store.consents import ConsentKind, parse_kind, withdraw_consent

    consent = parse_kind(kind)
    with record_tx(as_user) as tx:
        recordings = withdraw_consent(tx, code, consent, on=parse_date(on, option="--on"))
        deleted = delete_stored(tx, code) if delete_analyses else 0
        kept = 0 if delete_analyses else len(list_analyses(tx, code))
    typer.echo(f"client {code}: {kind} consent withdrawn")
    if deleted:
        typer.echo(f"deleted {deleted} stored analyses")
    if recordings:
        typer.echo(f"deleted {recordings} kept recordings")
    if kept and consent is ConsentKind.ANALYSIS:
        typer.echo(f"{kept} stored analyses remain; to delete them run: "
                   f"rapport analyses delete {code} --yes")


@consents_app.command("list")
def list_(code: CodeArg, as_user: AsOpt = None) -> None:
    """List a client's consents, current and withdrawn.

    Example:

      rapport consents list C-017 --as tom
    """
    from rapport.store.consents import list_consents

    with record_tx(as_user) as tx:
        rows = list_consents(tx, code)
    for c in rows:
        state = f"withdrawn {c.withdrawn_on}" if c.withdrawn_on else "current"
        typer.echo(f"{c.kind:<10} given {c.given_on}  {state:<20} by {c.recorded_by}")
    if not rows:
        typer.echo(f"client {code} has no consents recorded", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(consents_app, name="consents")
