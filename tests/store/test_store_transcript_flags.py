"""Urgent risk language in a stored analysis is a safety flag on the client's record, like
PHQ-9 item 9: derived from the analysis, acknowledged with a note, never hidden (issue 16),
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from record_fixtures import People

from rapport.store.database import Store

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "missed_risk.txt"


@pytest.fixture(scope="module")
def risky_document() -> str:
    from rapport.ingest import load_sessions
    from rapport.pipeline import analyze

    (session,) = load_sessions(EXAMPLE).sessions
    return analyze(session).to_json()


def _store(store: Store, people: People, document: str) -> int:
    from rapport.store.analyses import store_analysis
    from rapport.store.clients import add_client
    from rapport.store.consents import ConsentKind, add_consent

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        add_consent(tx, "C-001", ConsentKind.ANALYSIS, given_on=dt.date(2026, 1, 5))
        return store_analysis(tx, "C-001", 2, document)


def test_transcript_risk_is_a_flag_until_and_after_it_is_acknowledged(
        store: Store, people: People, risky_document: str) -> None:
    from rapport.caseload import acknowledge, caseload, client_flags

    analysis_id = _store(store, people, risky_document)
    with store.transaction(people.therapist) as tx:
        flags, _ = client_flags(tx, "C-001")
    transcript = [f for f in flags if f.ref.kind == "transcript"]
    assert {f.ref.part for f in transcript} >= {"3", "7"}
    assert all(f.is_open and f.session == 2 and f.rule == "safety.transcript_risk"
               for f in transcript)
    assert all("moved on" in f.message and "risk_" not in f.message for f in transcript)
    with store.transaction(people.therapist) as tx:
        rows = caseload(tx)
    assert rows and rows[0].code == "C-001"
    first = f"transcript:{analysis_id}:7"
    with store.transaction(people.supervisor) as tx:
        acknowledge(tx, "C-001", first, action="discussed", note="asked directly next day")
    with store.transaction(people.therapist) as tx:
        flags, _ = client_flags(tx, "C-001")
    by_ref = {str(f.ref): f for f in flags}
    assert by_ref[first].state == "acknowledged"  # still listed, never removed
    assert any(f.is_open for f in flags if f.ref.kind == "transcript")


def test_another_clients_analysis_cannot_be_acknowledged(
        store: Store, people: People, risky_document: str) -> None:
    from rapport.caseload import acknowledge
    from rapport.errors import RapportInputError
    from rapport.store.clients import add_client

    analysis_id = _store(store, people, risky_document)
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-002")
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError):
        acknowledge(tx, "C-002", f"transcript:{analysis_id}:7", action="other", note="x")


def test_a_false_alarm_of_the_coder_can_be_said_so_a_questionnaire_answer_cannot(
        store: Store, people: People, risky_document: str) -> None:
    # A new-user review: the bundled examples' false risk flags could only be acknowledged
    # as "risk discussed with the client" or "other".
    from rapport.caseload import acknowledge, client_flags, record_response
    from rapport.errors import RapportInputError
    from rapport.measures import get_instrument, score

    analysis_id = _store(store, people, risky_document)
    phq9 = get_instrument("phq9")
    with store.transaction(people.therapist) as tx:
        answers = dict.fromkeys(phq9.item_ids, 0.0) | {"phq9_9": 1.0}
        response_id = record_response(tx, "C-001", phq9, score(phq9, answers), session=2)
    with store.transaction(people.therapist) as tx:
        flags, _ = client_flags(tx, "C-001")
    by_ref = {str(f.ref): f for f in flags}
    answer, turn = f"questionnaire:{response_id}:phq9_9", f"transcript:{analysis_id}:3"
    assert "not_risk" in by_ref[turn].actions and "not_risk" not in by_ref[answer].actions
    with store.transaction(people.therapist) as tx, \
            pytest.raises(RapportInputError, match="only for risk language found in a"):
        acknowledge(tx, "C-001", answer, action="not_risk", note="mis-click")
    with store.transaction(people.therapist) as tx:
        acknowledge(tx, "C-001", turn, action="not_risk",
                    note="a chore argument, not risk; read the whole turn")
    with store.transaction(people.therapist) as tx:
        flags, _ = client_flags(tx, "C-001")
    by_ref = {str(f.ref): f for f in flags}
    assert by_ref[turn].state == "acknowledged"
    assert by_ref[turn].latest is not None and by_ref[turn].latest.action == "not_risk"
    assert by_ref[answer].is_open  # the refused acknowledgement left nothing behind
