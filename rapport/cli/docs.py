"""Generate ``docs/cli.md`` from the live ``--help`` of every command.

``make docs-cli`` writes the file; a test regenerates it and compares, so the committed
reference can never drift from the code.
"""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from rapport.cli import build_app

HEADER = """# Command-line reference

Generated from `rapport --help` by `make docs-cli`; a test fails when this file is out of
date. Every command exits 0 on success, 2 on input the user can fix (the message says
what, where and how), and 1 on an internal error.
"""


def _help(args: list[str]) -> str:
    result = CliRunner().invoke(build_app(), [*args, "--help"], prog_name="rapport",
                                env={"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"})
    if result.exit_code != 0:
        msg = f"rapport {' '.join(args)} --help failed: {result.output}"
        raise RuntimeError(msg)
    return result.output.rstrip()


def _commands(args: list[str]) -> list[list[str]]:
    """Every command path below ``args``, depth first, in --help order."""
    import typer.main

    group = typer.main.get_command(build_app())
    for name in args:
        group = group.commands[name]  # type: ignore[attr-defined]
    out: list[list[str]] = []
    for name in getattr(group, "commands", {}):
        path = [*args, name]
        out.append(path)
        out.extend(_commands(path))
    return out


def render() -> str:
    parts = [HEADER, "## rapport\n", "```text", _help([]), "```\n"]
    for path in _commands([]):
        parts += [f"## rapport {' '.join(path)}\n", "```text", _help(path), "```\n"]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
