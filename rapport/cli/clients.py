"""``rapport clients``: the clients in the record, by pseudonymous code."""

from __future__ import annotations

from typing import Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

HELP = """Add, list, show, close and erase clients (therapists: their own clients).

Example:

  rapport clients add C-017 --name "Ada Quinlan" --as tom
  rapport clients show C-017 --as tom
"""

clients_app = typer.Typer(help=HELP, no_args_is_help=True)
CodeArg = Annotated[str, typer.Argument(help="The client's pseudonymous code.")]


@clients_app.command("add")
def add(
    code: CodeArg,
    name: Annotated[str | None, typer.Option("--name", help="Full name (stored encrypted).")] = None,
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD (stored encrypted).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Phone or e-mail (stored encrypted).")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free-text notes (stored encrypted).")] = None,
    as_user: AsOpt = None,
) -> None:
    """Add a client of yours.

    Example:

      rapport clients add C-017 --name "Ada Quinlan" --as tom
    """
    from rapport.store.clients import add_client

    identity = {k: v for k, v in (("name", name), ("birth_date", birth_date),
                                  ("contact", contact)) if v}
    with record_tx(as_user) as tx:
        add_client(tx, code, identity=identity or None, notes=notes)
    typer.echo(f"added client {code}")


@clients_app.command("list")
def list_(as_user: AsOpt = None) -> None:
    """List the clients you may see.

    Example:

      rapport clients list --as tom
    """
    from rapport.store.clients import list_clients

    with record_tx(as_user) as tx:
        rows = list_clients(tx)
    for c in rows:
        state = f"closed {c.closed_at:%Y-%m-%d}" if c.closed_at else "open"
        typer.echo(f"{c.code:<16} {c.therapist:<16} sessions {c.sessions:<4} {state}")
    if not rows:
        typer.echo("no clients you can see", err=True)


@clients_app.command("show")
def show(code: CodeArg, as_user: AsOpt = None) -> None:
    """Show one client: identity (if yours to see), consents, session count.

    Example:

      rapport clients show C-017 --as tom
    """
    from rapport.store.clients import show_client

    with record_tx(as_user) as tx:
        c = show_client(tx, code)
    typer.echo(f"client    {c.code}\ntherapist {c.therapist}\nsessions  {c.sessions}")
    typer.echo(f"consents  {', '.join(c.current_consents) or '(none current)'}")
    typer.echo(f"status    {'closed ' + f'{c.closed_at:%Y-%m-%d}' if c.closed_at else 'open'}")
    if c.identity is None:
        typer.echo("identity  " + ("(none stored)" if c.identity_shown else "(not shown to you)"))
    else:
        for key, value in c.identity.items():
            typer.echo(f"{key:<9} {value}")
    if c.notes:
        typer.echo(f"notes     {c.notes}")


@clients_app.command("close")
def close(code: CodeArg,
          reopen: Annotated[bool, typer.Option("--reopen", help="Reopen a closed client.")] = False,
          as_user: AsOpt = None) -> None:
    """Mark therapy as ended; the retention period counts from here.

    Closing a closed client keeps the date it was closed (and says so).

    Example:

      rapport clients close C-017 --as tom
    """
    from rapport.store.clients import close_client

    with record_tx(as_user) as tx:
        closure = close_client(tx, code, reopen=reopen)
    if closure.changed:
        typer.echo(f"client {code} {'reopened' if reopen else 'closed'}")
    elif closure.closed_at is not None:  # exit 0: the same command may safely run again
        typer.echo(f"client {code} was already closed on {closure.closed_at:%Y-%m-%d}; "
                   "nothing changed (retention counts from that date)")
    else:
        typer.echo(f"client {code} is open; nothing changed")


@clients_app.command("reassign")
def reassign(codes: Annotated[list[str] | None, typer.Argument(
                 help="Only these clients' codes (default: all of --from's).")] = None,
             from_: Annotated[str, typer.Option("--from", help="The therapist who gives "
                                                "them up (e.g. one who left).")] = "",
             to: Annotated[str, typer.Option("--to", help="The therapist who takes them "
                                             "over.")] = "",
             as_user: AsOpt = None) -> None:
    """Give a therapist's clients to another (admins only), e.g. when a therapist leaves:
    the new therapist and their supervisors read them from then on, and can close them
    so that retention applies. The admin reads nothing of them; each move is audited.
    Name client codes to move only those.

    Example:

      rapport clients reassign --from tom --to tess --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.store.clients import reassign_clients

    if not from_ or not to:
        raise RapportInputError("name both therapists", where="--from/--to",
                                fix="rapport clients reassign --from OLD --to NEW --as ADMIN",
                                code="bad_input")
    with record_tx(as_user) as tx:
        moved = reassign_clients(tx, from_, to, codes or None)
    typer.echo(f"{len(moved)} client(s) of {from_} now with {to}" +
               (f": {', '.join(moved)}" if moved else ""))


@clients_app.command("erase")
def erase(code: CodeArg,
          yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone.")] = False,
          as_user: AsOpt = None) -> None:
    """Erase a client and all their data; the audit log keeps only that it happened.

    Example:

      rapport clients erase C-017 --yes --as tom
    """
    from rapport.errors import RapportInputError
    from rapport.store.clients import erase_client

    if not yes:
        raise RapportInputError(f"erasing {code} deletes all their data for good",
                                where="rapport clients erase",
                                fix=f"add --yes to confirm: rapport clients erase {code} --yes",
                                code="confirm")
    with record_tx(as_user) as tx:
        n = erase_client(tx, code)
    typer.echo(f"erased client {code} ({n} sessions); backups still hold them until they "
               "expire")


def register(app: typer.Typer) -> None:
    app.add_typer(clients_app, name="clients")
