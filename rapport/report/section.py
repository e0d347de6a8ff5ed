"""A report section: computes one typed result and renders it three ways.

Each box that adds to the report (turn-taking, the relationship profile, nonverbal
synchrony, ...) writes one :class:`ReportSection` subclass and registers it in
:mod:`rapport.report.registry`. The terminal summary, the JSON document and the HTML page
are all built from the registered sections, so adding a section edits none of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from rapport.coding.base import CodedSession

if TYPE_CHECKING:
    from rich.console import Console

    from rapport.domain import Session


@dataclass
class AnalysisContext:
    """Everything a section may read: the coded session, media inputs and earlier results.

    ``media`` holds optional inputs keyed by kind (``"audio"``, ``"video"``) with their
    options; ``results`` holds the results of sections computed earlier, by name.
    """

    coded: CodedSession
    media: dict[str, Path] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    results: dict[str, BaseModel] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def session(self) -> Session:
        return self.coded.session


class ReportSection:
    """Base class of report sections. Subclasses set the class attributes and ``compute``."""

    #: Key of the section in the JSON document (``sections.<name>``); stable, snake_case.
    name: ClassVar[str]
    #: Heading shown to people.
    title: ClassVar[str]
    #: The pydantic model ``compute`` returns; its JSON Schema goes into the document schema.
    result_model: ClassVar[type[BaseModel]]

    def compute(self, ctx: AnalysisContext) -> BaseModel | None:
        """Return the section's result, or None when it does not apply to this input."""
        raise NotImplementedError

    def metrics(self, result: BaseModel) -> dict[str, float | None]:
        """Headline numbers, flat, prefixed with the section name (stored as plain columns)."""
        return {}

    def render_terminal(self, result: BaseModel, console: Console) -> None:
        """Print the section in the terminal summary."""

    def render_html(self, result: BaseModel, ctx: AnalysisContext) -> str:
        """Return an HTML fragment (escape every piece of session text!)."""
        return ""
