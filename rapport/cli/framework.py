"""Shared CLI plumbing: one rendering of input errors, exit codes, common options."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from rapport.ingest import ReadSession

#: Exit status for input the user can fix (the message says how).
EXIT_INPUT_ERROR = 2


class RapportGroup(TyperGroup):
    """Turns :class:`RapportInputError` into one short message and exit status 2."""

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
                fmt: str | None = None, encoding: str | None = None) -> list[ReadSession]:
    """Every session of the command's inputs (parsed before anything is written), with
    the role flags applied; warnings are printed once each."""
    from rapport.ingest import RoleMap, all_warnings, read_sessions

    roles = RoleMap(therapist=tuple(therapist or ()), client=tuple(client or ()),
                    other=tuple(other or ()))
    read = read_sessions(paths, roles=roles, fmt=fmt, encoding=encoding)
    for w in all_warnings(read):
        warn(w)
    return read
