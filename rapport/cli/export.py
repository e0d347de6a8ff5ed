"""``rapport export``: research exports (tidy tables, ConvoKit corpora)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Registered once the export commands land."""
