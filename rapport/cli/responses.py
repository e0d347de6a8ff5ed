"""``rapport measures responses`` (a client's stored questionnaires, with their ids) and
``rapport measures entered-in-error`` (mark one stored by mistake)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.db import AsOpt

if TYPE_CHECKING:
    from rapport.store.responses import ResponseView

RESPONSES_HELP = """List a client's stored questionnaire responses: id, session, instrument,
total, who recorded them and when; those marked entered in error last, with who marked
them, when and why (they count in no score).

Example:

  rapport measures responses C-017 --as tom
"""

ERROR_HELP = """Mark a stored questionnaire response entered in error (wrong client, wrong
session, answers typed wrongly). It is never deleted: it leaves every score, chart, alert
and band, stays listed with who marked it, when and why (the audit log records it too),
and the session can then record the right answers (`rapport measures record`).

A response with an open safety flag is refused until the flag is acknowledged
(`rapport flags acknowledge`). Only the client's treating therapist may mark one.

Example:

  rapport measures responses C-017 --as tom
  rapport measures entered-in-error C-017 1 --reason "entered for the wrong client" --as tom
"""

CodeArg = Annotated[str, typer.Argument(help="The client's pseudonymous code.")]


def _total(response: ResponseView) -> str:
    total = response.scores.get("total")
    return "-" if not isinstance(total, int | float) else f"{total:g}"


def _line(response: ResponseView) -> str:
    session = "-" if response.session_number is None else str(response.session_number)
    return (f"{response.id:>6}  {session:>7}  {response.instrument_id:<10} "
            f"{_total(response):>6}  {response.recorded_by} "
            f"{response.recorded_at:%Y-%m-%d %H:%M} UTC")


def responses_command(code: CodeArg, as_user: AsOpt = None) -> None:
    from rapport.cli.db import record_tx
    from rapport.store.responses import list_entered_in_error, list_responses

    with record_tx(as_user) as tx:
        counted = list_responses(tx, code)
        marked = list_entered_in_error(tx, code)
    if not counted and not marked:
        typer.echo(f"Client {code} has no stored questionnaire responses.")
        return
    typer.echo(f"{'id':>6}  {'session':>7}  {'instrument':<10} {'total':>6}  recorded")
    for response in counted:
        typer.echo(_line(response))
    if marked:
        typer.echo("Entered in error (in no score):")
    for response in marked:
        mark = response.entered_in_error
        assert mark is not None  # list_entered_in_error returns marked responses only
        typer.echo(f"{_line(response)}; marked by {mark.by} {mark.at:%Y-%m-%d %H:%M} UTC: "
                   f"{mark.reason}")


def entered_in_error_command(
    code: CodeArg,
    response: Annotated[int, typer.Argument(
        help="The response's id, as `rapport measures responses` lists it.")],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why, in a sentence (stored encrypted, shown with the response).")],
    as_user: AsOpt = None,
) -> None:
    from rapport.caseload import mark_response_entered_in_error
    from rapport.cli.db import record_tx

    with record_tx(as_user) as tx:
        view = mark_response_entered_in_error(tx, code, response, reason=reason)
    where = ("without a session" if view.session_number is None
             else f"session {view.session_number}")
    typer.echo(f"marked response {view.id} ({view.instrument_id}, {where}) of client {code} "
               "entered in error; it counts in no score and stays in the record")


def register(group: typer.Typer) -> None:
    group.command("responses", help=RESPONSES_HELP)(responses_command)
    group.command("entered-in-error", help=ERROR_HELP)(entered_in_error_command)
