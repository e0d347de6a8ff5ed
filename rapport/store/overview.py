"""Everything the caseload, client and session pages show of many clients, read set-wise.

Reading a caseload client by client costs a handful of queries and audit rows per client
(responses, sessions twice, analyses twice, acknowledgements); with 30 clients that was
most of a dashboard's time. :func:`client_overviews` reads the same for every client in a
fixed number of queries whatever the caseload's size (clients, sessions, responses,
analyses with their metrics, acknowledgements, and the documents of analyses that found
urgent risk language), and writes **one audit row per client read**, naming what was
read: every read of client data stays audited, by the client's ``uid``.

>>> # client_overviews(tx)                 -> every readable client, by code
>>> # client_overviews(tx, codes=["C-017"]) -> one client (not found if not readable)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa

from rapport.store.analyses import AnalysisView
from rapport.store.clients import find_client
from rapport.store.models import (
    AnalysisMetric,
    Client,
    QuestionnaireResponse,
    SafetyAcknowledgement,
    StoredAnalysis,
    TherapySession,
    User,
)
from rapport.store.permissions import readable_clients
from rapport.store.responses import ResponseView, response_view
from rapport.store.safety import AcknowledgementView, FlagRef
from rapport.store.sessions import SessionView
from rapport.store.tx import Tx

#: The analysis metric that counts turns of urgent risk language (``rapport.risk``).
URGENT_METRIC = "risk.urgent"
_ACK_CONTEXT = "safety_acknowledgements.note"


@dataclass(frozen=True)
class UrgentDocument:
    """A stored analysis whose risk coder found urgent risk language, decrypted."""

    analysis_id: int
    session_number: int
    created_at: dt.datetime
    document: str


@dataclass
class ClientOverview:
    """One client as their pages need them (codes only: no identifying fields)."""

    code: str
    therapist: str
    created_at: dt.datetime
    closed_at: dt.datetime | None
    sessions: list[SessionView] = field(default_factory=list)
    responses: list[ResponseView] = field(default_factory=list)
    #: responses marked entered in error: in no score, kept for the history and flags
    entered_in_error: list[ResponseView] = field(default_factory=list)
    analyses: list[AnalysisView] = field(default_factory=list)
    acknowledgements: list[AcknowledgementView] = field(default_factory=list)
    urgent_documents: list[UrgentDocument] = field(default_factory=list)

    @property
    def last_session(self) -> dt.date | None:
        return max((s.date for s in self.sessions if s.date is not None), default=None)


def client_overviews(tx: Tx, *, codes: Sequence[str] | None = None,
                     include_closed: bool = True) -> list[ClientOverview]:
    """The readable clients (all, or ``codes``: each must be readable, else "not found"),
    by code, each with sessions, responses, analyses, acknowledgements and the documents
    of analyses with urgent risk language; one audit row per client."""
    me = tx.me()
    query = (sa.select(Client, User.username).join(User, User.id == Client.therapist_id)
             .where(readable_clients(me)).order_by(Client.code))
    if codes is not None:
        ids = [find_client(tx, code).id for code in codes]  # "not found" before any read
        query = query.where(Client.id.in_(ids))
    if not include_closed:
        query = query.where(Client.closed_at.is_(None))
    rows = tx.db.execute(query).all()
    by_id = {c.id: ClientOverview(code=c.code, therapist=t, created_at=c.created_at,
                                  closed_at=c.closed_at) for c, t in rows}
    if by_id:
        ids = list(by_id)
        _sessions(tx, ids, by_id)
        _responses(tx, ids, by_id)
        _analyses(tx, ids, by_id)
        _acknowledgements(tx, ids, by_id)
    for client, _ in rows:
        seen = by_id[client.id]
        tx.audit("read", "client-overview", subject=client.uid,
                 detail=f"sessions={len(seen.sessions)} responses={len(seen.responses)} "
                        f"analyses={len(seen.analyses)} acks={len(seen.acknowledgements)} "
                        f"documents={len(seen.urgent_documents)}")
    return [by_id[c.id] for c, _ in rows]


def _sessions(tx: Tx, ids: list[int], by_id: dict[int, ClientOverview]) -> None:
    n_analyses = (sa.select(sa.func.count()).where(StoredAnalysis.session_id ==
                                                   TherapySession.id)
                  .correlate(TherapySession).scalar_subquery())
    for client_id, number, date, attendance, has_transcript, n in tx.db.execute(
            sa.select(TherapySession.client_id, TherapySession.number, TherapySession.date,
                      TherapySession.attendance, TherapySession.transcript_enc.is_not(None),
                      n_analyses)
            .where(TherapySession.client_id.in_(ids))
            .order_by(TherapySession.client_id, TherapySession.number)):
        by_id[client_id].sessions.append(SessionView(
            number=number, date=date, attendance=attendance,
            has_transcript=bool(has_transcript), analyses=int(n)))


def _responses(tx: Tx, ids: list[int], by_id: dict[int, ClientOverview]) -> None:
    for row, username in tx.db.execute(
            sa.select(QuestionnaireResponse, User.username)
            .join(User, User.id == QuestionnaireResponse.recorded_by)
            .where(QuestionnaireResponse.client_id.in_(ids))
            .order_by(QuestionnaireResponse.recorded_at, QuestionnaireResponse.id)):
        seen = by_id[row.client_id]
        view = response_view(tx, row, username)
        (seen.responses if view.entered_in_error is None else
         seen.entered_in_error).append(view)


def _analyses(tx: Tx, ids: list[int], by_id: dict[int, ClientOverview]) -> None:
    rows = tx.db.execute(
        sa.select(StoredAnalysis.id, TherapySession.client_id, TherapySession.number,
                  StoredAnalysis.created_at, StoredAnalysis.rapport_version,
                  StoredAnalysis.models, StoredAnalysis.document_enc.is_(None))
        .join(TherapySession, TherapySession.id == StoredAnalysis.session_id)
        .where(TherapySession.client_id.in_(ids))
        .order_by(TherapySession.client_id, TherapySession.number, StoredAnalysis.id)).all()
    if not rows:
        return
    metrics: dict[int, dict[str, float | None]] = {}
    for m in tx.db.scalars(sa.select(AnalysisMetric).join(
            StoredAnalysis, StoredAnalysis.id == AnalysisMetric.analysis_id)
            .join(TherapySession, TherapySession.id == StoredAnalysis.session_id)
            .where(TherapySession.client_id.in_(ids))):
        metrics.setdefault(m.analysis_id, {})[m.name] = m.value
    urgent = []
    for analysis_id, client_id, number, created_at, version, models, purged in rows:
        view = AnalysisView(id=analysis_id, session_number=number, created_at=created_at,
                            rapport_version=version, models=tuple(models),
                            metrics=metrics.get(analysis_id, {}), purged=bool(purged))
        by_id[client_id].analyses.append(view)
        if not view.purged and view.metrics.get(URGENT_METRIC):
            urgent.append(analysis_id)
    if urgent:  # rare: only these documents are decrypted
        owner = {a: c for a, c, *_ in rows}
        for analysis_id, blob in tx.db.execute(
                sa.select(StoredAnalysis.id, StoredAnalysis.document_enc)
                .where(StoredAnalysis.id.in_(urgent)).order_by(StoredAnalysis.id)):
            if blob is None:  # purged since the first query read it
                continue
            seen = by_id[owner[analysis_id]]
            view = next(a for a in seen.analyses if a.id == analysis_id)
            seen.urgent_documents.append(UrgentDocument(
                analysis_id=analysis_id, session_number=view.session_number,
                created_at=view.created_at,
                document=tx.decrypt(blob, "analyses.document")))


def _acknowledgements(tx: Tx, ids: list[int], by_id: dict[int, ClientOverview]) -> None:
    for r, username, role in tx.db.execute(
            sa.select(SafetyAcknowledgement, User.username, User.role)
            .join(User, User.id == SafetyAcknowledgement.acted_by)
            .where(SafetyAcknowledgement.client_id.in_(ids))
            .order_by(SafetyAcknowledgement.at, SafetyAcknowledgement.id)):
        by_id[r.client_id].acknowledgements.append(AcknowledgementView(
            id=r.id, ref=FlagRef(r.source_kind, r.source_id, r.source_part),
            action=r.action, note=tx.decrypt(r.note_enc, _ACK_CONTEXT), by=username,
            role=role, at=r.at))
