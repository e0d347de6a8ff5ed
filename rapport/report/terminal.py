"""Terminal summary of an analysis, printed with rich."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from rapport.report.document import AnalysisDocument
    from rapport.report.section import Computed


def print_summary(doc: AnalysisDocument, computed: list[Computed[Any]],
                  console: Console) -> None:
    console.rule(f"[bold]Session {doc.session.id}[/]")
    speakers = ", ".join(f"{s.name} ({s.role.value})" for s in doc.speakers)
    console.print(f"{len(doc.turns)} turns · speakers: {speakers}")
    if doc.models:
        console.print(f"models: {', '.join(doc.models)}", style="dim")
    for warning in doc.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    for done in computed:
        console.print()
        done.render_terminal(console)
