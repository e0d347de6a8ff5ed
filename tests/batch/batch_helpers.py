"""Helpers shared by the batch tests (imported by name; conftest holds the fixtures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from cli_runner import Cli


def read_table(out: Path, table: str) -> pd.DataFrame:
    """A table's parts read as one frame, in part order."""
    return pd.read_parquet(out / table)


def code_table_of(cli: Cli, inputs: list[Path], out: Path) -> pd.DataFrame:
    """What ``rapport code`` writes for the same inputs."""
    result = cli("code", *inputs, "--out", out)
    assert result.exit_code == 0, result.output
    return pd.read_parquet(out)
