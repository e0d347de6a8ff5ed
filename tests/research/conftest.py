from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import build_app


class Cli:
    """The real ``rapport`` CLI through Typer's runner (stderr kept apart)."""

    def __init__(self) -> None:
        self.runner = CliRunner()
        self.app = build_app()

    def __call__(self, *args: str | Path):
        return self.runner.invoke(self.app, [str(a) for a in args], prog_name="rapport")


@pytest.fixture
def cli() -> Cli:
    return Cli()
