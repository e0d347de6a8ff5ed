from __future__ import annotations

import pytest
from cli_runner import Cli


@pytest.fixture
def cli() -> Cli:
    return Cli()
