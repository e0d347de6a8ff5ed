"""The real ``rapport`` CLI through Typer's runner, shared by every test folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from rapport.cli import build_app


class Cli:
    """``cli("code", path, "--out", out)`` runs ``rapport code ...`` in-process.

    ``code=N`` asserts the exit status (``checked=True`` makes 0 the default), showing the
    output when it differs.
    """

    def __init__(self, *, checked: bool = False) -> None:
        self.runner = CliRunner()
        self.app = build_app()
        self.checked = checked

    def __call__(self, *args: str | Path, code: int | None = None) -> Any:
        result = self.runner.invoke(self.app, [str(a) for a in args], prog_name="rapport")
        expected = 0 if code is None and self.checked else code
        if expected is not None:
            assert result.exit_code == expected, (args, result.output)
        return result
