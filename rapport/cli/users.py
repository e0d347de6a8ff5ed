"""``rapport users``: people who use the record (admins manage them)."""

from __future__ import annotations

from typing import Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

HELP = """Add and list users: therapist, supervisor, researcher, admin, trainee.

Example:

  rapport users add ada --admin
  rapport users add tom --role therapist --as ada
"""

users_app = typer.Typer(help=HELP, no_args_is_help=True)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[str, typer.Option("--role", help="therapist, supervisor, researcher, admin or trainee.")] = "therapist",
    admin: Annotated[bool, typer.Option("--admin", help="Make an admin (how the first admin is created).")] = False,
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read a web password from standard input.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Add a user (admins only; on an empty record, the first admin).

    Example:

      rapport users add tom --role therapist --as ada
    """
    from rapport.store.permissions import UserRole
    from rapport.store.users import add_user, parse_role

    password = typer.get_text_stream("stdin").readline().rstrip("\n") if password_stdin else None
    with record_tx(as_user, bootstrap=True) as tx:
        view = add_user(tx, username, UserRole.ADMIN if admin else parse_role(role),
                        display_name=name, password=password or None)
    typer.echo(f"added {view.role} {view.username}")


@users_app.command("list")
def list_(as_user: AsOpt = None) -> None:
    """List users (admins see everyone).

    Example:

      rapport users list --as ada
    """
    from rapport.store.users import list_users

    with record_tx(as_user) as tx:
        users = list_users(tx)
    for u in users:
        typer.echo(f"{u.username:<20} {u.role:<11} {'active' if u.active else 'inactive':<8} "
                   f"{u.display_name}")


@users_app.command("supervise")
def supervise(
    supervisor: Annotated[str, typer.Argument(help="The supervisor's username.")],
    therapist: Annotated[str, typer.Argument(help="The supervised therapist's or trainee's username.")],
    identity: Annotated[bool, typer.Option("--identity/--no-identity", help="Also show clients' identifying fields.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Let a supervisor review a therapist's clients (and a therapist's or trainee's
    practice), read-only (admins only).

    Example:

      rapport users supervise sam tom --as ada
    """
    from rapport.store.users import link_supervision

    with record_tx(as_user) as tx:
        link_supervision(tx, supervisor, therapist, identity_granted=identity)
    typer.echo(f"{supervisor} now supervises {therapist} "
               f"({'with' if identity else 'without'} identifying fields)")


@users_app.command("deactivate")
def deactivate(
    username: Annotated[str, typer.Argument(help="The user to deactivate.")],
    reactivate: Annotated[bool, typer.Option("--reactivate", help="Make the user active again.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Stop a user from signing in (admins only); their sign-ins and API tokens end at once
    and their open feedback forms close. --reactivate revives none of them.

    Example:

      rapport users deactivate tess --as ada
    """
    from rapport.store.users import set_active

    with record_tx(as_user) as tx:
        set_active(tx, username, reactivate)
    typer.echo(f"{username} is {'active' if reactivate else 'deactivated'}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
