"""A report section: computes one typed result and renders it three ways.

Each box that adds to the report (turn-taking, the relationship profile, nonverbal
synchrony, ...) writes one :class:`ReportSection` subclass, parametrised by the pydantic
model of its result, and registers it in :mod:`rapport.pipeline.sections`. The terminal
summary, the JSON document and the HTML page are all built from :class:`Computed` pairs
(a section and its own result), so a renderer always receives its own result type and
adding a section edits none of the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel

from rapport.domain import CodedSession

if TYPE_CHECKING:
    from rich.console import Console

    from rapport.domain import Session

ResultT = TypeVar("ResultT", bound=BaseModel)


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


class ReportSection(Generic[ResultT]):
    """Base class of report sections. Subclasses set the class attributes and ``compute``."""

    #: Key of the section in the JSON document (``sections.<name>``); stable, snake_case.
    name: ClassVar[str]
    #: Heading shown to people.
    title: ClassVar[str]
    #: The pydantic model ``compute`` returns; its JSON Schema goes into the document schema.
    result_model: type[ResultT]
    #: True: the result is a top-level key of the document (``risk``), not under sections.
    top_level: ClassVar[bool] = False

    def compute(self, ctx: AnalysisContext) -> ResultT | None:
        """Return the section's result, or None when it does not apply to this input."""
        raise NotImplementedError

    def metrics(self, result: ResultT) -> dict[str, float | None]:
        """Headline numbers, flat, prefixed with the section name (stored as plain columns)."""
        return {}

    def render_terminal(self, result: ResultT, console: Console) -> None:
        """Print the section in the terminal summary."""

    def render_html(self, result: ResultT, ctx: AnalysisContext) -> str:
        """Return an HTML fragment (escape every piece of session text!)."""
        return ""

    def header_html(self, result: ResultT, ctx: AnalysisContext) -> str:
        """Figures for the top of the report page ("" for none)."""
        return ""

    def turn_marks(self, result: ResultT) -> dict[int, list[str]]:
        """Filter tags for transcript turns (``rupture:withdrawal``, ``moment``, ...)."""
        return {}

    def not_stored(self) -> ResultT | None:
        """What to show for a stored document that has no result of this section (made
        before the section existed); None shows nothing."""
        return None

    def computed(self, result: ResultT) -> Computed[ResultT]:
        return Computed(self, result)

    def from_stored(self, data: object) -> Computed[ResultT]:
        """The section's result read back from a stored document (raises ValidationError)."""
        return Computed(self, self.result_model.model_validate(data))


@dataclass(frozen=True)
class Computed(Generic[ResultT]):
    """A section with its own result: what every renderer iterates over."""

    section: ReportSection[ResultT]
    result: ResultT

    @property
    def name(self) -> str:
        return self.section.name

    @property
    def title(self) -> str:
        return self.section.title

    def metrics(self) -> dict[str, float | None]:
        return self.section.metrics(self.result)

    def render_terminal(self, console: Console) -> None:
        self.section.render_terminal(self.result, console)

    def render_html(self, ctx: AnalysisContext) -> str:
        return self.section.render_html(self.result, ctx)

    def header_html(self, ctx: AnalysisContext) -> str:
        return self.section.header_html(self.result, ctx)

    def turn_marks(self) -> dict[int, list[str]]:
        return self.section.turn_marks(self.result)


def compute_sections(ctx: AnalysisContext, sections: list[ReportSection[Any]]
                     ) -> list[Computed[Any]]:
    """Compute every section in order; each sees the results of those before it."""
    done: list[Computed[Any]] = []
    for section in sections:
        result = section.compute(ctx)
        if result is None:
            continue
        ctx.results[section.name] = result
        done.append(section.computed(result))
    return done
