"""``rapport users``: people who use the record (admins manage them)."""

from __future__ import annotations

from typing import Annotated

import typer

from rapport.cli.db import AsOpt, record_tx

HELP = """Add and list users (therapist, supervisor, researcher, admin, trainee), link and
unlink supervision, set passwords, deactivate.

Example:

  rapport users add ada --admin
  rapport users add tom --role therapist --as ada
"""

users_app = typer.Typer(help=HELP, no_args_is_help=True)


@users_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[str | None, typer.Option("--role", help="therapist (the default), supervisor, researcher, admin or trainee.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make an admin (how the first admin is created).")] = False,
    name: Annotated[str, typer.Option("--name", help="Display name.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read a web password from standard input.")] = False,
    as_user: AsOpt = None,
) -> None:
    """Add a user (admins only; on an empty record, the first admin). A web password
    (--password-stdin) needs at least 10 characters.

    Example:

      rapport users add tom --role therapist --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.store.permissions import UserRole
    from rapport.store.users import add_user, parse_role

    chosen = parse_role(role) if role is not None else None
    if admin and chosen not in (None, UserRole.ADMIN):
        raise RapportInputError(f"--admin and --role {role} contradict each other",
                                where="--role", fix="give either --admin or --role",
                                code="bad_role")
    if admin:
        chosen = UserRole.ADMIN
    password = _read_password() if password_stdin else None
    with record_tx(as_user, bootstrap=True) as tx:
        view = add_user(tx, username, chosen or UserRole.THERAPIST, display_name=name,
                        password=password)
    typer.echo(f"added {view.role} {view.username}")


def _read_password() -> str:
    """One line of standard input, the password (nothing read is refused, never taken as
    "no password")."""
    from rapport.errors import RapportInputError

    line = typer.get_text_stream("stdin").readline()
    if not line:
        raise RapportInputError("standard input gave no password", where="--password-stdin",
                                fix="pipe the password in: printf '%s\\n' \"$PW\" | rapport ...",
                                code="weak_password")
    return line.rstrip("\r\n")


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


@users_app.command("unsupervise")
def unsupervise(
    supervisor: Annotated[str, typer.Argument(help="The supervisor's username.")],
    therapist: Annotated[str, typer.Argument(help="The supervised therapist's or trainee's username.")],
    as_user: AsOpt = None,
) -> None:
    """End a supervision (admins only): the supervisor no longer reads the therapist's
    clients or practice.

    Example:

      rapport users unsupervise sam tom --as ada
    """
    from rapport.store.users import unlink_supervision

    with record_tx(as_user) as tx:
        unlink_supervision(tx, supervisor, therapist)
    typer.echo(f"{supervisor} no longer supervises {therapist}")


@users_app.command("password")
def password_(
    username: Annotated[str, typer.Argument(help="The user whose password is set.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password from standard input (required).")] = False,
    as_user: AsOpt = None,
) -> None:
    """Set a user's web password (admins: anyone's; others: their own), at least 10
    characters. The user's browser sign-ins and API tokens end at once.

    Example:

      rapport users password tom --password-stdin --as ada
    """
    from rapport.errors import RapportInputError
    from rapport.store.users import set_password

    if not password_stdin:
        raise RapportInputError("the new password is read from standard input only",
                                where="rapport users password", fix="pass --password-stdin "
                                "(a password on the command line would land in the shell's "
                                "history)", code="bad_input")
    new = _read_password()
    with record_tx(as_user) as tx:
        set_password(tx, username, new)
    typer.echo(f"password of {username} set; their sign-ins and API tokens are ended")


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
