"""Retention: after a configurable period, closed clients' transcripts are purged.

Purging removes session transcripts and the stored analysis documents (they quote every
turn), the sessions' kept recordings (deleted: a recording is the transcript's source),
and the sessions' copies in coding projects (their turns, codes, notes, decisions); the
session list, consents, questionnaires and the numeric metrics stay, so the course of
therapy can still be charted. ``apply_retention`` is a dry run unless told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.models import (
    AppSetting,
    Client,
    CodingUnit,
    KeptRecording,
    StoredAnalysis,
    TherapySession,
    utcnow,
)
from rapport.store.permissions import UserRole, require_role
from rapport.store.tx import Tx

SETTING = "retention_days"


@dataclass(frozen=True)
class RetentionReport:
    days: int
    cutoff: dt.datetime
    clients: int
    transcripts: int
    analyses: int
    applied: bool
    recordings: int = 0


def get_retention_days(tx: Tx) -> int | None:
    value = tx.db.scalar(sa.select(AppSetting.value).where(AppSetting.name == SETTING))
    return None if value is None else int(value)


def set_retention_days(tx: Tx, days: int) -> None:
    """Set the period, counted from when a client's record was closed (admins only)."""
    require_role(tx.me(), UserRole.ADMIN, doing="setting the retention period")
    if not 1 <= days <= 36_500:
        raise RapportInputError(f"retention period {days} days is out of range",
                                where="DAYS", fix="give 1 to 36500 days (check local law: "
                                "often 7-10 years after the end of treatment)",
                                code="bad_setting")
    row = tx.db.get(AppSetting, SETTING)
    if row is None:
        tx.db.add(AppSetting(name=SETTING, value=str(days)))
    else:
        row.value = str(days)
    tx.audit("update", "setting", detail=f"{SETTING}={days}")


def apply_retention(tx: Tx, *, dry_run: bool = True,
                    now: dt.datetime | None = None) -> RetentionReport:
    """Find (and unless ``dry_run``, purge) what the retention period has expired."""
    require_role(tx.me(), UserRole.ADMIN, doing="applying retention")
    days = get_retention_days(tx)
    if days is None:
        raise RapportInputError("no retention period is set", where="retention",
                                fix="set one first: `rapport retention set DAYS`",
                                code="no_retention")
    cutoff = (now or utcnow()) - dt.timedelta(days=days)
    expired = sa.select(Client.id).where(Client.closed_at.is_not(None),
                                         Client.closed_at <= cutoff)
    n_clients = tx.db.scalar(sa.select(sa.func.count()).select_from(expired.subquery())) or 0
    sessions = sa.select(TherapySession.id).where(TherapySession.client_id.in_(expired))
    with_transcript = TherapySession.transcript_enc.is_not(None)
    n_transcripts = tx.db.scalar(sa.select(sa.func.count()).where(
        TherapySession.id.in_(sessions), with_transcript)) or 0
    with_document = StoredAnalysis.document_enc.is_not(None)
    n_analyses = tx.db.scalar(sa.select(sa.func.count()).where(
        StoredAnalysis.session_id.in_(sessions), with_document)) or 0
    kept = KeptRecording.session_id.in_(sessions)
    n_recordings = tx.db.scalar(sa.select(sa.func.count()).select_from(KeptRecording)
                                .where(kept)) or 0
    if not dry_run:
        tx.db.execute(sa.delete(KeptRecording).where(kept))
        stamp = now or utcnow()
        tx.db.execute(sa.update(TherapySession).where(
            TherapySession.id.in_(sessions), with_transcript).values(
            transcript_enc=None, purged_at=stamp))
        tx.db.execute(sa.update(StoredAnalysis).where(
            StoredAnalysis.session_id.in_(sessions), with_document).values(
            document_enc=None, purged_at=stamp))
        # A coding project keeps its own copy of the turns: it goes with the transcript
        # (codes, notes and decisions with it, by cascade); exported gold is outside.
        tx.db.execute(sa.delete(CodingUnit).where(CodingUnit.session_id.in_(sessions)))
        for uid in tx.db.scalars(sa.select(Client.uid).where(Client.id.in_(expired))):
            tx.audit("purge", "session", subject=uid, detail="transcripts, documents and "
                     "recordings")
        tx.audit("purge", "retention", detail=f"clients={n_clients} "
                 f"transcripts={n_transcripts} analyses={n_analyses} "
                 f"recordings={n_recordings}")
    return RetentionReport(days=days, cutoff=cutoff, clients=int(n_clients),
                           transcripts=int(n_transcripts), analyses=int(n_analyses),
                           applied=not dry_run, recordings=int(n_recordings))
