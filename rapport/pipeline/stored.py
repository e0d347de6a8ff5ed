"""A stored analysis document read back into what the report sections render from.

The record keeps the JSON of ``rapport analyze``; the sections render from typed results
and the coded session. Both are rebuilt here from the document alone (no re-coding), so a
stored session shows exactly the sections of the HTML report, nonverbal included when
media were analysed. Old code and moment names are read through the rename map.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from rapport.domain import Code, CodedSession, CodeFamily, Session, Speaker, Turn, TurnCodes
from rapport.errors import RapportInputError
from rapport.pipeline.coders import known_families
from rapport.pipeline.renames import current_code_name
from rapport.pipeline.sections import load_sections
from rapport.report.document import AnalysisDocument
from rapport.report.section import AnalysisContext, Computed

log = logging.getLogger(__name__)


@dataclass
class StoredAnalysis:
    document: AnalysisDocument
    context: AnalysisContext
    computed: list[Computed[Any]]
    families: tuple[CodeFamily, ...]
    notes: list[str]


def coded_from_document(doc: AnalysisDocument) -> CodedSession:
    """The coded session a document was made from (codes under their current names)."""
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
        Code.model_construct(name=current_code_name(name), value=c.value,
                             confidence=c.confidence, evidence=tuple(c.evidence),
                             source=c.source)
        for name, c in t.codes.items())) for t in doc.turns)
    present = {current_code_name(name) for t in doc.turns for name in t.codes}
    # The coders' declared families are not stored; every family they filled shows up on
    # the turns (absent multi-label codes are stored as false), so this recovers them.
    families = tuple(f for name, f in known_families().items() if name in present)
    return CodedSession(session=session, codes=codes, families=families,
                        models=tuple(doc.models))


def load_stored(document_json: str) -> StoredAnalysis:
    """Parse a stored document and rebuild its sections' results."""
    try:
        doc = AnalysisDocument.model_validate_json(document_json)
        coded = coded_from_document(doc)
    except ValidationError as exc:
        raise RapportInputError("the stored analysis does not match this version of "
                                f"Rapport ({exc.error_count()} problems)", where="analysis",
                                fix="analyse the transcript again", code="bad_analysis"
                                ) from None
    ctx = AnalysisContext(coded=coded, warnings=list(doc.warnings))
    computed: list[Computed[Any]] = []
    notes: list[str] = []
    for section in load_sections():
        data = doc.section_data(section.name, top_level=section.top_level)
        if data is None:
            missing = section.not_stored()
            if missing is not None:
                ctx.results[section.name] = missing
                computed.append(section.computed(missing))
            continue
        try:
            done = section.from_stored(data)
        except ValidationError:
            # An older document whose section changed shape: show the rest, say so.
            notes.append(f"The {section.title} section was stored by another version of "
                         "Rapport and cannot be shown; analyse the transcript again.")
            log.info("stored section %s does not validate", section.name)
            continue
        ctx.results[section.name] = done.result
        computed.append(done)
    return StoredAnalysis(document=doc, context=ctx, computed=computed,
                          families=coded.families, notes=notes)
