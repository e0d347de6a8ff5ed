"""``rapport audit``: who read or changed client data, when, and through what."""

from __future__ import annotations

from typing import Annotated

import typer

from rapport.cli.db import AsOpt, parse_date, record_tx

HELP = """Query the audit log (admins: everything; therapists: about their clients).

Example:

  rapport audit --client C-017 --as tom
  rapport audit --since 2026-03-01 --as ada
"""


def audit(
    client: Annotated[str | None, typer.Option("--client", help="Only entries about this client.")] = None,
    subject: Annotated[str | None, typer.Option("--subject", help="Only entries about this client uid (survives erasure).")] = None,
    user: Annotated[str | None, typer.Option("--user", help="Only entries by this user.")] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="From this date (from midnight UTC, as the times shown), "
        "YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1,
                                       help="At most this many, newest first.")] = 200,
    as_user: AsOpt = None,
) -> None:
    import datetime as dt

    from rapport.cli.framework import warn
    from rapport.store.audit import query_audit
    from rapport.store.permissions import UserRole
    from rapport.store.users import list_users

    start = None
    if since is not None:
        day = parse_date(since, option="--since")
        start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    with record_tx(as_user) as tx:
        rows = query_audit(tx, client_code=client, subject=subject, actor=user, since=start,
                           limit=limit)
        # only an admin sees every user: for anyone else a name they cannot see is no typo
        known = ({u.username for u in list_users(tx)}
                 if user and not rows and tx.me().role is UserRole.ADMIN else None)
    if known is not None and user not in known:
        # "--user Tom" finding nothing must not read as "Tom did nothing"
        warn(f"--user: no user named {user!r} in the record (names are case-sensitive)")
    if rows:
        typer.echo(f"{'at (UTC)':<19}  {'user':<14} {'via':<6} {'action':<12} {'entity':<12} "
                   f"{'client uid':<32} detail")
    for r in rows:
        typer.echo(f"{r.at:%Y-%m-%d %H:%M:%S}  {shown(r.actor):<14} {r.interface:<6} "
                   f"{shown(r.action):<12} {shown(r.entity):<12} "
                   f"{shown(r.subject or '-'):<32} {shown(r.detail)}")


def shown(text: str) -> str:
    """``text`` on one line that cannot pass for another entry.

    The log stores what was typed, verbatim (a login username can hold a newline); only
    this rendering escapes control and line-breaking characters (and the backslash, so an
    escape in the text cannot be mistaken for one made here): a newline shows as ``\\n``.
    """
    return "".join(_escaped(c) for c in text)


def _escaped(char: str) -> str:
    import unicodedata

    if char == "\\":
        return "\\\\"
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
        return char.encode("unicode_escape").decode("ascii")
    return char


def register(app: typer.Typer) -> None:
    app.command("audit", help=HELP)(audit)
