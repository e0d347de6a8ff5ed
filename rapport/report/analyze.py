"""The main job: analyse a coded session into a document, a terminal summary and HTML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.coding.base import CodedSession
from rapport.report.document import AnalysisDocument, build_document
from rapport.report.registry import load_sections
from rapport.report.section import AnalysisContext, ReportSection

if TYPE_CHECKING:
    from rich.console import Console


@dataclass
class Analysis:
    """A finished analysis: the document plus what rendering needs."""

    document: AnalysisDocument
    context: AnalysisContext
    sections: list[ReportSection]

    def to_json(self) -> str:
        return self.document.model_dump_json(indent=2)

    def to_html(self) -> str:
        from rapport.report.html import render_report

        return render_report(self.document, self.context, self.sections)

    def print_summary(self, console: Console) -> None:
        from rapport.report.terminal import print_summary

        print_summary(self, console)


def analyze_coded(coded: CodedSession, *, media: dict[str, Path] | None = None,
                  options: dict[str, Any] | None = None,
                  warnings: list[str] | None = None) -> Analysis:
    """Run every registered report section over one coded session."""
    ctx = AnalysisContext(coded=coded, media=dict(media or {}), options=dict(options or {}),
                          warnings=list(warnings or []))
    sections = load_sections()
    document = build_document(ctx, sections)
    return Analysis(document=document, context=ctx, sections=sections)
