"""The record's admin rules on both backends: what retention purges (all free text and
identity; numbers stay), closing a closed client (the retention date never moves), and
consents dated in the future (refused on every path)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from cli_runner import Cli
from record_fixtures import PLANTED_NAME, PLANTED_SENTENCE, People, document_json

from rapport.errors import RapportInputError
from rapport.store.database import Store
from rapport.store.models import (
    AuditEntry,
    Client,
    Job,
    QuestionnaireResponse,
    SafetyAcknowledgement,
    StoredAnalysis,
    SupervisorComment,
    TherapySession,
    utcnow,
)

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
DAY = dt.date(2026, 1, 5)
NOTE = "called her sister in Lisbon; safety plan agreed"
REASON = "typed in for Zebedee by mistake"


def _client_with_everything(store: Store, people: People, code: str) -> dict[str, int]:
    """A client of tom's with every kind of free text the record holds about a client."""
    from rapport.caseload import record_response
    from rapport.measures import get_instrument, score
    from rapport.store.analyses import store_analysis
    from rapport.store.annotations import add_comment, add_correction
    from rapport.store.clients import add_client
    from rapport.store.consents import ConsentKind, add_consent
    from rapport.store.jobs import claim_next, enqueue, finish
    from rapport.store.responses import mark_entered_in_error
    from rapport.store.safety import FlagRef, add_acknowledgement
    from rapport.store.sessions import SessionRecord, add_session

    phq9 = get_instrument("phq9")
    with store.transaction(people.therapist) as tx:
        add_client(tx, code, identity={"name": PLANTED_NAME, "contact": "z@example.org"},
                   notes=f"client notes: {PLANTED_SENTENCE}")
        add_consent(tx, code, ConsentKind.ANALYSIS, given_on=DAY)
        add_session(tx, code, SessionRecord(number=1, date=DAY, transcript="C: hello",
                                            notes=f"session notes: {PLANTED_SENTENCE}"))
        add_session(tx, code, SessionRecord(number=2, date=DAY + dt.timedelta(days=7)))
        analysis = store_analysis(tx, code, 1, document_json(metrics={"m": 1.0}))
        add_correction(tx, analysis, 1, "disclosure", "false")
        flagged = record_response(tx, code, phq9, score(
            phq9, dict.fromkeys(phq9.item_ids[:8], 3.0)), session=1)
        wrong = record_response(tx, code, phq9, score(
            phq9, dict.fromkeys(phq9.item_ids, 1.0)), session=2)
        mark_entered_in_error(tx, code, wrong, reason=REASON)
        add_acknowledgement(tx, code, FlagRef("questionnaire", flagged, "phq9_9"),
                            action="assessed", note=NOTE)
        job = enqueue(tx, "analyze", code=code, session_number=1,
                      params={"filename": f"{PLANTED_NAME}.txt"}, payload=b"C: hello")
    with store.transaction(people.supervisor) as tx:
        add_comment(tx, analysis, f"comment: {PLANTED_SENTENCE}", turn_index=1)
    with store.transaction(None) as tx:
        claimed = claim_next(tx.db, "w1", lease=dt.timedelta(minutes=5))
        assert claimed is not None and claimed.id == job
    with store.transaction(people.therapist) as tx:
        finish(tx, job, "w1", result={"turns": [PLANTED_SENTENCE]})
    return {"analysis": analysis, "flagged": flagged, "job": job}


def _texts(store: Store, code: str) -> dict[str, int]:
    """How many of the client's free-text values are still stored, per column."""
    with store.engine.connect() as conn:
        client_id = conn.scalar(sa.select(Client.id).where(Client.code == code))
        sessions = sa.select(TherapySession.id).where(TherapySession.client_id == client_id)
        analyses = sa.select(StoredAnalysis.id).where(StoredAnalysis.session_id.in_(sessions))
        one = conn.execute(sa.select(Client.identity_enc, Client.notes_enc)
                           .where(Client.id == client_id)).one()
        return {
            "identity": int(one.identity_enc is not None),
            "client_notes": int(one.notes_enc is not None),
            "session_notes": conn.scalar(sa.select(sa.func.count()).where(
                TherapySession.id.in_(sessions), TherapySession.notes_enc.is_not(None))),
            "comments": conn.scalar(sa.select(sa.func.count()).where(
                SupervisorComment.analysis_id.in_(analyses))),
            "error_reasons": conn.scalar(sa.select(sa.func.count()).where(
                QuestionnaireResponse.client_id == client_id,
                QuestionnaireResponse.error_reason_enc.is_not(None))),
            "jobs": conn.scalar(sa.select(sa.func.count()).where(
                Job.client_id == client_id)),
        }


def test_retention_purges_free_text_and_identity_and_keeps_the_numbers(
        store: Store, people: People) -> None:
    from rapport.caseload import client_flags
    from rapport.store.analyses import list_analyses
    from rapport.store.annotations import list_corrections
    from rapport.store.clients import close_client, show_client
    from rapport.store.consents import list_consents
    from rapport.store.responses import list_entered_in_error, list_responses
    from rapport.store.retention import apply_retention, set_retention_days
    from rapport.store.safety import list_acknowledgements
    from rapport.store.sessions import list_sessions

    old = _client_with_everything(store, people, "C-OLD")
    _client_with_everything(store, people, "C-OPEN")
    everything = {"identity": 1, "client_notes": 1, "session_notes": 1, "comments": 1,
                  "error_reasons": 1, "jobs": 1}
    assert _texts(store, "C-OLD") == everything
    with store.transaction(people.therapist) as tx:
        close_client(tx, "C-OLD")
        before = list_responses(tx, "C-OLD")
    with store.transaction(people.admin) as tx:
        set_retention_days(tx, 30)
    later = utcnow() + dt.timedelta(days=31)
    with store.transaction(people.admin) as tx:
        dry = apply_retention(tx, now=later)
    assert (dry.clients, dry.transcripts, dry.analyses, dry.applied) == (1, 1, 1, False)
    assert (dry.identities, dry.client_notes, dry.session_notes, dry.comments,
            dry.acknowledgement_notes, dry.error_reasons, dry.jobs) == (1, 1, 1, 1, 1, 1, 1)
    assert _texts(store, "C-OLD") == everything  # the dry run changed nothing

    with store.transaction(people.admin) as tx:
        done = apply_retention(tx, dry_run=False, now=later)
    assert (done.identities, done.client_notes, done.session_notes, done.comments,
            done.acknowledgement_notes, done.error_reasons, done.jobs) == (1, 1, 1, 1, 1, 1, 1)
    assert _texts(store, "C-OLD") == dict.fromkeys(everything, 0)
    assert _texts(store, "C-OPEN") == everything  # an open client keeps everything

    with store.transaction(people.therapist) as tx:
        shown = show_client(tx, "C-OLD")
        assert shown.identity is None and shown.identity_shown and shown.notes is None
        sessions = list_sessions(tx, "C-OLD")
        assert [(s.number, s.date, s.attendance) for s in sessions] == [
            (1, DAY, "attended"), (2, DAY + dt.timedelta(days=7), "attended")]
        assert [c.kind for c in list_consents(tx, "C-OLD")] == ["analysis"]
        (view,) = list_analyses(tx, "C-OLD")
        assert view.purged and view.metrics == {"m": 1.0}
        assert [c.code_name for c in list_corrections(tx, old["analysis"])] == ["disclosure"]
        # Questionnaires stay whole: scores, and the answers they are scored from (the
        # items are numbers; safety flags are derived from them).
        after = list_responses(tx, "C-OLD")
        assert [(r.scores, r.answers) for r in after] == [
            (r.scores, r.answers) for r in before]
        (marked,) = list_entered_in_error(tx, "C-OLD")
        assert marked.entered_in_error is not None
        assert marked.entered_in_error.by == people.therapist
        assert marked.entered_in_error.reason == ""
        (ack,) = list_acknowledgements(tx, "C-OLD")
        assert (ack.action, ack.by) == ("assessed", people.therapist)
        assert NOTE not in ack.note and "retention" in ack.note
        flags, _ = client_flags(tx, "C-OLD")
        (flag,) = [f for f in flags if f.ref.source_id == old["flagged"]]
        assert flag.state == "acknowledged"  # the flag and its acknowledgement stay
    with store.engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(
            SafetyAcknowledgement)) == 2
        uid = conn.scalar(sa.select(Client.uid).where(Client.code == "C-OLD"))
        details = list(conn.scalars(sa.select(AuditEntry.detail).where(
            AuditEntry.action == "purge", AuditEntry.subject == uid)))
    assert len(details) == 1 and "identity" in details[0] and "notes" in details[0]

    with store.transaction(people.admin) as tx:  # nothing is left to purge
        again = apply_retention(tx, dry_run=False, now=later)
    assert (again.transcripts, again.identities, again.client_notes, again.session_notes,
            again.comments, again.acknowledgement_notes, again.error_reasons,
            again.jobs) == (0,) * 8


def test_retention_leaves_a_running_job_to_its_runner(store: Store, people: People) -> None:
    from rapport.store.clients import add_client, close_client
    from rapport.store.jobs import claim_next, enqueue
    from rapport.store.retention import apply_retention, set_retention_days

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-OLD")
        job = enqueue(tx, "analyze", code="C-OLD", session_number=1, params={},
                      payload=b"C: hello")
        close_client(tx, "C-OLD")
    with store.transaction(None) as tx:
        assert claim_next(tx.db, "w1", lease=dt.timedelta(minutes=5)) is not None
    with store.transaction(people.admin) as tx:
        set_retention_days(tx, 1)
        report = apply_retention(tx, dry_run=False, now=utcnow() + dt.timedelta(days=2))
    assert report.jobs == 0
    with store.engine.connect() as conn:
        assert conn.scalar(sa.select(Job.state).where(Job.id == job)) == "running"


def test_closing_a_closed_client_keeps_the_date_and_reopening_an_open_one_is_a_no_op(
        store: Store, people: People) -> None:
    from rapport.store.clients import add_client, close_client, show_client

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        first = close_client(tx, "C-001")
    assert first.changed and first.closed_at is not None
    with store.transaction(people.therapist) as tx:
        again = close_client(tx, "C-001")
        assert not again.changed and again.closed_at == first.closed_at
        assert show_client(tx, "C-001").closed_at == first.closed_at
    with store.transaction(people.therapist) as tx:
        assert close_client(tx, "C-001", reopen=True).changed
    with store.transaction(people.therapist) as tx:
        still_open = close_client(tx, "C-001", reopen=True)
        assert not still_open.changed and still_open.closed_at is None
    with store.engine.connect() as conn:
        actions = list(conn.scalars(sa.select(AuditEntry.action).where(
            AuditEntry.entity == "client", AuditEntry.action.in_(("close", "reopen")))
            .order_by(AuditEntry.id)))
    assert actions == ["close", "reopen"]  # the no-ops changed and logged nothing


def _future(days: int = 2) -> dt.date:
    return utcnow().date() + dt.timedelta(days=days)


def test_a_consent_or_withdrawal_dated_in_the_future_is_refused(
        store: Store, people: People) -> None:
    from rapport.store.clients import add_client, find_client
    from rapport.store.consents import (
        ConsentKind,
        add_consent,
        has_consent,
        list_consents,
        withdraw_consent,
    )

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-002")
    with pytest.raises(RapportInputError) as err, store.transaction(people.therapist) as tx:
        add_consent(tx, "C-002", ConsentKind.ANALYSIS, given_on=dt.date(2030, 1, 1))
    assert err.value.code == "bad_date" and "2030-01-01" in str(err.value)
    with store.transaction(people.therapist) as tx:
        assert not has_consent(tx, find_client(tx, "C-002"), ConsentKind.ANALYSIS)
        today = utcnow().date()
        add_consent(tx, "C-002", ConsentKind.ANALYSIS, given_on=today)
    with pytest.raises(RapportInputError) as err, store.transaction(people.therapist) as tx:
        withdraw_consent(tx, "C-002", ConsentKind.ANALYSIS, on=_future())
    assert err.value.code == "bad_date"
    with store.transaction(people.therapist) as tx:
        (view,) = list_consents(tx, "C-002")
        assert view.current and view.given_on == today
        withdraw_consent(tx, "C-002", ConsentKind.ANALYSIS, on=today)


def test_a_consent_stored_with_a_future_date_is_not_current_yet(store: Store,
                                                                 people: People) -> None:
    # Stored before future dates were refused: it must not count before its day.
    from rapport.store.clients import add_client, find_client
    from rapport.store.consents import ConsentKind, add_consent, has_consent, list_consents

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-003")
        add_consent(tx, "C-003", ConsentKind.ANALYSIS, given_on=utcnow().date())
        assert has_consent(tx, find_client(tx, "C-003"), ConsentKind.ANALYSIS)
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE consents SET given_on = :day"), {"day": _future()})
    with store.transaction(people.therapist) as tx:
        assert not has_consent(tx, find_client(tx, "C-003"), ConsentKind.ANALYSIS)
        (view,) = list_consents(tx, "C-003")
        assert not view.current


@pytest.fixture
def cli(people: People, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The CLI on the record of ``people``, acting as the therapist unless told."""
    monkeypatch.setenv("RAPPORT_USER", people.therapist)
    return Cli(checked=True)


@SQLITE_ONLY
def test_cli_close_twice_says_when_and_keeps_the_date(cli: Cli) -> None:
    cli("clients", "add", "C-001")
    cli("clients", "close", "C-001")
    listed = cli("clients", "list").output
    again = cli("clients", "close", "C-001").output  # exit 0: safe in scripts
    assert f"already closed on {utcnow():%Y-%m-%d}" in again and "nothing changed" in again
    assert cli("clients", "list").output == listed
    cli("clients", "close", "C-001", "--reopen")
    assert "is open" in cli("clients", "close", "C-001", "--reopen").output


@SQLITE_ONLY
def test_cli_refuses_a_consent_dated_in_the_future(cli: Cli) -> None:
    cli("clients", "add", "C-002")
    refused = cli("consents", "add", "C-002", "analysis", "--on", "2030-01-01", code=2).output
    assert "2030-01-01" in refused and "--on" in refused and "today" in refused
    assert "no consents recorded" in cli("consents", "list", "C-002").output
    cli("consents", "add", "C-002", "analysis")
    refused = cli("consents", "withdraw", "C-002", "analysis", "--on",
                  _future().isoformat(), code=2).output
    assert "--on" in refused and "future" in refused
    assert "current" in cli("consents", "list", "C-002").output


@SQLITE_ONLY
def test_cli_retention_dry_run_lists_the_free_text_that_would_go(
        cli: Cli, store: Store, people: People) -> None:
    _client_with_everything(store, people, "C-OLD")
    cli("clients", "close", "C-OLD")
    cli("retention", "set", "1", "--as", "ada")
    with store.engine.begin() as conn:  # closed two days ago
        conn.execute(sa.update(Client).values(closed_at=utcnow() - dt.timedelta(days=2)))
    dry = cli("retention", "apply", "--as", "ada").output
    for words in ("1 transcripts", "1 identities", "1 client notes", "1 session notes",
                  "1 supervisor comments", "1 safety acknowledgement notes",
                  "1 entered-in-error reasons", "1 finished jobs", "dry run"):
        assert words in dry, (words, dry)
    assert "questionnaire" in dry  # what stays is said too
    done = cli("retention", "apply", "--yes", "--as", "ada").output
    assert "purged: 1 transcripts" in done and "1 identities" in done
    shown = cli("clients", "show", "C-OLD").output
    assert PLANTED_NAME not in shown and "identity  (none stored)" in shown
    again = cli("retention", "apply", "--as", "ada").output
    assert "0 identities" in again and "dry run" not in again  # nothing left to purge
