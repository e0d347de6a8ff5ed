"""Terminal summary of an analysis, printed with rich."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

    from rapport.report.analyze import Analysis


def print_summary(analysis: Analysis, console: Console) -> None:
    doc = analysis.document
    console.rule(f"[bold]Session {doc.session.id}[/]")
    speakers = ", ".join(f"{s.name} ({s.role.value})" for s in doc.speakers)
    console.print(f"{len(doc.turns)} turns · speakers: {speakers}")
    if doc.models:
        console.print(f"models: {', '.join(doc.models)}", style="dim")
    for warning in doc.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    for section in analysis.sections:
        result = analysis.context.results.get(section.name)
        if result is not None:
            console.print()
            section.render_terminal(result, console)
