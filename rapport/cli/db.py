"""``rapport db``: create or upgrade the record's tables; shared plumbing of record commands.

Every record command acts as a user (RAPPORT_USER or ``--as``) and runs as one
transaction through :func:`record_tx`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rapport.cli.options import RolesFileOpt

if TYPE_CHECKING:
    from rapport.pipeline import Analysis
    from rapport.store.database import Store
    from rapport.store.tx import Tx

AsOpt = Annotated[str | None, typer.Option(
    "--as", help="Act as this user (default: RAPPORT_USER).")]

HELP = """Create or upgrade the record's database (SQLite in RAPPORT_HOME, or RAPPORT_DATABASE_URL).

Example:

  rapport db upgrade
"""

db_app = typer.Typer(help=HELP, no_args_is_help=True)


@contextmanager
def record_tx(as_user: str | None, *, bootstrap: bool = False,
              older_schema_ok: bool = False) -> Iterator[Tx]:
    """One transaction on the configured record, as ``--as`` or RAPPORT_USER
    (``older_schema_ok``: also on a record `rapport db upgrade` has yet to bring up to
    date, for what is done before upgrading: a backup)."""
    from rapport.settings import get_settings
    from rapport.store.database import Store

    settings = get_settings()
    store = Store.from_settings(settings)
    try:
        username = (as_user or settings.user) if bootstrap else acting_username(as_user)
        store.require_current_schema(older_ok=older_schema_ok)
        with store.transaction(username, check_schema=False) as tx:
            yield tx
    finally:
        store.dispose()


def acting_username(as_user: str | None) -> str:
    """``--as`` or RAPPORT_USER; an input error when neither is given."""
    from rapport.errors import RapportInputError
    from rapport.settings import get_settings

    username = as_user or get_settings().user
    if username is None:
        raise RapportInputError("no user is acting", where="RAPPORT_USER",
                                fix="set RAPPORT_USER=<username> or pass --as <username>",
                                code="no_user")
    return username


def open_configured_store() -> Store:
    from rapport.store.database import open_store

    return open_store()


def parse_date(text: str | None, *, option: str) -> dt.date:
    """A YYYY-MM-DD date; today when not given."""
    from rapport.errors import RapportInputError

    if text is None:
        return dt.date.today()  # noqa: DTZ011 - a calendar date as the user sees it
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RapportInputError(f"invalid date {text!r}", where=option,
                                fix="write dates as YYYY-MM-DD", code="bad_date") from None


@db_app.command("upgrade")
def upgrade() -> None:
    """Create the tables, or bring them to this version of Rapport (one transaction).

    Example:

      rapport db upgrade
    """
    store = open_configured_store()
    try:
        before = store.current_revision()
        after = store.upgrade()
    finally:
        store.dispose()
    if before == after:
        typer.echo(f"record already at revision {after}: {store.describe()}")
    else:
        typer.echo(f"record upgraded {before or '(empty)'} -> {after}: {store.describe()}")


@db_app.command("status")
def status() -> None:
    """Show where the record is and whether it needs `rapport db upgrade`.

    Exits 0 when the record is up to date, 1 when it needs `rapport db upgrade` (no tables
    yet, or an older revision), 2 when this version cannot use it (damaged, newer than
    this version, or not reachable).

    Example:

      rapport db status
    """
    store = open_configured_store()
    try:
        state = store.schema_state()  # damaged or newer: the one-line error, exit 2
        current, head = store.current_revision(), store.head_revision()
    finally:
        store.dispose()
    said = "up to date" if state == "current" else "needs `rapport db upgrade`"
    typer.echo(f"{store.describe()}\nrevision {current or '(none)'} of {head}: {said}")
    if state != "current":
        raise typer.Exit(1)


@db_app.command("demo")
def demo(
    files: Annotated[list[Path], typer.Argument(help="Example transcripts (files or folders) to analyse and store.")],
    reset: Annotated[bool, typer.Option("--reset", help="Delete an existing SQLite demo record first.")] = False,
    roles_file: RolesFileOpt = None,
) -> None:
    """Create a demo record in RAPPORT_HOME: users, clients with consents, sessions, analyses.

    The users are ada (admin), tom (therapist), sam (supervisor of tom and tia), rita
    (researcher) and tia (trainee, no clients), each with the password demo-<name>; tia has
    a few practice attempts, judged by the practice room's judge.

    Each bundled example is its own invented client's session, numbered and dated as the
    demo's story has it (an intake is session 1); any other transcript becomes session 1
    of a client of its own.

    Example:

      RAPPORT_HOME=demo-output/home rapport db demo examples/ --roles examples/speakers.yaml
    """
    from rapport.caseload.demo_practice import seed_practice
    from rapport.ingest import read_sessions, role_map
    from rapport.pipeline import AnalyzeOptions, analyze_all
    from rapport.settings import get_settings
    from rapport.store.demo import create_demo_record
    from rapport.store.demo_story import in_story

    options = AnalyzeOptions.from_settings(get_settings())
    read = [replace(item, session=in_story(item.session))
            for item in read_sessions(files, roles=role_map(roles_file=roles_file))]
    analyses = list(analyze_all(read, options))
    record = create_demo_record(analyses, reset=reset)
    attempts = seed_practice(record.key_file)
    typer.echo(f"{record.describe()}\n{attempts} practice attempts stored for the trainee "
               "tia (judged by the practice room's judge)")


def check_record_target(code: str, session: int | None, n_sessions: int,
                        as_user: str | None) -> None:
    """Before analysing: refuse early when the result could not be stored."""
    from rapport.errors import RapportInputError
    from rapport.store.clients import find_client
    from rapport.store.consents import ConsentKind, require_consent

    if session is None:
        raise RapportInputError("--client needs --session N", where="--session",
                                fix="give the session number in the client's record")
    if n_sessions != 1:
        raise RapportInputError(f"--client stores exactly one session, got {n_sessions}",
                                where="--client", fix="analyse one transcript at a time")
    with record_tx(as_user) as tx:
        require_consent(tx, find_client(tx, code, write=True), ConsentKind.ANALYSIS,
                        doing="storing an analysis")


def store_in_record(code: str, session: int, analysis: Analysis,
                    as_user: str | None) -> None:
    """Store a finished analysis in the client's record (re-checks consent)."""
    from rapport.store.analyses import store_analysis

    with record_tx(as_user) as tx:
        analysis_id = store_analysis(tx, code, session, analysis.to_json(),
                                     session_date=analysis.document.session.date)
    typer.echo(f"stored as analysis {analysis_id} of client {code}, session {session}",
               err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
