"""Shared CLI plumbing: one rendering of input errors, exit codes, common options."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from rapport.ingest import ReadSession

#: Exit status for input the user can fix (the message says how).
EXIT_INPUT_ERROR = 2


#: How a value's type reads in --help (Typer would print ``<list[str]>``, ``<path>``).
_METAVARS = {"str": "TEXT", "path": "PATH", "Path": "PATH", "int": "INTEGER",
             "float": "NUMBER", "datetime": "DATE"}


class _Argument(TyperArgument):
    """An argument whose --help line is its name, without Typer's ``<list[Path]>``."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def _metavar(display: str) -> str:
    label = display.strip("<>").removeprefix("list[").removesuffix("]")
    return _METAVARS.get(label, f"[{label}]" if "|" in label else label.upper())


def tidy_help(command: Any) -> None:
    """Plain --help for a command and everything below it: option values read ``TEXT``,
    ``PATH``, ``INTEGER`` or ``[fast|accurate]``; argument names in capitals; example
    blocks (indented lines after a line ending in ':') kept line by line instead of being
    run together into one paragraph.
    """
    # Typer carries its own copy of click, hence typer.Context and untyped commands here
    ctx = typer.Context(command)
    for param in command.params:
        if isinstance(param, TyperOption) and param.metavar is None and not (
                param.is_flag or param.count):
            param.metavar = _metavar(param.display_type(ctx))
        elif isinstance(param, TyperArgument) and param.name:
            param.metavar = param.metavar or param.name.upper()
            # the class only changes how its help line is drawn
            param.__class__ = _Argument
    if command.help:
        command.help = _keep_examples(command.help)
    for sub in getattr(command, "commands", {}).values():
        tidy_help(sub)


def _keep_examples(text: str) -> str:
    # click rewraps every paragraph; a paragraph that begins with \b is printed as written
    return re.sub(r"(:\n\n)(?!\x08)(?=[ ]+\S)", ":\n\n\b\n", text)


class RapportGroup(TyperGroup):
    """Turns :class:`RapportInputError` into one short message and exit status 2, and
    tidies the --help of every command below it (:func:`tidy_help`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.help:
            self.help = _keep_examples(self.help)
        for command in self.commands.values():
            tidy_help(command)

    def invoke(self, ctx: typer.Context) -> Any:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except RapportInputError as exc:
            typer.echo(f"error: {exc.render()}", err=True)
            raise typer.Exit(EXIT_INPUT_ERROR) from None


def _print_version(value: bool) -> None:
    if value:
        from rapport import __version__

        typer.echo(f"rapport {__version__}")
        raise typer.Exit


def version_callback(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Rapport command line."""


def warn(message: str) -> None:
    """A warning for the person at the terminal (never contains client text)."""
    typer.echo(f"warning: {message}", err=True)


def fail(what: str, *, where: str | None = None, fix: str | None = None) -> None:
    """Raise the one input error type from command code."""
    raise RapportInputError(what, where=where, fix=fix)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def read_inputs(paths: Sequence[Path], *, therapist: Sequence[str] | None = None,
                client: Sequence[str] | None = None, other: Sequence[str] | None = None,
                fmt: str | None = None, encoding: str | None = None,
                roles_file: Path | None = None) -> list[ReadSession]:
    """Every session of the command's inputs (parsed before anything is written), with
    the role flags and roles file applied; warnings are printed once each."""
    from rapport.ingest import all_warnings, read_sessions, role_map

    roles = role_map(list(therapist or ()), list(client or ()), list(other or ()),
                     roles_file)
    read = read_sessions(paths, roles=roles, fmt=fmt, encoding=encoding)
    for w in all_warnings(read):
        warn(w)
    return read
