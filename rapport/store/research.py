"""What researchers may read beyond aggregates: analyses of clients with a current research
consent, under pseudonymous references. The text still has to be de-identified by the
caller (``rapport.deid``) before it leaves the process: this module hands over the decrypted
document only to the researcher role and audits every read."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rapport.store.consents import ConsentKind, is_current
from rapport.store.models import Client, Consent, StoredAnalysis, TherapySession
from rapport.store.permissions import UserRole, not_found, require_role
from rapport.store.tx import Tx


@dataclass(frozen=True)
class ResearchAnalysis:
    id: int
    client_ref: str  # a pseudonym of the client (hash of its random uid), never its code
    session_number: int
    created_at: dt.datetime


def client_ref(uid: str) -> str:
    return "p-" + hashlib.sha256(uid.encode()).hexdigest()[:12]


def _consenting() -> sa.Select[int]:
    return sa.select(Consent.client_id).where(Consent.kind == ConsentKind.RESEARCH.value,
                                              is_current())


def _query() -> sa.Select[StoredAnalysis, TherapySession, Client]:
    return (sa.select(StoredAnalysis, TherapySession, Client)
            .join(TherapySession, TherapySession.id == StoredAnalysis.session_id)
            .join(Client, Client.id == TherapySession.client_id)
            .where(Client.id.in_(_consenting()), StoredAnalysis.purged_at.is_(None),
                   StoredAnalysis.document_enc.is_not(None)))


def research_session_documents(tx: Tx, refs: list[tuple[str, int]]
                               ) -> list[tuple[int, str, int, str]]:
    """For a researcher: each ``(client_ref, session number)``'s session id, its client's
    uid, the number and the newest readable analysis document (decrypted, audited; the
    caller de-identifies it). A reference outside the researcher's rights is "not found"."""
    require_role(tx.me(), UserRole.RESEARCHER, doing="reading research data")
    wanted = set(refs)
    newest: dict[tuple[str, int], tuple[StoredAnalysis, TherapySession, Client]] = {}
    for analysis, session, client in tx.db.execute(_query().order_by(StoredAnalysis.id)):
        key = (client_ref(client.uid), session.number)
        if key in wanted:
            newest[key] = (analysis, session, client)
    out = []
    for ref, number in dict.fromkeys(refs):
        if (ref, number) not in newest:
            raise not_found("research session", f"{ref}:{number}")
        analysis, session, client = newest[ref, number]
        assert analysis.document_enc is not None  # filtered in the query
        tx.audit("read", "research", subject=client.uid,
                 detail=f"analysis={analysis.id} for=coding")
        out.append((session.id, client.uid, number,
                    tx.decrypt(analysis.document_enc, "analyses.document")))
    return out


def research_analyses(tx: Tx) -> list[ResearchAnalysis]:
    """Every analysis a researcher may read (research consent current, not purged)."""
    require_role(tx.me(), UserRole.RESEARCHER, doing="reading research data")
    rows = tx.db.execute(_query().order_by(StoredAnalysis.id)).all()
    tx.audit("list", "research", detail=f"analyses={len(rows)}")
    return [ResearchAnalysis(id=a.id, client_ref=client_ref(c.uid), session_number=s.number,
                             created_at=a.created_at) for a, s, c in rows]


def read_research_document(tx: Tx, analysis_id: int) -> tuple[ResearchAnalysis,
                                                             dict[str, Any]]:
    """One analysis document for de-identification; "not found" outside the researcher's
    rights (no consent, withdrawn, purged, or not a researcher)."""
    if tx.me().role is not UserRole.RESEARCHER:
        raise not_found("analysis", str(analysis_id))
    row = tx.db.execute(_query().where(StoredAnalysis.id == analysis_id)).first()
    if row is None:
        raise not_found("analysis", str(analysis_id))
    analysis, session, client = row
    assert analysis.document_enc is not None  # filtered in the query
    document: dict[str, Any] = json.loads(tx.decrypt(analysis.document_enc,
                                                     "analyses.document"))
    tx.audit("read", "research", subject=client.uid, detail=f"analysis={analysis_id}")
    return (ResearchAnalysis(id=analysis.id, client_ref=client_ref(client.uid),
                             session_number=session.number, created_at=analysis.created_at),
            document)
