"""De-identified transcripts for researchers (clients with a current research consent).

The stored analysis is rebuilt into a session, de-identified with :mod:`rapport.deid`
(names, places, dates, contacts and numbers replaced by consistent pseudonyms), and only
then returned, with the codes (without their evidence quotes, which repeat the text) and
the headline metrics. Sections (moments quote the text) are left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from rapport.domain import Session, Speaker, Turn
from rapport.store.research import ResearchAnalysis, read_research_document, research_analyses
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx

router = api_router("research")


class ResearchTurn(BaseModel):
    index: int
    role: str
    text: str
    codes: dict[str, Any]


class ResearchDocument(BaseModel):
    id: int
    client_ref: str
    session_number: int
    created_at: dt.datetime
    models: list[str]
    metrics: dict[str, float | None]
    deidentified: dict[str, int]
    turns: list[ResearchTurn]


@router.get("/research/analyses")
def analyses(tx: RecordTx) -> Ok[list[ResearchAnalysis]]:
    """Analyses you may read as a researcher, under pseudonymous client references."""
    return Ok(data=research_analyses(tx))


@router.get("/research/analyses/{analysis_id}")
def analysis(analysis_id: int, tx: RecordTx) -> Ok[ResearchDocument]:
    """One analysis with its transcript de-identified (needs the 'research' extra)."""
    from rapport.deid import deidentify_session

    info, document = read_research_document(tx, analysis_id)
    session = _session(document)
    clean, report = deidentify_session(session)
    codes = {t["index"]: {name: {k: v for k, v in code.items() if k != "evidence"}
                          for name, code in (t.get("codes") or {}).items()}
             for t in document.get("turns", [])}
    return Ok(data=ResearchDocument(
        id=info.id, client_ref=info.client_ref, session_number=info.session_number,
        created_at=info.created_at, models=[str(m) for m in document.get("models", [])],
        metrics=document.get("metrics", {}), deidentified=dict(report.counts),
        turns=[ResearchTurn(index=t.index, role=t.role.value, text=t.text,
                            codes=codes.get(t.index, {})) for t in clean.turns]))


def _session(document: dict[str, Any]) -> Session:
    """The stored document's transcript as a session (what de-identification works on)."""
    meta = document.get("session", {})
    date = meta.get("date")
    return Session(
        id=str(meta.get("id") or "session"),
        speakers=tuple(Speaker(name=s["name"], role=s["role"])
                       for s in document.get("speakers", [])),
        turns=tuple(Turn(index=t["index"], speaker=t["speaker"], role=t["role"],
                         text=t["text"], start=t.get("start"), end=t.get("end"))
                    for t in document.get("turns", [])),
        date=dt.date.fromisoformat(date) if date else None,
        language=meta.get("language", "en"))
