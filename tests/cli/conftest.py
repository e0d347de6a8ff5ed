from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rapport.cli import build_app

SESSION_TEXT = """Therapist: What would you like to focus on today?
Client: I don't know. Work, I guess. My manager keeps piling things on me.
Therapist: It sounds like you're carrying more than feels fair.
Client: Yeah. Exactly that.
Therapist: Mm-hmm.
Client: And I can't say no to her.
"""


class Cli:
    """The real ``rapport`` CLI through Typer's runner."""

    def __init__(self) -> None:
        self.runner = CliRunner()
        self.app = build_app()

    def __call__(self, *args: str | Path):
        return self.runner.invoke(self.app, [str(a) for a in args], prog_name="rapport")


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "week3.txt"
    path.write_text(SESSION_TEXT, encoding="utf-8")
    return path
