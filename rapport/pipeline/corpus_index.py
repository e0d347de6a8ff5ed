"""``index.html`` beside the reports of a multi-session ``rapport analyze --html DIR``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rapport.pipeline.outputs import write_atomically
from rapport.profile.models import ProfileResult
from rapport.profile.section import KEY_FIGURES, format_value
from rapport.report.index import IndexRow, render_index

if TYPE_CHECKING:
    from rapport.pipeline.analysis import Analysis

INDEX_NAME = "index.html"


def _profile(analysis: Analysis) -> ProfileResult | None:
    stored = analysis.document.sections.get("profile")
    if stored is None:
        return None
    return stored if isinstance(stored, ProfileResult) else ProfileResult.model_validate(stored)


def index_row(analysis: Analysis, href: str) -> IndexRow:
    """The key figures of one analysis, in the words and formats of its report."""
    doc = analysis.document
    profile = _profile(analysis)
    figures: list[tuple[str, str]] = []
    if profile is not None:
        by_key = {m.key: m for m in profile.metrics}
        figures = [(by_key[k].label, format_value(by_key[k])) for k in KEY_FIGURES
                   if k in by_key]
    risk_turns = (doc.risk or {}).get("turns", [])
    states = Counter(str(t.get("state", "flagged")) for t in risk_turns)
    risk_text = ", ".join(f"{n} {state}" for state, n in states.most_common())
    if doc.risk is None or not doc.risk.get("checked", False):
        risk_text = "not checked"
    return IndexRow(session=doc.session.id, href=href, turns=len(doc.turns),
                    risk_turns=len(risk_turns), risk_text=risk_text,
                    ruptures=(len(profile.ruptures) if profile is not None
                              and profile.ruptures_measured else None),
                    figures=tuple(figures))


def write_index(analyses: Sequence[Analysis], reports: Mapping[str, Path],
                folder: Path) -> Path:
    """Write ``folder/index.html`` linking each session's report (``reports`` by id)."""
    rows = [index_row(a, reports[a.session_id].name) for a in analyses
            if a.session_id in reports]
    # a session called "index" keeps its report; the index then takes another name
    taken = {p.name for p in reports.values()}
    path = folder / (INDEX_NAME if INDEX_NAME not in taken else "index-of-sessions.html")
    write_atomically(path, render_index(rows, title=f"{len(rows)} sessions"))
    return path
