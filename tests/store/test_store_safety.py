"""Acknowledgements of safety flags in the record (issue 15, item 3), on SQLite and
PostgreSQL: who may add them, audited, append-only (the database refuses changes and
deletion), encrypted at rest, re-encrypted by key rotation, erased with the client."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from record_fixtures import People

from rapport.errors import RapportInputError
from rapport.store.database import Store

NOTE = "asked directly about the plan in Kirkcaldy; safety plan reviewed"


@pytest.fixture
def flagged(store: Store, people: People) -> int:
    """tom's client C-001 with a PHQ-9 whose item 9 is blank (an open flag); returns the
    response id."""
    from rapport.caseload import record_response
    from rapport.measures import get_instrument, score
    from rapport.store.clients import add_client
    from rapport.store.sessions import SessionRecord, add_session

    phq9 = get_instrument("phq9")
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        add_session(tx, "C-001", SessionRecord(number=1, date=dt.date(2026, 3, 2)))
        return record_response(tx, "C-001", phq9,
                               score(phq9, dict.fromkeys(phq9.item_ids[:8], 3.0)), session=1)


def _ack(store: Store, who: str, response_id: int, note: str = NOTE) -> None:
    from rapport.caseload import acknowledge

    with store.transaction(who) as tx:
        acknowledge(tx, "C-001", f"questionnaire:{response_id}:phq9_9", action="assessed",
                    note=note)


def test_acknowledging_changes_the_state_and_keeps_the_history(
        store: Store, people: People, flagged: int) -> None:
    from rapport.caseload import client_flags

    with store.transaction(people.therapist) as tx:
        (flag,), _ = client_flags(tx, "C-001")
    assert flag.state == "open" and flag.rule == "safety.risk_item_unanswered"
    _ack(store, people.therapist, flagged)
    _ack(store, people.supervisor, flagged, note="discussed with tom in supervision")
    with store.transaction(people.supervisor) as tx:
        (flag,), _ = client_flags(tx, "C-001")
    assert flag.state == "acknowledged"  # still there, never removed
    assert [(a.by, a.role, a.action, a.note) for a in flag.acknowledgements] == [
        (people.therapist, "therapist", "assessed", NOTE),
        (people.supervisor, "supervisor", "assessed", "discussed with tom in supervision")]
    with store.transaction(people.admin) as tx:
        from rapport.store.audit import query_audit

        rows = [r for r in query_audit(tx) if r.entity == "safety-ack"]
    created = [r for r in rows if r.action == "create"]
    assert [r.actor for r in reversed(created)] == [people.therapist, people.supervisor]
    assert all(f"flag=questionnaire:{flagged}:phq9_9 action=assessed" in r.detail
               for r in created)
    assert not any("Kirkcaldy" in r.detail for r in rows)  # no client text in the audit


@pytest.mark.parametrize(("who", "code"), [("tess", "not_found"), ("rita", "not_found"),
                                           ("ada", "not_found")])
def test_only_the_therapist_and_supervisor_acknowledge(
        store: Store, people: People, flagged: int, who: str, code: str) -> None:
    with pytest.raises(RapportInputError) as err:
        _ack(store, who, flagged)
    assert err.value.code == code
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM safety_acknowledgements").scalar() == 0


def test_the_store_itself_refuses_other_roles(store: Store, people: People,
                                              flagged: int) -> None:
    from rapport.store.safety import FlagRef, add_acknowledgement

    ref = FlagRef("questionnaire", flagged, "phq9_9")
    for who in (people.researcher, people.admin):
        with pytest.raises(RapportInputError) as err, store.transaction(who) as tx:
            add_acknowledgement(tx, "C-001", ref, action="assessed", note=NOTE)
        assert err.value.code == "forbidden"
    # a source of another client is "not found", like a client one may not see
    with pytest.raises(RapportInputError) as err, store.transaction(people.therapist) as tx:
        add_acknowledgement(tx, "C-001", FlagRef("transcript", 10**9, "3"), action="other",
                            note=NOTE)
    assert err.value.code == "not_found"


@pytest.mark.parametrize(("flag", "action", "note", "code"), [
    ("questionnaire:{id}:phq9_1", "assessed", NOTE, "not_found"),  # no flag on item 1
    ("questionnaire:999999:phq9_9", "assessed", NOTE, "not_found"),
    ("questionnaire:{id}:phq9_9", "ignored", NOTE, "bad_input"),
    ("questionnaire:{id}:phq9_9", "assessed", "   ", "empty"),
    ("questionnaire:{id}:phq9_9", "assessed", "x" * 4001, "too_long"),
    ("phq9_9", "assessed", NOTE, "bad_flag"),
])
def test_bad_acknowledgements_store_nothing(store: Store, people: People, flagged: int,
                                            flag: str, action: str, note: str,
                                            code: str) -> None:
    from rapport.caseload import acknowledge

    with pytest.raises(RapportInputError) as err, store.transaction(people.therapist) as tx:
        acknowledge(tx, "C-001", flag.format(id=flagged), action=action, note=note)
    assert err.value.code == code and err.value.fix
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM safety_acknowledgements").scalar() == 0


def test_the_database_refuses_changes_and_deletion(store: Store, people: People,
                                                   flagged: int) -> None:
    _ack(store, people.therapist, flagged)
    for statement in ("UPDATE safety_acknowledgements SET action = 'other'",
                      "UPDATE safety_acknowledgements SET at = at",
                      "DELETE FROM safety_acknowledgements"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM safety_acknowledgements").scalar() == 1


def test_erasing_the_client_removes_its_acknowledgements(store: Store, people: People,
                                                         flagged: int) -> None:
    from rapport.store.clients import erase_client

    _ack(store, people.therapist, flagged)
    with store.transaction(people.therapist) as tx:
        erase_client(tx, "C-001")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM safety_acknowledgements").scalar() == 0


def test_the_note_is_encrypted_and_rotated_with_the_key(store: Store, people: People,
                                                        flagged: int, key_file: Path,
                                                        tmp_path: Path) -> None:
    from record_fixtures import rotated as rotated_store

    _ack(store, people.therapist, flagged)
    with store.engine.connect() as conn:
        blob = conn.exec_driver_sql("SELECT note_enc FROM safety_acknowledgements").scalar()
    assert b"Kirkcaldy" not in bytes(blob)
    rotated = rotated_store(store, key_file, tmp_path, people.admin)
    try:
        from rapport.caseload import client_flags

        with rotated.transaction(people.therapist) as tx:
            (flag,), _ = client_flags(tx, "C-001")
        assert flag.acknowledgements[0].note == NOTE
    finally:
        rotated.dispose()


@given(st.sampled_from(["questionnaire", "transcript"]), st.integers(0, 10**12 - 1),
       st.from_regex(r"[a-z0-9_]{1,64}", fullmatch=True))
def test_flag_refs_round_trip(kind: str, source_id: int, part: str) -> None:
    from rapport.store.safety import FlagRef

    ref = FlagRef(kind, source_id, part)
    assert FlagRef.parse(str(ref)) == ref


@given(st.text(max_size=80))
def test_any_text_parses_or_is_one_clear_error(text: str) -> None:
    from rapport.store.safety import FlagRef

    try:
        FlagRef.parse(text)
    except RapportInputError as err:
        assert err.code == "bad_flag" and err.fix
