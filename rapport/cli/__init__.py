"""The ``rapport`` command line.

Each command group lives in its own module (``rapport/cli/<name>.py``) exposing
``register(app)``; :data:`COMMAND_MODULES` lists them in ``--help`` order. Modules import
only Typer at import time and everything heavy inside their commands, so that
``rapport --help`` answers fast.
"""

from __future__ import annotations

import typer

from rapport.cli import (
    analyze,
    audit,
    backup,
    batch,
    clients,
    code,
    coding,
    consents,
    db,
    deid,
    evaluate,
    export,
    flags,
    keys,
    measures,
    nonverbal,
    practice,
    reliability,
    retention,
    serve,
    sessions,
    train,
    transcribe,
    users,
)
from rapport.cli.framework import RapportGroup, version_callback

#: The command modules, in the order ``--help`` lists them.
COMMAND_MODULES = (analyze, transcribe, code, train, evaluate, nonverbal, measures, flags, serve, users,
                   clients, sessions, consents, audit, keys, backup, retention, db, deid, batch,
                   reliability, export, coding, practice)

HELP = """Rapport: see how well you listened, where trust wavered, and how the alliance is trending.

Everything runs on this machine; nothing is sent anywhere.

Example:

  rapport analyze examples/rupture_repair.txt --html report.html
"""


def build_app() -> typer.Typer:
    app = typer.Typer(cls=RapportGroup, help=HELP, no_args_is_help=True,
                      pretty_exceptions_enable=False, add_completion=False,
                      rich_markup_mode=None, context_settings={"help_option_names":
                                                               ["-h", "--help"]})
    app.callback()(version_callback)
    for module in COMMAND_MODULES:
        module.register(app)
    return app


def main() -> None:
    build_app()(prog_name="rapport")
