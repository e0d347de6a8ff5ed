from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import Cli

SESSION_TEXT = """Therapist: What would you like to focus on today?
Client: I don't know. Work, I guess. My manager keeps piling things on me.
Therapist: It sounds like you're carrying more than feels fair.
Client: Yeah. Exactly that.
Therapist: Mm-hmm.
Client: And I can't say no to her.
"""


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "week3.txt"
    path.write_text(SESSION_TEXT, encoding="utf-8")
    return path
