"""Turn a stored analysis document back into what the report sections render from.

The record keeps the JSON of ``rapport analyze``; the sections render from typed results
and the coded session. Both are rebuilt here from the document alone (no re-coding), so
the session page shows exactly the sections of the HTML report, nonverbal included when
media were analysed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from rapport.coding.base import CodedSession, CodeFamily
from rapport.domain import Code, Role, Session, Speaker, Turn, TurnCodes
from rapport.errors import RapportInputError
from rapport.report.document import AnalysisDocument
from rapport.report.section import AnalysisContext

log = logging.getLogger("rapport.web")


@cache
def known_families() -> dict[str, CodeFamily]:
    """Every code family a bundled coder declares, by name (for correction choices)."""
    from rapport.coding.relationship.codes import families
    from rapport.coding.utterance.families import FAMILIES

    return {f.name: f for f in (*FAMILIES, *families())}


@cache
def report_css() -> str:
    """The HTML report's stylesheet, inlined by the session page (CSP allows inline style)."""
    return (resources.files("rapport.report") / "templates" / "report.css").read_text("utf-8")


@dataclass
class StoredReport:
    document: AnalysisDocument
    parts: dict[str, Any]
    families: tuple[CodeFamily, ...]
    notes: list[str]


def _coded(doc: AnalysisDocument) -> CodedSession:
    session = Session(
        id=doc.session.id, date=doc.session.date, language=doc.session.language,
        metadata=dict(doc.session.metadata),
        speakers=tuple(Speaker(name=s.name, role=s.role) for s in doc.speakers),
        turns=tuple(Turn(index=t.index, speaker=t.speaker, role=t.role, text=t.text,
                         start=t.start, end=t.end, backchannel=t.backchannel)
                    for t in doc.turns))
    # The document has validated every code already (CodeOut has the same constraints);
    # validating them again would double the page's time.
    codes = tuple(TurnCodes(session_id=doc.session.id, turn_index=t.index, codes=tuple(
        Code.model_construct(name=name, value=c.value, confidence=c.confidence,
                             evidence=tuple(c.evidence), source=c.source)
        for name, c in t.codes.items())) for t in doc.turns)
    present = {name for t in doc.turns for name in t.codes}
    # The coders' declared families are not stored; every family they filled shows up on
    # the turns (absent multi-label codes are stored as false), so this recovers them.
    families = tuple(f for name, f in known_families().items() if name in present)
    return CodedSession(session=session, codes=codes, families=families,
                        models=tuple(doc.models))


def load_stored_report(document_json: str) -> StoredReport:
    """Parse a stored document and render its sections' parts (fragments, marks)."""
    from rapport.report.html import report_parts
    from rapport.report.registry import load_sections

    try:
        doc = AnalysisDocument.model_validate_json(document_json)
        coded = _coded(doc)
    except ValidationError as exc:
        raise RapportInputError("the stored analysis does not match this version of "
                                f"Rapport ({exc.error_count()} problems)", where="analysis",
                                fix="analyse the transcript again", code="bad_analysis"
                                ) from None
    ctx = AnalysisContext(coded=coded, warnings=list(doc.warnings))
    sections, notes = [], []
    for section in load_sections():
        data = doc.sections.get(section.name)
        if data is None:
            continue
        try:
            ctx.results[section.name] = section.result_model.model_validate(data)
        except ValidationError:
            # An older document whose section changed shape: show the rest, say so.
            notes.append(f"The {section.title} section was stored by another version of "
                         "Rapport and cannot be shown; analyse the transcript again.")
            log.info("stored section %s does not validate", section.name)
            continue
        sections.append(section)
    return StoredReport(document=doc, parts=report_parts(doc, ctx, sections),
                        families=coded.families, notes=notes)


def correction_choices(families: tuple[CodeFamily, ...], role: Role) -> list[
        tuple[str, list[tuple[str, str]]]]:
    """Choices for correcting a turn: ``[(family, [(value, label), ...]), ...]``; a
    value is ``name=label`` (single-label) or ``name=true|false`` (multi-label)."""
    out = []
    for family in families:
        if role not in family.roles:
            continue
        if family.kind == "single":
            options = [(f"{family.name}={label}", label) for label in family.labels]
        else:
            options = [(f"{family.name}=true", "applies"),
                       (f"{family.name}=false", "does not apply")]
        out.append((family.name, options))
    return out


def parse_correction(choice: str, families: tuple[CodeFamily, ...], role: Role
                     ) -> tuple[str, str]:
    """``name=value`` from the correction form, checked against the turn's families."""
    valid = {value for _, options in correction_choices(families, role)
             for value, _ in options}
    if choice not in valid:
        raise RapportInputError(f"{choice[:80]!r} is not a code of this turn",
                                where="correction", fix="choose one of the listed codes",
                                code="bad_code")
    name, _, value = choice.partition("=")
    return name, value
