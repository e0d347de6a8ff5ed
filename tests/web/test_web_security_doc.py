"""docs/security.md names, for each defence, the test that checks it: those tests exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    named: list[tuple[str, str]] = []
    current = None
    # "`tests/x.py::test_a`, `::test_b`": a bare "::name" belongs to the last file named.
    for file, test in re.findall(r"`(tests/[\w/]+\.py)?::(test_\w+)`", text):
        current = file or current
        assert current, f"::{test} before any file in docs/security.md"
        named.append((current, test))
    assert len(named) >= 40
    missing = [f"{file}::{test}" for file, test in named
               if test not in _tests_in(ROOT / file)]
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"
