"""Draw the boxes and their imports for ``docs/architecture.md`` from the code itself.

``make docs-architecture`` rewrites the diagram between the markers in
``docs/architecture.md``; a test regenerates it and compares, and ``lint-imports`` (run by
``make lint``) checks the same imports against the contracts in ``pyproject.toml``. So
the diagram is what the code does, and what the code does is what the contracts allow.
Needs the ``test`` extra (grimp, through import-linter).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

#: Modules every box may import; left out of the drawing to keep it readable.
SHARED = ("domain", "errors", "settings", "csv_safety")
START, END = "<!-- diagram: start (make docs-architecture) -->", "<!-- diagram: end -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


def box_imports() -> dict[str, list[str]]:
    """``box -> [boxes it imports]`` over ``rapport``'s top-level packages and modules."""
    import grimp

    graph = grimp.build_graph("rapport")
    boxes = sorted({m.split(".")[1] for m in graph.modules if m.count(".") >= 1}
                   - set(SHARED))
    return {a: [b for b in boxes if b != a and graph.direct_import_exists(
        importer=f"rapport.{a}", imported=f"rapport.{b}", as_packages=True)]
        for a in boxes}


def mermaid() -> str:
    lines = ["```mermaid", "flowchart TD"]
    for box, deps in box_imports().items():
        lines.extend(f"    {box} --> {dep}" for dep in deps)
    lines.append("```")
    return "\n".join(lines)


def with_diagram(text: str) -> str:
    """``text`` with the block between the markers replaced by the current diagram."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        msg = f"{DOC} has no diagram markers"
        raise RuntimeError(msg)
    return pattern.sub(lambda _: f"{START}\n{mermaid()}\n{END}", text)


if __name__ == "__main__":
    DOC.write_text(with_diagram(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    sys.stdout.write(f"diagram written to {DOC}\n")
