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
    since: Annotated[str | None, typer.Option("--since", help="From this date, YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many, newest first.")] = 200,
    as_user: AsOpt = None,
) -> None:
    import datetime as dt

    from rapport.store.audit import query_audit

    start = None
    if since is not None:
        day = parse_date(since, option="--since")
        start = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    with record_tx(as_user) as tx:
        rows = query_audit(tx, client_code=client, subject=subject, actor=user, since=start,
                           limit=limit)
    for r in rows:
        typer.echo(f"{r.at:%Y-%m-%d %H:%M:%S}  {r.actor:<14} {r.interface:<6} {r.action:<9} "
                   f"{r.entity:<12} {r.subject or '-':<32} {r.detail}")


def register(app: typer.Typer) -> None:
    app.command("audit", help=HELP)(audit)
