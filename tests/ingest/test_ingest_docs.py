"""The examples in docs/formats.md are real inputs: each parses in the format it documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapport.ingest import RoleMap, parse_bytes

DOC = Path(__file__).resolve().parents[2] / "docs" / "formats.md"
ROLES = RoleMap(therapist=("Dr. Lee", "SPEAKER_00"), client=("Jordan", "Maya", "SPEAKER_01"))
_FORMAT_HEADING = re.compile(r"^## .*\(`(\w+)`\)")


def documented_examples() -> list[tuple[str, str]]:
    """``(format, block)`` for every fenced block under a ``## Name (`fmt`)`` heading."""
    found: list[tuple[str, str]] = []
    fmt: str | None = None
    block: list[str] | None = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if block is not None:
            if line.startswith("```"):
                if fmt:
                    found.append((fmt, "\n".join(block) + "\n"))
                block = None
            else:
                block.append(line)
        elif line.startswith("```"):
            block = []
        elif line.startswith("## "):
            match = _FORMAT_HEADING.match(line)
            fmt = match.group(1) if match else None
    return found


def test_every_format_has_a_documented_example() -> None:
    assert {fmt for fmt, _ in documented_examples()} == {"text", "vtt", "srt", "whisper",
                                                         "csv", "jsonl"}


@pytest.mark.parametrize(("fmt", "block"), documented_examples())
def test_documented_example_parses_as_its_format(fmt: str, block: str) -> None:
    result = parse_bytes(block.encode("utf-8"), name=f"example.{fmt}", roles=ROLES)
    assert result.format == fmt
    assert len(result.sessions[0].turns) >= 2
