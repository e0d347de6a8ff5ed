"""The commands the README and the docs tell people to run, as written.

Read from the README's shell code blocks, the ``Example:`` blocks of ``docs/cli.md`` (the
live ``--help``) and the command column of ``examples/README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"```(?:sh|bash|console)\n(.*?)```", re.S)


def _join_continued(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1].rstrip() + " " + line.strip()
        else:
            out.append(line.strip())
    return out


def _commands(lines: list[str]) -> list[str]:
    """Shell lines: continued lines joined, comments removed."""
    found: list[str] = []
    for line in _join_continued(lines):
        command = re.sub(r"\s+#\s.*$", "", line).strip()
        if command and not command.startswith("#"):
            found.append(command)
    return found


def readme_commands(path: Path) -> list[str]:
    """Lines of the file's shell code blocks."""
    return [command for block in _FENCE.findall(path.read_text(encoding="utf-8"))
            for command in _commands(block.splitlines())]


def cli_examples(path: Path) -> list[str]:
    """The indented lines under each ``Example:``/``Examples:`` of docs/cli.md."""
    found: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if not re.fullmatch(r"Examples?( \(.*\))?:", line.strip()):
            continue
        block: list[str] = []
        for following in lines[i + 2:]:
            if not following.strip():
                break
            block.append(following)
        found += _commands(block)
    return found


def example_table_commands(path: Path) -> list[str]:
    """The backquoted commands in the last column of examples/README.md's table."""
    found: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("|") and line.rstrip().endswith("` |"):
            cell = line.rstrip().rstrip("|").rsplit("|", 1)[-1].strip()
            if cell.startswith("`rapport "):
                found.append(cell.strip("`"))
    return found


def documented_commands() -> dict[str, list[str]]:
    """Every documented command by the file that prints it."""
    return {"README.md": readme_commands(ROOT / "README.md"),
            "docs/cli.md": cli_examples(ROOT / "docs" / "cli.md"),
            "examples/README.md": example_table_commands(ROOT / "examples" / "README.md")}
