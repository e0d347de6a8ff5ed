"""``make demo``: analyse the bundled example sessions and say where the reports are.

Runs the same code as ``rapport analyze`` on every example (with the role flags each one
needs, listed in :data:`EXAMPLES`), writes JSON and HTML reports into ``--out``, and
prints what to open next. It returns; it never serves or blocks.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from rapport.errors import RapportInputError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES_DIR = ROOT / "examples"


@dataclass(frozen=True)
class Example:
    """One bundled example and the speaker mapping ``rapport analyze`` needs for it."""

    file: str
    therapist: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


#: The bundled examples (see examples/README.md for what each one shows).
EXAMPLES: tuple[Example, ...] = ()


def _examples() -> list[Example]:
    if EXAMPLES:
        return list(EXAMPLES)
    return [Example(file=p.name) for p in sorted(EXAMPLES_DIR.glob("*"))
            if p.suffix in (".txt", ".vtt", ".srt", ".json", ".csv", ".jsonl")]


def run_demo(out: Path) -> list[Path]:
    """Analyse every example into ``out``; return the HTML reports written."""
    from rich.console import Console

    from rapport.cli.inputs import read_sessions, write_atomically
    from rapport.coding import code_sessions, load_coders
    from rapport.report.analyze import analyze_coded

    console = Console()
    coders = load_coders("fast")
    written: list[Path] = []
    for example in _examples():
        path = EXAMPLES_DIR / example.file
        sessions, warnings = read_sessions([path], therapist=example.therapist,
                                           client=example.client, other=example.other)
        for coded in code_sessions(sessions, coders):
            analysis = analyze_coded(coded, warnings=warnings)
            sid = analysis.document.session.id
            write_atomically(out / f"{sid}.json", analysis.to_json())
            html = out / f"{sid}.html"
            write_atomically(html, analysis.to_html())
            written.append(html)
            console.print(f"[green]✓[/] {example.file} → {html}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rapport.demo", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("demo-output"))
    args = parser.parse_args(argv)
    try:
        reports = run_demo(args.out)
    except RapportInputError as exc:
        sys.stderr.write(f"error: {exc.render()}\n")
        return 2
    sys.stdout.write(
        f"\n{len(reports)} reports in {args.out.resolve()}/ (open the .html files in a "
        "browser; the .json files follow docs/schema/analysis.schema.json).\n"
        "Analyse your own transcript: .venv/bin/rapport analyze FILE --html report.html\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
