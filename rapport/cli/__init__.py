"""The ``rapport`` command line.

Each command group lives in its own module (``rapport/cli/<name>.py``) exposing
``register(app)``; :data:`COMMAND_MODULES` lists them in ``--help`` order. Modules import
only Typer at import time and everything heavy inside their commands, so that
``rapport --help`` answers fast.
"""

from __future__ import annotations

import importlib

import typer

from rapport.cli.framework import RapportGroup, version_callback

#: One line per command module, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "rapport.cli.analyze",
    "rapport.cli.code",
    "rapport.cli.train",
    "rapport.cli.evaluate",
    "rapport.cli.nonverbal",
    "rapport.cli.measures",
    "rapport.cli.flags",
    "rapport.cli.serve",
    "rapport.cli.users",
    "rapport.cli.clients",
    "rapport.cli.sessions",
    "rapport.cli.consents",
    "rapport.cli.audit",
    "rapport.cli.keys",
    "rapport.cli.backup",
    "rapport.cli.retention",
    "rapport.cli.db",
    "rapport.cli.deid",
    "rapport.cli.batch",
    "rapport.cli.reliability",
    "rapport.cli.export",
)

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
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    return app


def main() -> None:
    build_app()(prog_name="rapport")
