"""Stored analyses: the JSON of ``rapport analyze`` (encrypted whole, since it holds turn
text and evidence), its model versions, and its headline metrics in plain rows for charts.

Storing needs a current consent to analysis. Researchers never see documents: they get
:func:`aggregate_metrics`, computed only over clients who consented to research.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.consents import ConsentKind, is_current, require_consent
from rapport.store.models import (
    AnalysisMetric,
    Client,
    Consent,
    Job,
    StoredAnalysis,
    TherapySession,
)
from rapport.store.permissions import UserRole, require_role
from rapport.store.sessions import Attendance, SessionRecord, _add, find_session
from rapport.store.tx import Tx


@dataclass(frozen=True)
class AnalysisView:
    id: int
    session_number: int
    created_at: dt.datetime
    rapport_version: str
    models: tuple[str, ...]
    metrics: dict[str, float | None]
    purged: bool


@dataclass(frozen=True)
class MetricAggregate:
    name: str
    clients: int
    analyses: int
    mean: float | None
    #: the mean is not shown: fewer clients than the minimum group size contribute
    withheld: bool = False


def _parse_document(document_json: str) -> dict[str, Any]:
    """Check the few fields the record relies on; the rest is stored as given."""
    try:
        doc = json.loads(document_json)
    except json.JSONDecodeError as exc:
        raise RapportInputError(f"the analysis is not valid JSON ({exc.msg})",
                                where="analysis", fix="store the output of "
                                "`rapport analyze --json`", code="bad_analysis") from None
    ok = (isinstance(doc, dict) and isinstance(doc.get("metrics"), dict)
          and isinstance(doc.get("models", []), list)
          and isinstance(doc.get("rapport_version"), str)
          and isinstance(doc.get("schema_version"), str)
          and all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)
                                and math.isfinite(v)) for v in doc["metrics"].values()))
    if not ok:
        raise RapportInputError("the analysis is not a Rapport analysis document",
                                where="analysis", fix="store the output of "
                                "`rapport analyze --json`", code="bad_analysis")
    return dict(doc)


def store_analysis(tx: Tx, code: str, session_number: int, document_json: str, *,
                   session_date: dt.date | None = None) -> int:
    """Store one analysis for a client's session (created if new, with ``session_date``;
    an existing undated session takes that date); returns its id. A session may hold
    several analyses (versions): the newest is the one shown."""
    client = find_client(tx, code, write=True)
    require_consent(tx, client, ConsentKind.ANALYSIS, doing="storing an analysis")
    doc = _parse_document(document_json)
    session = tx.db.scalar(sa.select(TherapySession).where(
        TherapySession.client_id == client.id, TherapySession.number == session_number))
    if session is None:
        _add(tx, client, SessionRecord(number=session_number, date=session_date,
                                       attendance=Attendance.ATTENDED))
        session = find_session(tx, client, session_number)
    elif session.date is None and session_date is not None:
        session.date = session_date  # a dated session keeps its own date
    analysis = StoredAnalysis(
        session_id=session.id, created_by=tx.me().id,
        rapport_version=doc["rapport_version"][:32], schema_version=doc["schema_version"][:16],
        models=[str(m) for m in doc.get("models", [])],
        document_enc=tx.encrypt(document_json, "analyses.document"))
    tx.db.add(analysis)
    tx.db.flush()
    tx.db.add_all(AnalysisMetric(analysis_id=analysis.id, name=str(name)[:120],
                                 value=None if v is None else float(v))
                  for name, v in doc["metrics"].items())
    tx.audit("create", "analysis", subject=client.uid,
             detail=f"analysis={analysis.id} session={session_number}")
    return analysis.id


@dataclass(frozen=True)
class SessionAnalyses:
    """What an upload to one session would join: its date (``exists`` False when there
    is no such session yet), the stored analyses' times, and analysis jobs not yet done."""

    exists: bool
    date: dt.date | None
    analysed_at: tuple[dt.datetime, ...]
    pending_since: tuple[dt.datetime, ...]


def session_analyses(tx: Tx, code: str, session_number: int, *,
                     job_kind: str) -> SessionAnalyses:
    """The analyses of one session, stored or queued (jobs of ``job_kind`` queued or
    running); the client must be writable by the actor."""
    client = find_client(tx, code, write=True)
    session = tx.db.scalar(sa.select(TherapySession).where(
        TherapySession.client_id == client.id, TherapySession.number == session_number))
    analysed = () if session is None else tuple(tx.db.scalars(
        sa.select(StoredAnalysis.created_at).where(StoredAnalysis.session_id == session.id)
        .order_by(StoredAnalysis.id)))
    pending = tuple(tx.db.scalars(sa.select(Job.created_at).where(
        Job.client_id == client.id, Job.session_number == session_number,
        Job.kind == job_kind, Job.state.in_(("queued", "running"))).order_by(Job.id)))
    return SessionAnalyses(exists=session is not None,
                           date=None if session is None else session.date,
                           analysed_at=analysed, pending_since=pending)


def list_analyses(tx: Tx, code: str) -> list[AnalysisView]:
    client = find_client(tx, code)
    rows = tx.db.execute(sa.select(StoredAnalysis, TherapySession.number)
                         .join(TherapySession, TherapySession.id == StoredAnalysis.session_id)
                         .where(TherapySession.client_id == client.id)
                         .order_by(TherapySession.number, StoredAnalysis.id)).all()
    metrics: dict[int, dict[str, float | None]] = {}
    if rows:
        for m in tx.db.scalars(sa.select(AnalysisMetric).where(
                AnalysisMetric.analysis_id.in_([a.id for a, _ in rows]))):
            metrics.setdefault(m.analysis_id, {})[m.name] = m.value
    tx.audit("list", "analysis", subject=client.uid)
    return [AnalysisView(id=a.id, session_number=n, created_at=a.created_at,
                         rapport_version=a.rapport_version, models=tuple(a.models),
                         metrics=metrics.get(a.id, {}), purged=a.document_enc is None)
            for a, n in rows]


def find_analysis(tx: Tx, analysis_id: int, *, write: bool = False) -> tuple[Client,
                                                                          StoredAnalysis]:
    """An analysis the actor may read (or write), else "not found"."""
    row = tx.db.execute(sa.select(Client.code, StoredAnalysis)
                        .join(TherapySession, TherapySession.id == StoredAnalysis.session_id)
                        .join(Client, Client.id == TherapySession.client_id)
                        .where(StoredAnalysis.id == analysis_id)).first()
    if row is None:
        raise RapportInputError(f"no analysis {analysis_id} that you can see",
                                where="analysis", fix="see `rapport sessions list CODE`",
                                code="not_found")
    try:
        client = find_client(tx, row[0], write=write)
    except RapportInputError:
        raise RapportInputError(f"no analysis {analysis_id} that you can see",
                                where="analysis", fix="see `rapport sessions list CODE`",
                                code="not_found") from None
    return client, row[1]


def read_analysis(tx: Tx, analysis_id: int) -> str:
    """The stored JSON document, decrypted (audited as a read)."""
    client, analysis = find_analysis(tx, analysis_id)
    if analysis.document_enc is None:
        raise RapportInputError(f"analysis {analysis_id} was purged by the retention policy",
                                where="analysis", fix="only its metrics remain",
                                code="purged")
    tx.audit("read", "analysis", subject=client.uid, detail=f"analysis={analysis_id}")
    return tx.decrypt(analysis.document_enc, "analyses.document")


def delete_analyses(tx: Tx, code: str) -> int:
    """Delete every stored analysis of a client (e.g. after consent is withdrawn)."""
    client = find_client(tx, code, write=True)
    ids = sa.select(TherapySession.id).where(TherapySession.client_id == client.id)
    result = tx.db.execute(sa.delete(StoredAnalysis).where(StoredAnalysis.session_id.in_(ids)))
    n = int(getattr(result, "rowcount", 0) or 0)
    tx.audit("delete", "analysis", subject=client.uid, detail=f"analyses={n}")
    return n


#: Research figures over fewer clients than this are withheld (RAPPORT_RESEARCH_MIN_CLIENTS).
MIN_GROUP_SIZE = 5


def aggregate_metrics(tx: Tx, *, min_clients: int = MIN_GROUP_SIZE) -> list[MetricAggregate]:
    """Per-metric means over clients with a current research consent (researchers).

    A mean that rests on fewer than ``min_clients`` clients is withheld (``mean=None``,
    ``withheld=True``): with one or two clients an "aggregate" describes those people.
    """
    require_role(tx.me(), UserRole.RESEARCHER, doing="aggregate statistics")
    consenting = sa.select(Consent.client_id).where(
        Consent.kind == ConsentKind.RESEARCH.value, is_current())
    rows = tx.db.execute(
        sa.select(AnalysisMetric.name, sa.func.count(sa.distinct(TherapySession.client_id)),
                  sa.func.count(AnalysisMetric.value), sa.func.avg(AnalysisMetric.value))
        .join(StoredAnalysis, StoredAnalysis.id == AnalysisMetric.analysis_id)
        .join(TherapySession, TherapySession.id == StoredAnalysis.session_id)
        .where(TherapySession.client_id.in_(consenting))
        .group_by(AnalysisMetric.name).order_by(AnalysisMetric.name)).all()
    tx.audit("aggregate", "analysis", detail=f"metrics={len(rows)}")
    return [MetricAggregate(name=n, clients=int(c), analyses=int(k),
                            mean=None if m is None or c < min_clients else float(m),
                            withheld=c < min_clients) for n, c, k, m in rows]
