"""``rapport flags``: safety flags (every source) and their acknowledgements.

A flag is never deleted or hidden; acknowledging it records who did what and when, and
moves it from open to acknowledged (see :mod:`rapport.caseload.safety`).
"""

from __future__ import annotations

from typing import Annotated

import typer

HELP = """Safety flags: list them (open first) and acknowledge them with a note.

A flag (e.g. PHQ-9 item 9 answered above 0, or left blank) is never deleted or hidden.
Acknowledging it records who, when, what was done and a note (encrypted, audited); the flag
then shows as acknowledged, with its history.

Example:

  rapport flags list --as tom
  rapport flags list C-017 --as tom
  rapport flags acknowledge C-017 questionnaire:1:phq9_9 --action assessed \\
      --note "asked directly; no plan or intent; safety plan reviewed" --as tom
"""

LIST_HELP = """List safety flags: one client's, with every acknowledgement and its note, or
(without CODE) the open flags of every client you may read.

Example:

  rapport flags list --as tom
  rapport flags list C-017 --as tom
"""

ACK_HELP = """Acknowledge a safety flag: what was done (--action) and a note. The flag stays,
marked acknowledged; later acknowledgements add to its history.

Actions: discussed, assessed, safety_plan, referred, contact_attempted, other; for risk
language found in a transcript also not_risk (reviewed: a false alarm of the coder).

Example:

  rapport flags acknowledge C-017 questionnaire:1:phq9_9 --action assessed \\
      --note "asked directly; no plan or intent; safety plan reviewed" --as tom
"""

AsUserOpt = Annotated[str | None, typer.Option(
    "--as", help="Act as this user (default: RAPPORT_USER).")]


def list_command(
    code: Annotated[str | None, typer.Argument(
        help="A client's code; without it, the open flags of every client.")] = None,
    as_user: AsUserOpt = None,
) -> None:
    from rapport.caseload import caseload, client_flags
    from rapport.caseload.safety import ACTIONS, render_flags
    from rapport.cli.db import record_tx
    from rapport.cli.framework import warn

    if code is None:
        with record_tx(as_user) as tx:
            rows = caseload(tx)
        found = [(row.code, flag) for row in rows for flag in row.open_flags]
        if not found:
            typer.echo("No open safety flags.")
        for client, flag in found:
            typer.echo(f"{client}  {flag.line()}")
        return
    with record_tx(as_user) as tx:
        flags, warnings = client_flags(tx, code)
    for message in warnings:
        warn(message)
    typer.echo(f"Client {code}")
    typer.echo(render_flags(flags))
    for flag in flags:
        for ack in flag.acknowledgements:
            typer.echo(f"  [{flag.ref}] {ack.at:%Y-%m-%d %H:%M} UTC {ack.by} ({ack.role}): "
                       f"{ACTIONS.get(ack.action, ack.action)} - {ack.note}")


def acknowledge_command(
    code: Annotated[str, typer.Argument(help="The client's code.")],
    flag: Annotated[str, typer.Argument(
        help="The flag's id as listed, e.g. questionnaire:1:phq9_9.")],
    action: Annotated[str, typer.Option(
        "--action", help="What was done: discussed, assessed, safety_plan, referred, "
        "contact_attempted, other; not_risk (a transcript's false alarm) for transcript "
        "flags only.")],
    note: Annotated[str, typer.Option("--note", help="What was done, in your words.")],
    as_user: AsUserOpt = None,
) -> None:
    from rapport.caseload import acknowledge
    from rapport.cli.db import record_tx

    with record_tx(as_user) as tx:
        ack = acknowledge(tx, code, flag, action=action, note=note)
    typer.echo(f"acknowledged {ack.ref} for client {code} as {ack.by} "
               f"({ack.at:%Y-%m-%d %H:%M} UTC); the flag stays in the record")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group.command("list", help=LIST_HELP)(list_command)
    group.command("acknowledge", help=ACK_HELP)(acknowledge_command)
    app.add_typer(group, name="flags")
