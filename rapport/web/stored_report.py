"""A stored analysis as the session page shows it: the report's parts, plus corrections.

The document is read back by :func:`rapport.pipeline.load_stored` (no re-coding), so the
session page shows exactly the sections of the HTML report, nonverbal included when media
were analysed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from rapport.domain import CodeFamily, Role
from rapport.errors import RapportInputError
from rapport.report import html
from rapport.report.document import AnalysisDocument


@cache
def report_css() -> str:
    """The HTML report's stylesheet (with the shared role colours), inlined by the session
    page (CSP allows inline style)."""
    return html.report_css()


@dataclass
class StoredReport:
    document: AnalysisDocument
    parts: dict[str, Any]
    families: tuple[CodeFamily, ...]
    notes: list[str]


def load_stored_report(document_json: str) -> StoredReport:
    """Parse a stored document and render its sections' parts (fragments, marks)."""
    from rapport.pipeline import load_stored
    from rapport.report.html import report_parts

    stored = load_stored(document_json)
    return StoredReport(document=stored.document,
                        parts=report_parts(stored.document, stored.context, stored.computed),
                        families=stored.families, notes=stored.notes)


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
