"""A questionnaire stored by mistake is marked entered in error, on SQLite and PostgreSQL:
it leaves every score, its session can record the right one, it is never deleted, the
mark (who, when, why) is audited and its reason encrypted; a response with an open safety
flag is refused until the flag is acknowledged, and its flag stays in the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from record_fixtures import People

from rapport.errors import RapportInputError
from rapport.store.database import Store

REASON = "typed in for the wrong client (Marchbanks)"


def _phq9(answers: Sequence[float | None]):  # type: ignore[no-untyped-def]
    from rapport.measures import get_instrument, score

    phq9 = get_instrument("phq9")
    return phq9, score(phq9, dict(zip(phq9.item_ids, answers, strict=True)))


def _client_with(store: Store, people: People, answers: Sequence[float | None]) -> int:
    """tom's client C-001, session 1, one PHQ-9 with ``answers``; its response id."""
    from rapport.caseload import record_response
    from rapport.store.clients import add_client
    from rapport.store.sessions import SessionRecord, add_session

    instrument, result = _phq9(answers)
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        add_session(tx, "C-001", SessionRecord(number=1, date=dt.date(2026, 3, 2)))
        return record_response(tx, "C-001", instrument, result, session=1)


def _mark(store: Store, who: str, response_id: int, reason: str = REASON):  # type: ignore[no-untyped-def]
    from rapport.caseload import mark_response_entered_in_error

    with store.transaction(who) as tx:
        return mark_response_entered_in_error(tx, "C-001", response_id, reason=reason)


NO_RISK = [2.0, 2, 2, 2, 2, 2, 2, 2, 0]


def test_a_marked_response_leaves_the_scores_and_the_session_takes_the_right_one(
        store: Store, people: People) -> None:
    from rapport.caseload import client_progress, record_response
    from rapport.store.responses import list_entered_in_error, list_responses

    wrong = _client_with(store, people, NO_RISK)
    marked = _mark(store, people.therapist, wrong)
    assert marked.entered_in_error is not None
    assert (marked.entered_in_error.by, marked.entered_in_error.reason) == (
        people.therapist, REASON)
    instrument, right = _phq9([0.0] * 9)
    with store.transaction(people.therapist) as tx:
        assert list_responses(tx, "C-001") == []
        # the one-per-session rule counts only responses that count
        again = record_response(tx, "C-001", instrument, right, session=1)
    with store.transaction(people.supervisor) as tx:
        assert [r.id for r in list_responses(tx, "C-001")] == [again]
        (kept,) = list_entered_in_error(tx, "C-001")
        state = client_progress(tx, "C-001")
    assert kept.id == wrong and kept.scores["total"] == 16
    (report,) = state.reports
    assert [p.total for p in report.points] == [0]


def test_marking_checks_before_it_writes(store: Store, people: People) -> None:
    wrong = _client_with(store, people, NO_RISK)
    for who, response_id, reason, code in [
            (people.therapist, wrong, "   ", "bad_input"),
            (people.therapist, wrong, "x" * 501, "bad_input"),
            (people.therapist, wrong + 99, REASON, "not_found"),
            (people.supervisor, wrong, REASON, "not_found"),  # supervisors only read
            (people.other_therapist, wrong, REASON, "not_found")]:
        with pytest.raises(RapportInputError) as caught:
            _mark(store, who, response_id, reason)
        assert caught.value.code == code, (who, reason[:5], caught.value.code)
    _mark(store, people.therapist, wrong)
    with pytest.raises(RapportInputError) as caught:
        _mark(store, people.therapist, wrong, "again")
    assert caught.value.code == "conflict"
    with store.engine.connect() as conn:  # the first reason kept, not the second
        assert conn.scalar(sa.text("SELECT count(*) FROM questionnaire_responses "
                                   "WHERE error_marked_at IS NOT NULL")) == 1


def test_an_open_safety_flag_must_be_acknowledged_first_and_stays_listed(
        store: Store, people: People) -> None:
    from rapport.caseload import acknowledge, client_flags

    flagged = _client_with(store, people, [*NO_RISK[:8], 2.0])
    with pytest.raises(RapportInputError) as caught:
        _mark(store, people.therapist, flagged)
    assert caught.value.code == "open_flag"
    assert f"questionnaire:{flagged}:phq9_9" in (caught.value.fix or "")
    with store.transaction(people.therapist) as tx:
        acknowledge(tx, "C-001", f"questionnaire:{flagged}:phq9_9", action="other",
                    note="entered for the wrong client")
    _mark(store, people.therapist, flagged)
    with store.transaction(people.therapist) as tx:
        (flag,), _ = client_flags(tx, "C-001")
    assert flag.state == "acknowledged"
    assert "marked entered in error by tom" in flag.message


def test_the_mark_is_audited_and_its_reason_encrypted(store: Store, people: People) -> None:
    wrong = _client_with(store, people, NO_RISK)
    _mark(store, people.therapist, wrong)
    with store.engine.connect() as conn:
        blob = conn.scalar(sa.text("SELECT error_reason_enc FROM questionnaire_responses"))
        audit = conn.execute(sa.text(
            "SELECT actor, action, detail FROM audit_log WHERE entity = 'response' "
            "AND action = 'update'")).all()
    assert blob is not None and b"Marchbanks" not in bytes(blob)
    assert [(a, d) for a, _, d in audit] == [
        (people.therapist, f"response={wrong} instrument=phq9 entered_in_error")]
    assert "Marchbanks" not in repr(audit)


def test_key_rotation_re_encrypts_the_reason(store: Store, people: People, key_file: Path,
                                             tmp_path: Path) -> None:
    from record_fixtures import rotated as rotated_store

    from rapport.store.responses import list_entered_in_error

    _mark(store, people.therapist, _client_with(store, people, NO_RISK))
    rotated = rotated_store(store, key_file, tmp_path, people.admin)
    try:
        with rotated.transaction(people.therapist) as tx:
            (kept,) = list_entered_in_error(tx, "C-001")
        assert kept.entered_in_error is not None and kept.entered_in_error.reason == REASON
    finally:
        rotated.dispose()
