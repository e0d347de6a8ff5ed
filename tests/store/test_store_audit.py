"""The audit log: every read and write recorded, nothing editable, nothing left after erasure."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from cli_runner import Cli
from record_fixtures import PLANTED_NAME, People, document_json

from rapport.errors import RapportInputError
from rapport.store.analyses import read_analysis, store_analysis
from rapport.store.audit import query_audit
from rapport.store.clients import add_client, erase_client, show_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store


def _setup(store: Store, people: People) -> int:
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001", identity={"name": PLANTED_NAME})
        add_consent(tx, "C-001", ConsentKind.ANALYSIS, given_on=dt.date(2026, 1, 5))
        return store_analysis(tx, "C-001", 1, document_json())


def test_reads_and_writes_are_recorded_with_who_what_and_interface(store: Store,
                                                                   people: People) -> None:
    analysis_id = _setup(store, people)
    with store.transaction(people.supervisor, interface="web") as tx:
        read_analysis(tx, analysis_id)
    with store.transaction(people.therapist) as tx:
        rows = query_audit(tx, client_code="C-001")
    seen = [(r.actor, r.interface, r.action, r.entity) for r in rows]
    assert (people.supervisor, "web", "read", "analysis") in seen
    assert (people.therapist, "cli", "create", "analysis") in seen
    assert (people.therapist, "cli", "create", "client") in seen
    assert all(r.subject == rows[0].subject and len(r.subject or "") == 32 for r in rows)


def test_the_audit_log_cannot_be_edited_or_deleted(store: Store, people: People) -> None:
    _setup(store, people)
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError), store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    with store.engine.connect() as conn:
        assert conn.execute(sa.text(
            "SELECT count(*) FROM audit_log WHERE actor = 'mallory'")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar() >= 3


def test_erasure_leaves_only_that_it_happened(store: Store, people: People) -> None:
    _setup(store, people)
    with store.transaction(people.therapist) as tx:
        uid = query_audit(tx, client_code="C-001")[0].subject
        show_client(tx, "C-001")
        erase_client(tx, "C-001")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT actor, action, entity, subject, detail "
                                    "FROM audit_log")).all()
    text = repr(rows)
    assert "C-001" not in text and PLANTED_NAME not in text
    assert any(r.action == "erase" and r.subject == uid for r in rows)
    with store.transaction(people.admin) as tx:
        erased = [r for r in query_audit(tx, subject=uid) if r.action == "erase"]
    assert len(erased) == 1


def test_audit_visibility_follows_roles(store: Store, people: People) -> None:
    _setup(store, people)
    with store.transaction(people.other_therapist) as tx:
        assert [r for r in query_audit(tx) if r.entity == "client"] == []
        with pytest.raises(RapportInputError):
            query_audit(tx, client_code="C-001")
    with store.transaction(people.admin) as tx:
        assert any(r.entity == "client" for r in query_audit(tx, client_code="C-001"))


def test_control_characters_are_stored_verbatim_and_shown_escaped(store: Store,
                                                                  people: People) -> None:
    # What the login page audits for a locked-out username, here one that tries to forge
    # a second entry in `rapport audit` output.
    forged = "2026-01-01 00:00:00  ada            cli    delete    client"
    username = f"x\n{forged}\r\x1b[2K\u2028"
    with store.transaction(None, interface="web") as tx:
        tx.audit("login-locked", "user", detail=f"user={username}")
    with store.transaction(people.admin) as tx:
        (entry,) = [r for r in query_audit(tx) if r.action == "login-locked"]
    assert entry.detail == f"user={username}"  # stored as typed
    output = Cli(checked=True)("audit", "--as", people.admin).output
    lines = output.splitlines()
    assert not any(line.startswith(forged) for line in lines)
    (shown,) = [line for line in lines if "login-locked" in line]
    assert shown.endswith("user=x\\n" + forged + "\\r\\x1b[2K\\u2028")
