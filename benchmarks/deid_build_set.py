"""Build a labelled de-identification set (JSONL) from its hand-written marked-up source.

The source has one utterance a line; ``[[TYPE:text]]`` marks an identifier, and an optional
``known=Name;Name :: `` prefix lists the session's speaker names. Each output line is
``{"id", "text", "known_names", "spans": [{"start", "end", "type", "text"}]}`` with exact
character offsets into ``text``.

A line ``== NAME known=Name;Name`` starts a transcript: the lines after it are the turns of one
session called NAME (each row then also has ``"session": NAME``) and share its known names, so
that what is found in one turn can be used in the others, as ``rapport deid`` does.

    .venv/bin/python benchmarks/deid_build_set.py data/deid/eval.src.txt data/deid/eval.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

MARK = re.compile(r"\[\[([A-Z]+):(.+?)\]\]")
TYPES = {"PERSON", "LOCATION", "DATE", "AGE", "PHONE", "EMAIL", "URL", "HANDLE", "ID", "PLATE"}


def parse_line(line: str) -> tuple[str, list[str], list[dict[str, object]]]:
    """Return the plain text, the known names and the gold spans of one marked-up line."""
    known: list[str] = []
    if line.startswith("known=") and " :: " in line:
        head, line = line.split(" :: ", 1)
        known = [n.strip() for n in head.removeprefix("known=").split(";") if n.strip()]
    text_parts: list[str] = []
    spans: list[dict[str, object]] = []
    pos = 0
    length = 0
    for match in MARK.finditer(line):
        before = line[pos:match.start()]
        text_parts.append(before)
        length += len(before)
        kind, value = match.group(1), match.group(2)
        if kind not in TYPES:
            raise ValueError(f"unknown type {kind!r} in {line!r}")
        spans.append({"start": length, "end": length + len(value), "type": kind, "text": value})
        text_parts.append(value)
        length += len(value)
        pos = match.end()
    text_parts.append(line[pos:])
    text = "".join(text_parts)
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced markup in {line!r}")
    return text, known, spans


def parse_session(line: str) -> tuple[str, list[str]]:
    """The name and known names of a ``== NAME known=Name;Name`` transcript header."""
    head = line.removeprefix("== ").strip()
    name, _, rest = head.partition(" ")
    rest = rest.strip()
    if not name or (rest and not rest.startswith("known=")):
        raise ValueError(f"bad transcript header {line!r}: write '== NAME known=Name;Name'")
    known = [n.strip() for n in rest.removeprefix("known=").split(";") if n.strip()]
    return name, known


def build(source: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    prefix = source.name.split(".")[0]
    lines = [ln.rstrip("\n") for ln in source.read_text(encoding="utf-8").splitlines()]
    session: tuple[str, list[str]] | None = None
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("== "):
            session = parse_session(line)
            continue
        text, known, spans = parse_line(line)
        row: dict[str, object] = {"id": f"{prefix}-{len(rows) + 1:03d}", "text": text,
                                  "known_names": known or (session[1] if session else []),
                                  "spans": spans}
        if session is not None:
            row["session"] = session[0]
        rows.append(row)
    return rows


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    rows = build(source)
    target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                      encoding="utf-8")
    spans = sum(len(r["spans"]) for r in rows)  # type: ignore[arg-type,misc]
    print(f"{len(rows)} utterances, {spans} spans -> {target}")


if __name__ == "__main__":
    main()
