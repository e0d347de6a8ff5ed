"""Retention: after a configurable period, a closed client's record keeps only numbers.

Purging a client closed longer than the period removes everything written in words or
identifying them: session transcripts and the stored analysis documents (they quote every
turn), the sessions' kept recordings (a recording is the transcript's source), the
sessions' copies in coding projects (their turns, codes, notes, decisions), the client's
identifying fields and notes, session notes, supervisors' comments, the reasons given for
marking a questionnaire entered in error, the notes of safety acknowledgements (the row
stays: what was done, by whom, when; the note is replaced by :data:`PURGED_NOTE`, as the
table refuses deletion), and the client's finished jobs (an upload's name and result).

What stays is structure and numbers, so the course of therapy can still be charted: the
pseudonymous code, created and closed dates, session dates and attendance, consents, the
numeric metrics, code corrections (code names, no text) and questionnaires whole (scores
and the item answers, which are numbers: scores are re-computed from them when an
instrument's definition changes, and safety flags are derived from them).
``apply_retention`` is a dry run unless told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.models import (
    AppSetting,
    Base,
    Client,
    CodingUnit,
    Job,
    KeptRecording,
    QuestionnaireResponse,
    SafetyAcknowledgement,
    StoredAnalysis,
    SupervisorComment,
    TherapySession,
    utcnow,
)
from rapport.store.permissions import UserRole, require_role
from rapport.store.tx import Tx

SETTING = "retention_days"
#: What a purged safety acknowledgement's note reads (the row itself must stay).
PURGED_NOTE = "(note purged by the retention policy)"
_ACK_NOTE = "safety_acknowledgements.note"
#: Jobs whose runner is done with them; queued and running ones are left to the runner.
_ENDED_JOBS = ("done", "failed")


@dataclass(frozen=True)
class RetentionReport:
    """What a run purged (or, in a dry run, would purge): counts only, never client text."""

    days: int
    cutoff: dt.datetime
    clients: int
    transcripts: int
    analyses: int
    applied: bool
    recordings: int = 0
    identities: int = 0
    client_notes: int = 0
    session_notes: int = 0
    comments: int = 0
    acknowledgement_notes: int = 0
    error_reasons: int = 0
    jobs: int = 0

    @property
    def anything(self) -> bool:
        """Whether the run found anything to purge."""
        return any((self.transcripts, self.analyses, self.recordings, self.identities,
                    self.client_notes, self.session_notes, self.comments,
                    self.acknowledgement_notes, self.error_reasons, self.jobs))


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


def _count(tx: Tx, model: type[Base], *where: sa.ColumnElement[bool]) -> int:
    return int(tx.db.scalar(sa.select(sa.func.count()).select_from(model).where(*where))
               or 0)


def apply_retention(tx: Tx, *, dry_run: bool = True,
                    now: dt.datetime | None = None) -> RetentionReport:
    """Find (and unless ``dry_run``, purge) what the retention period has expired.

    Every count is of what is still there, so a second run reports (and does) nothing.
    """
    require_role(tx.me(), UserRole.ADMIN, doing="applying retention")
    days = get_retention_days(tx)
    if days is None:
        raise RapportInputError("no retention period is set", where="retention",
                                fix="set one first: `rapport retention set DAYS`",
                                code="no_retention")
    stamp = now or utcnow()
    cutoff = stamp - dt.timedelta(days=days)
    expired = sa.select(Client.id).where(Client.closed_at.is_not(None),
                                         Client.closed_at <= cutoff)
    sessions = sa.select(TherapySession.id).where(TherapySession.client_id.in_(expired))
    analyses = sa.select(StoredAnalysis.id).where(StoredAnalysis.session_id.in_(sessions))
    # Each kind of text still stored, as the condition that finds it.
    of_client = Client.id.in_(expired)
    identity = sa.and_(of_client, Client.identity_enc.is_not(None))
    client_notes = sa.and_(of_client, Client.notes_enc.is_not(None))
    in_sessions = TherapySession.id.in_(sessions)
    transcripts = sa.and_(in_sessions, TherapySession.transcript_enc.is_not(None))
    session_notes = sa.and_(in_sessions, TherapySession.notes_enc.is_not(None))
    documents = sa.and_(StoredAnalysis.session_id.in_(sessions),
                        StoredAnalysis.document_enc.is_not(None))
    recordings = KeptRecording.session_id.in_(sessions)
    comments = SupervisorComment.analysis_id.in_(analyses)
    reasons = sa.and_(QuestionnaireResponse.client_id.in_(expired),
                      QuestionnaireResponse.error_reason_enc.is_not(None))
    jobs = sa.and_(Job.client_id.in_(expired), Job.state.in_(_ENDED_JOBS))
    # The acknowledgements' notes are replaced rather than deleted: which still hold
    # their text is known only by reading them.
    notes = [ack for ack in tx.db.scalars(sa.select(SafetyAcknowledgement).where(
        SafetyAcknowledgement.client_id.in_(expired)))
        if tx.decrypt(ack.note_enc, _ACK_NOTE) != PURGED_NOTE]
    report = RetentionReport(
        days=days, cutoff=cutoff, applied=not dry_run,
        clients=_count(tx, Client, of_client),
        transcripts=_count(tx, TherapySession, transcripts),
        analyses=_count(tx, StoredAnalysis, documents),
        recordings=_count(tx, KeptRecording, recordings),
        identities=_count(tx, Client, identity),
        client_notes=_count(tx, Client, client_notes),
        session_notes=_count(tx, TherapySession, session_notes),
        comments=_count(tx, SupervisorComment, comments),
        acknowledgement_notes=len(notes),
        error_reasons=_count(tx, QuestionnaireResponse, reasons),
        jobs=_count(tx, Job, jobs))
    if dry_run:
        return report
    # Which clients lose something, read before the purge changes what the queries find.
    by_session = sa.select(TherapySession.client_id)
    touched_ids = {ack.client_id for ack in notes}
    for query in (sa.select(Client.id).where(sa.or_(identity, client_notes)),
                  by_session.where(sa.or_(transcripts, session_notes)),
                  by_session.join(StoredAnalysis).where(documents),
                  by_session.join(KeptRecording).where(recordings),
                  by_session.join(StoredAnalysis).join(SupervisorComment).where(comments),
                  sa.select(QuestionnaireResponse.client_id).where(reasons),
                  sa.select(Job.client_id).where(jobs)):
        touched_ids.update(i for i in tx.db.scalars(query) if i is not None)
    touched = sorted(tx.db.scalars(sa.select(Client.uid).where(Client.id.in_(touched_ids))))
    tx.db.execute(sa.delete(KeptRecording).where(recordings))
    tx.db.execute(sa.delete(SupervisorComment).where(comments))
    tx.db.execute(sa.delete(Job).where(jobs))
    tx.db.execute(sa.update(TherapySession).where(transcripts).values(
        transcript_enc=None, purged_at=stamp))
    tx.db.execute(sa.update(TherapySession).where(session_notes).values(notes_enc=None))
    tx.db.execute(sa.update(StoredAnalysis).where(documents).values(
        document_enc=None, purged_at=stamp))
    tx.db.execute(sa.update(Client).where(identity).values(identity_enc=None))
    tx.db.execute(sa.update(Client).where(client_notes).values(notes_enc=None))
    tx.db.execute(sa.update(QuestionnaireResponse).where(reasons).values(
        error_reason_enc=None))
    for ack in notes:  # the append-only triggers allow a new ciphertext, nothing else
        ack.note_enc = tx.encrypt(PURGED_NOTE, _ACK_NOTE)
    # A coding project keeps its own copy of the turns: it goes with the transcript
    # (codes, notes and decisions with it, by cascade); exported gold is outside.
    tx.db.execute(sa.delete(CodingUnit).where(CodingUnit.session_id.in_(sessions)))
    for uid in touched:
        tx.audit("purge", "client", subject=uid, detail="transcripts, documents, "
                 "recordings, identity, notes, comments, acknowledgement notes, "
                 "error reasons and ended jobs")
    tx.audit("purge", "retention", detail=_summary(report))
    return report


def _summary(r: RetentionReport) -> str:
    return (f"clients={r.clients} transcripts={r.transcripts} analyses={r.analyses} "
            f"recordings={r.recordings} identities={r.identities} "
            f"client_notes={r.client_notes} session_notes={r.session_notes} "
            f"comments={r.comments} ack_notes={r.acknowledgement_notes} "
            f"error_reasons={r.error_reasons} jobs={r.jobs}")
