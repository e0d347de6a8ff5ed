"""Practice attempts in the record, on both backends: encrypted at rest, who may read
them, every read audited, key rotation, backup/restore and erasure."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from record_fixtures import People

from rapport.caseload.practice import practise, progress_of
from rapport.errors import RapportInputError
from rapport.store.audit import query_audit
from rapport.store.backup import backup, restore
from rapport.store.database import Store
from rapport.store.models import PracticeAttempt
from rapport.store.permissions import UserRole
from rapport.store.practice import (
    NewAttempt,
    add_attempt,
    erase_practice,
    list_attempts,
    practitioners,
    read_attempt,
)
from rapport.store.users import add_user, link_supervision

REPLY = "It sounds like the week left you feeling quite alone with all of it."
TRAINEE = "tia"


@pytest.fixture
def trainee(store: Store, people: People) -> str:
    with store.transaction(people.admin) as tx:
        add_user(tx, TRAINEE, UserRole.TRAINEE)
        link_supervision(tx, people.supervisor, TRAINEE)
    return TRAINEE


def _new(reply: str = REPLY, verdict: str = "met") -> NewAttempt:
    return NewAttempt(drill_id="empathy-01", skill="empathy", reply=reply, verdict=verdict,
                      codes=(("complex_reflection", 0.8),), confidence=0.7, unsure=False,
                      feedback={"did": "reflected", "needed": "a reflection",
                                "exemplar": "You feel alone.", "next_step": "go on"},
                      judge_version="test@1", codebook_version="1.0")


def test_an_attempt_is_stored_encrypted_and_read_back(store: Store, trainee: str) -> None:
    with store.transaction(trainee) as tx:
        view = add_attempt(tx, _new())
    assert view.reply == REPLY and view.feedback and view.feedback["did"] == "reflected"
    with store.transaction(trainee) as tx:
        raw = tx.db.execute(sa.select(PracticeAttempt.reply_enc,
                                      PracticeAttempt.feedback_enc)).one()
        assert b"alone" not in raw[0] and b"reflected" not in raw[1]
        (back,) = list_attempts(tx, with_text=True)
        assert (back.reply, back.verdict, back.codes) == (REPLY, "met",
                                                          (("complex_reflection", 0.8),))
        assert list_attempts(tx)[0].reply == ""  # without text nothing is decrypted
        assert read_attempt(tx, view.id).feedback == view.feedback


def test_who_may_read_a_trainees_practice(store: Store, people: People, trainee: str) -> None:
    with store.transaction(trainee) as tx:
        attempt_id = add_attempt(tx, _new()).id
    for reader in (people.supervisor, people.admin):
        with store.transaction(reader) as tx:
            assert len(list_attempts(tx, trainee, with_text=True)) == 1
            assert read_attempt(tx, attempt_id).username == trainee
            assert trainee in [p.username for p in practitioners(tx)]
    with store.transaction(people.admin) as tx:
        add_user(tx, "sue", UserRole.SUPERVISOR)
    for outsider in (people.therapist, people.researcher, "sue"):
        with store.transaction(outsider) as tx:
            with pytest.raises(RapportInputError) as err:
                list_attempts(tx, trainee)
            assert err.value.code == "not_found"
            with pytest.raises(RapportInputError):
                read_attempt(tx, attempt_id)
            assert trainee not in [p.username for p in practitioners(tx)]


def test_only_trainees_and_therapists_practise(store: Store, people: People,
                                               trainee: str) -> None:
    for role_user in (people.supervisor, people.researcher, people.admin):
        with store.transaction(role_user) as tx:
            with pytest.raises(RapportInputError) as err:
                add_attempt(tx, _new())
            assert err.value.code == "forbidden"
    with store.transaction(people.therapist) as tx:
        add_attempt(tx, _new())
    with store.transaction(people.admin) as tx:
        assert tx.db.scalar(sa.select(sa.func.count()).select_from(PracticeAttempt)) == 1


def test_bad_values_store_nothing(store: Store, trainee: str) -> None:
    with store.transaction(trainee) as tx, pytest.raises(RapportInputError):
        add_attempt(tx, _new(verdict="great"))
    with store.transaction(trainee) as tx:
        for drill, reply, code in (("nope-01", "hello there", "unknown_drill"),
                                   ("empathy-01", "   ", "empty_reply"),
                                   ("empathy-01", "x" * 2001, "reply_too_long")):
            with pytest.raises(RapportInputError) as err:
                practise(tx, drill, reply)
            assert err.value.code == code
        assert list_attempts(tx) == []


def test_every_read_is_audited_without_text(store: Store, people: People,
                                            trainee: str) -> None:
    with store.transaction(trainee) as tx:
        practise(tx, "empathy-01", REPLY)
    with store.transaction(people.supervisor) as tx:
        list_attempts(tx, trainee, with_text=True)
        progress_of(tx, trainee)
    with store.transaction(people.admin) as tx:
        rows = [r for r in query_audit(tx) if r.entity == "practice_attempt"]
    reads = [r for r in rows if r.action == "read" and r.actor == people.supervisor]
    assert len(reads) == 2
    assert all("alone" not in r.detail for r in rows)


def test_progress_counts_the_stored_attempts(store: Store, trainee: str) -> None:
    with store.transaction(trainee) as tx:
        practise(tx, "empathy-01", REPLY)
        practise(tx, "validation-01", "You should just try harder.")
        progress = progress_of(tx)
    assert progress.attempts == 2
    lines = {line.skill: line for line in progress.skills}
    assert lines["empathy"].attempts == 1 and lines["validation"].attempts == 1
    assert lines["affirmation"].attempts == 0
    assert "validation-01" not in [d.id for d in progress.next_drills]


def test_backup_restore_keeps_attempts(store: Store, trainee: str, tmp_path: Path) -> None:
    with store.transaction(trainee) as tx:
        add_attempt(tx, _new())
    target = tmp_path / "practice.bak"
    backup(store, target)
    with store.transaction(trainee) as tx:
        add_attempt(tx, _new(reply="after the backup"))
    restore(store, target)
    with store.transaction(trainee) as tx:
        assert [a.reply for a in list_attempts(tx, with_text=True)] == [REPLY]


def test_erase_practice_is_for_admins_and_removes_every_attempt(
        store: Store, people: People, trainee: str) -> None:
    with store.transaction(trainee) as tx:
        add_attempt(tx, _new())
        add_attempt(tx, _new())
        with pytest.raises(RapportInputError):
            erase_practice(tx, trainee)
    with store.transaction(people.admin) as tx:
        assert erase_practice(tx, trainee) == 2
    with store.transaction(trainee) as tx:
        assert list_attempts(tx) == []


def test_a_trainee_is_not_a_coder_nor_reads_clients(store: Store, people: People,
                                                    trainee: str) -> None:
    from rapport.store.clients import add_client, list_clients, show_client
    from rapport.store.coding import NewUnit, add_project
    from rapport.store.models import CodingProject, TherapySession
    from rapport.store.sessions import SessionRecord, add_session

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001", identity={"name": "Ada Quinlan"})
        add_session(tx, "C-001", SessionRecord(number=1))
        session_id = tx.db.scalar(sa.select(TherapySession.id))
    with store.transaction(trainee) as tx:
        assert list_clients(tx) == []
        with pytest.raises(RapportInputError) as err:
            show_client(tx, "C-001")
        assert err.value.code == "not_found"
    unit = NewUnit(session_id=session_id, label="C-001 #1", timed=False,
                   turns=[{"index": 0, "role": "client", "speaker": "C", "text": "hi"}])
    with store.transaction(people.therapist) as tx:
        with pytest.raises(RapportInputError) as err:
            add_project(tx, name="pilot", codebook={}, mode="blind", deidentified=True,
                        coders=[trainee], adjudicators=[], units=[unit])
        assert err.value.code == "bad_role" and "trainee" in err.value.what
    with store.transaction(people.admin) as tx:
        assert tx.db.scalar(sa.select(sa.func.count()).select_from(CodingProject)) == 0
