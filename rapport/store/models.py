"""The record's tables (SQLAlchemy 2). Migrations in ``migrations/`` create them.

Columns ending in ``_enc`` hold AES-GCM ciphertext (see :mod:`rapport.store.crypto`):
identifying fields, transcripts, analysis documents, questionnaire answers and free-text
notes. Everything else is structure, dates, codes and numbers, kept in plain columns so
charts and permission checks never need the key. Clients are referred to outside their
own rows (audit log) only by a random ``uid``, never by name or code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone itself)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None,
                           dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the record; use UTC-aware datetimes")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None,
                             dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints stably."""

    metadata = sa.MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s"})



def _part_of(table: str) -> sa.ForeignKey:
    """A foreign key whose row is deleted with its parent (erasure cascades)."""
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    role: Mapped[str] = mapped_column(sa.String(16))
    display_name: Mapped[str] = mapped_column(sa.String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(sa.String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Supervision(Base):
    """A supervisor reviews a supervisee's clients; identity only when granted."""

    __tablename__ = "supervision"
    __table_args__ = (sa.UniqueConstraint("supervisor_id", "supervisee_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    supervisee_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    identity_granted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Client(Base):
    __tablename__ = "clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(sa.String(32), unique=True)
    code: Mapped[str] = mapped_column(sa.String(64), unique=True)
    therapist_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    identity_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    notes_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Consent(Base):
    """One consent as given, and withdrawn when it was; history is never overwritten."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(_part_of("clients"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    given_on: Mapped[dt.date] = mapped_column(sa.Date)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    recorded_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TherapySession(Base):
    __tablename__ = "sessions"
    __table_args__ = (sa.UniqueConstraint("client_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(_part_of("clients"), index=True)
    number: Mapped[int]
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    attendance: Mapped[str] = mapped_column(sa.String(16))
    transcript_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    notes_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class StoredAnalysis(Base):
    """The JSON of ``rapport analyze`` (encrypted) with its versions in plain columns."""

    __tablename__ = "analyses"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(_part_of("sessions"),
                                            index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    rapport_version: Mapped[str] = mapped_column(sa.String(32))
    schema_version: Mapped[str] = mapped_column(sa.String(16))
    models: Mapped[list[str]] = mapped_column(sa.JSON)
    document_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    purged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class AnalysisMetric(Base):
    """Headline numbers of an analysis, one row each, for charts without decryption."""

    __tablename__ = "analysis_metrics"
    analysis_id: Mapped[int] = mapped_column(_part_of("analyses"),
                                             primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    value: Mapped[float | None]


class QuestionnaireResponse(Base):
    """One scored questionnaire. At most one of each instrument per client and session
    that is not marked entered in error (the index); any number without a session number.
    A response is never deleted by hand: one stored by mistake is marked entered in error
    (who, when, why), leaves every score and chart, and stays in the record's history."""

    __tablename__ = "questionnaire_responses"
    __table_args__ = (sa.Index("uq_questionnaire_responses_session_instrument",
                               "client_id", "session_number", "instrument_id", unique=True,
                               sqlite_where=sa.text("error_marked_at IS NULL"),
                               postgresql_where=sa.text("error_marked_at IS NULL")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(_part_of("clients"), index=True)
    session_number: Mapped[int | None]
    instrument_id: Mapped[str] = mapped_column(sa.String(64))
    instrument_version: Mapped[str] = mapped_column(sa.String(32))
    answers_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    scores: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    # Read from the total when it was recorded, so pages need not re-score: the band, the
    # side of the cut-off, and the fingerprint of the definition that gave them (None:
    # not stored, or stored under a definition since changed; then it is re-scored).
    band: Mapped[str | None] = mapped_column(sa.String(200))
    in_clinical_range: Mapped[bool | None]
    scored_with: Mapped[str | None] = mapped_column(sa.String(32))
    # Entered in error: when, by whom, and why (the reason may name people: encrypted).
    error_marked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    error_marked_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    error_reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)


class CodeCorrection(Base):
    """A human's correction of one code on one turn of a stored analysis."""

    __tablename__ = "code_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(_part_of("analyses"),
                                             index=True)
    turn_index: Mapped[int]
    code_name: Mapped[str] = mapped_column(sa.String(64))
    value: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SupervisorComment(Base):
    __tablename__ = "supervisor_comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    analysis_id: Mapped[int] = mapped_column(_part_of("analyses"),
                                             index=True)
    turn_index: Mapped[int | None]
    text_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuditEntry(Base):
    """Append-only: database triggers refuse UPDATE and DELETE on this table."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(sa.String(64))
    interface: Mapped[str] = mapped_column(sa.String(16))
    action: Mapped[str] = mapped_column(sa.String(32))
    entity: Mapped[str] = mapped_column(sa.String(32))
    subject: Mapped[str | None] = mapped_column(sa.String(32), index=True)
    detail: Mapped[str] = mapped_column(sa.String(200), default="")


class AppSetting(Base):
    """Clinic-wide settings an admin changes at run time (e.g. the retention period)."""

    __tablename__ = "app_settings"
    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(200))


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored,
    so a copy of the database cannot be used to take over a session."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(_part_of("users"), index=True)
    csrf_token: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A token for scripts (``Authorization: Bearer ...``); stored as its SHA-256 only."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(_part_of("users"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class LoginThrottle(Base):
    """Failed sign-ins per key (``user:<name>`` and ``ip:<address>``) for rate limiting and
    temporary lockout; kept in the record so every server process sees the same counts."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_start: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class FeedbackForm(Base):
    """A single-use questionnaire link for one client and session. The URL carries a
    random token (stored as its SHA-256), never client data; it dies after submission."""

    __tablename__ = "feedback_forms"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    client_id: Mapped[int] = mapped_column(_part_of("clients"), index=True)
    session_number: Mapped[int]
    instruments: Mapped[list[str]] = mapped_column(sa.JSON)
    kiosk: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    #: Instruments whose answers were kept without a session number because the session
    #: already had one (told to the therapist on the session's forms list).
    unfiled: Mapped[list[str] | None] = mapped_column(sa.JSON)


class Job(Base):
    """Work done after the request that asked for it (an uploaded transcript's analysis).

    The record holds the job's whole state, so any process serving the record can run it
    and a restart resumes it (see ``rapport/jobs``). The uploaded bytes and the outcome
    (result, or an error that may quote the file) are encrypted like any client text.
    """

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    state: Mapped[str] = mapped_column(sa.String(16), index=True)  # queued/running/done/failed
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_id: Mapped[int | None] = mapped_column(_part_of("clients"), index=True)
    session_number: Mapped[int | None]
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    payload_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    outcome_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    progress: Mapped[int] = mapped_column(default=0)  # percent
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class KeptRecording(Base):
    """A session's recording, kept (encrypted, base64 inside the ciphertext so that key
    rotation treats it like any other value) because the therapist chose to keep it when
    uploading it. Deleted with its session or client, by retention, and when the consent
    to recording is withdrawn; only structure (size, media type, when) is plain."""

    __tablename__ = "kept_recordings"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(_part_of("sessions"), index=True)
    media_type: Mapped[str] = mapped_column(sa.String(64))
    suffix: Mapped[str] = mapped_column(sa.String(8))
    size_bytes: Mapped[int] = mapped_column(sa.BigInteger)
    media_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    kept_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kept_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SafetyAcknowledgement(Base):
    """One acknowledgement of a safety flag: who, when, what was done (the note is
    encrypted). Rows are only ever added: database triggers refuse changes to anything
    but the ciphertext (which key rotation re-encrypts) and refuse deletion while the
    client exists (erasure of the whole client removes them).

    The flag itself is not a row: it is derived from its source, so nothing can delete or
    hide it. A source is named by ``source_kind`` and a key: ``questionnaire`` with the
    response id and the item id, ``transcript`` with the session id and the turn index.
    """

    __tablename__ = "safety_acknowledgements"
    __table_args__ = (sa.Index("ix_safety_acknowledgements_source", "client_id",
                               "source_kind", "source_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(_part_of("clients"))
    source_kind: Mapped[str] = mapped_column(sa.String(16))
    source_id: Mapped[int]
    source_part: Mapped[str] = mapped_column(sa.String(64))
    action: Mapped[str] = mapped_column(sa.String(32))
    note_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    acted_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodingProject(Base):
    """A coding project of the workbench: a codebook (as parsed, JSON), its mode (``blind``
    or ``assisted``: coders see the model's codes), and whether its turns were stored
    de-identified (some coder may not read the clients' records)."""

    __tablename__ = "coding_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    codebook: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    mode: Mapped[str] = mapped_column(sa.String(16))
    deidentified: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodingMember(Base):
    """A user on a project: ``coder`` (codes blind) or ``adjudicator`` (agreement, gold)."""

    __tablename__ = "coding_members"
    __table_args__ = (sa.UniqueConstraint("project_id", "user_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(_part_of("coding_projects"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(sa.String(16))


class CodingUnit(Base):
    """One session in a project, its turns copied (encrypted JSON) when it joined the
    project, so codes keep pointing at the turns the coders saw. A stored session's unit
    is deleted with the session (erasure) and hidden from a de-identified project while
    consent is withdrawn; an uploaded transcript's unit (``session_id`` null) belongs to
    the project alone and goes with it."""

    __tablename__ = "coding_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(_part_of("coding_projects"), index=True)
    session_id: Mapped[int | None] = mapped_column(_part_of("sessions"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(64))
    n_turns: Mapped[int]
    timed: Mapped[bool] = mapped_column(default=False)
    #: Each turn's speaker role (therapist/client/other): what a code may be checked
    #: against on every save without decrypting the turns.
    roles: Mapped[list[str]] = mapped_column(sa.JSON)
    turns_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)


class CodingLabel(Base):
    """One coder's codes for one turn (a JSON list of code names) and their note."""

    __tablename__ = "coding_labels"
    __table_args__ = (sa.UniqueConstraint("unit_id", "coder_id", "turn_index"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(_part_of("coding_units"), index=True)
    coder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    turn_index: Mapped[int]
    labels: Mapped[list[str]] = mapped_column(sa.JSON)
    note_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    mode: Mapped[str] = mapped_column(sa.String(16))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodingFinished(Base):
    """A coder marked a unit finished: from then on they may see the others' codes."""

    __tablename__ = "coding_finished"
    __table_args__ = (sa.UniqueConstraint("unit_id", "coder_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(_part_of("coding_units"), index=True)
    coder_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodingDecision(Base):
    """An adjudicator's decision on one turn. Rows are only added: the newest is the gold,
    the older ones its history."""

    __tablename__ = "coding_decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(_part_of("coding_units"), index=True)
    turn_index: Mapped[int]
    labels: Mapped[list[str]] = mapped_column(sa.JSON)
    reason_enc: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    decided_by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CodingEvent(Base):
    """The project's history of changes after it was made: coders or sessions added, a
    coder's finished session reopened. Ids and usernames only, never client text."""

    __tablename__ = "coding_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(_part_of("coding_projects"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    detail: Mapped[str] = mapped_column(sa.String(300))
    by: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PracticeAttempt(Base):
    """One reply a trainee (or therapist) gave to a practice drill, and what the judge
    said. The reply and the feedback are encrypted (a trainee may write what a real client
    once said); the verdict, the codes' names and confidences and the versions are plain,
    so progress can be counted without the key. A user's attempts go with the user."""

    __tablename__ = "practice_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(_part_of("users"), index=True)
    drill_id: Mapped[str] = mapped_column(sa.String(64))
    skill: Mapped[str] = mapped_column(sa.String(32))
    reply_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    feedback_enc: Mapped[bytes] = mapped_column(sa.LargeBinary)
    verdict: Mapped[str] = mapped_column(sa.String(8))
    #: [[code, confidence], ...]: names and numbers only, never the evidence text.
    codes: Mapped[list[Any]] = mapped_column(sa.JSON)
    confidence: Mapped[float]
    unsure: Mapped[bool]
    judge_version: Mapped[str] = mapped_column(sa.String(64))
    codebook_version: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


#: Every encrypted column as (model, attribute, cipher context): what `keys rotate`
#: re-encrypts. The context is bound into each ciphertext as associated data.
ENCRYPTED_COLUMNS: tuple[tuple[type[Base], str, str], ...] = (
    (Client, "identity_enc", "clients.identity"), (Client, "notes_enc", "clients.notes"),
    (TherapySession, "transcript_enc", "sessions.transcript"),
    (TherapySession, "notes_enc", "sessions.notes"),
    (StoredAnalysis, "document_enc", "analyses.document"),
    (QuestionnaireResponse, "answers_enc", "questionnaire_responses.answers"),
    (QuestionnaireResponse, "error_reason_enc", "questionnaire_responses.error_reason"),
    (SupervisorComment, "text_enc", "supervisor_comments.text"),
    (SafetyAcknowledgement, "note_enc", "safety_acknowledgements.note"),
    (Job, "payload_enc", "jobs.payload"), (Job, "outcome_enc", "jobs.outcome"),
    (KeptRecording, "media_enc", "kept_recordings.media"),
    (CodingUnit, "turns_enc", "coding_units.turns"),
    (CodingLabel, "note_enc", "coding_labels.note"),
    (CodingDecision, "reason_enc", "coding_decisions.reason"),
    (PracticeAttempt, "reply_enc", "practice_attempts.reply"),
    (PracticeAttempt, "feedback_enc", "practice_attempts.feedback"),
)
