"""The analysis document: what ``rapport analyze --json`` writes.

Its JSON Schema is committed at ``docs/schema/analysis.schema.json``; it changes only by
adding (a test compares it with :func:`analysis_schema`). Section results live under
``sections.<name>``; their headline numbers are repeated, flat, under ``metrics`` so the
record can store them in plain columns for charts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rapport import __version__
from rapport.domain import Role
from rapport.report.section import AnalysisContext, Computed, ReportSection

SCHEMA_VERSION = "1.0"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CodeOut(_Out):
    value: str | bool = Field(description="The label, or true/false for a multi-label code.")
    confidence: float = Field(ge=0, le=1, description="Calibrated probability of `value`.")
    evidence: list[str] = Field(default_factory=list,
                                description="Why: matched phrases or nearest examples.")
    source: str = Field(default="", description="Model id and version, or human:<user>.")


class TurnOut(_Out):
    index: int
    role: Role
    speaker: str
    text: str
    start: float | None = None
    end: float | None = None
    backchannel: bool = False
    words: int
    codes: dict[str, CodeOut] = Field(default_factory=dict)


class SpeakerOut(_Out):
    name: str
    role: Role


class SessionOut(_Out):
    id: str
    date: dt.date | None = None
    language: str
    metadata: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class AnalysisDocument(_Out):
    schema_version: str = SCHEMA_VERSION
    rapport_version: str = __version__
    session: SessionOut
    speakers: list[SpeakerOut]
    turns: list[TurnOut]
    models: list[str] = Field(default_factory=list,
                              description="Every model that produced a code, with version.")
    metrics: dict[str, float | None] = Field(
        default_factory=dict, description="Headline numbers of every section, flat.")
    risk: dict[str, Any] | None = Field(
        default=None, description="Risk language in the session, shown before everything "
        "else; absent in documents made before it was checked (not checked, never 'no risk').")
    sections: dict[str, Any] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    def section_data(self, name: str, *, top_level: bool = False) -> Any:
        """A section's stored result (``None`` when this document has none)."""
        return {"risk": self.risk}.get(name) if top_level else self.sections.get(name)


def build_document(ctx: AnalysisContext, computed: list[Computed[Any]]) -> AnalysisDocument:
    """Assemble the document from the session, its codes and the computed sections."""
    session = ctx.session
    metrics: dict[str, float | None] = {}
    section_out: dict[str, Any] = {}
    top: dict[str, Any] = {}
    for done in computed:
        target = top if done.section.top_level else section_out
        target[done.name] = done.result.model_dump(mode="json")
        metrics.update(done.metrics())
    turns = []
    for turn, tc in zip(session.turns, ctx.coded.codes, strict=True):
        codes = {c.name: CodeOut(value=c.value, confidence=c.confidence,
                                 evidence=list(c.evidence), source=c.source)
                 for c in tc.codes}
        turns.append(TurnOut(index=turn.index, role=turn.role, speaker=turn.speaker,
                             text=turn.text, start=turn.start, end=turn.end,
                             backchannel=turn.backchannel, words=turn.words, codes=codes))
    return AnalysisDocument(
        session=SessionOut(id=session.id, date=session.date, language=session.language,
                           metadata=dict(session.metadata)),
        speakers=[SpeakerOut(name=s.name, role=s.role) for s in session.speakers],
        turns=turns, models=list(ctx.coded.models), metrics=metrics,
        sections=section_out, warnings=list(ctx.warnings), **top)


def analysis_schema(sections: list[ReportSection[Any]]) -> dict[str, Any]:
    """The JSON Schema of the document, with each registered section's result schema."""
    schema = AnalysisDocument.model_json_schema()
    defs = schema.setdefault("$defs", {})
    props: dict[str, Any] = {}
    for section in sections:
        sub = section.result_model.model_json_schema(ref_template="#/$defs/{model}")
        defs.update(sub.pop("$defs", {}))
        if section.top_level:
            described = schema["properties"][section.name].get("description", "")
            schema["properties"][section.name] = {"anyOf": [sub, {"type": "null"}],
                                                  "description": described}
        else:
            props[section.name] = sub
    schema["properties"]["sections"] = {
        "type": "object", "title": "Sections", "properties": props,
        "additionalProperties": True,
        "description": "Results of the report sections, by section name.",
    }
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://rapport.invalid/schema/analysis/{SCHEMA_VERSION}"
    return schema
