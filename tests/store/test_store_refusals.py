"""Refused attempts stay in the audit log although the refusal rolls the transaction back
(SQLite and PostgreSQL): a user who tries a client they may not see, and an analysis
refused for want of consent. A code nobody has is no attempt on anyone's record."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from record_fixtures import People

from rapport.errors import RapportInputError
from rapport.store.database import Store


def _refusals(store: Store) -> list[tuple[str, str, str | None, str]]:
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(
            "SELECT actor, entity, subject, detail FROM audit_log WHERE action = 'refused' "
            "ORDER BY id"))]


def test_a_refused_read_or_write_is_audited(store: Store, people: People) -> None:
    from rapport.store.clients import add_client, find_client, show_client

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        uid = find_client(tx, "C-001").uid
    with pytest.raises(RapportInputError), store.transaction(people.other_therapist) as tx:
        show_client(tx, "C-001")
    with pytest.raises(RapportInputError), store.transaction(people.supervisor) as tx:
        find_client(tx, "C-001", write=True)  # supervisors read, never write
    with pytest.raises(RapportInputError), store.transaction(people.other_therapist) as tx:
        find_client(tx, "C-404")  # nobody's
    assert _refusals(store) == [(people.other_therapist, "client", uid, "read"),
                                (people.supervisor, "client", uid, "write")]


def test_an_analysis_refused_for_want_of_consent_is_audited(store: Store,
                                                           people: People) -> None:
    from record_fixtures import document_json

    from rapport.store.analyses import store_analysis
    from rapport.store.clients import add_client, find_client

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        uid = find_client(tx, "C-001").uid
    with pytest.raises(RapportInputError) as refused, \
            store.transaction(people.therapist) as tx:
        store_analysis(tx, "C-001", 1, document_json())
    assert refused.value.code == "no_consent"
    ((actor, entity, subject, detail),) = _refusals(store)
    assert (actor, entity, subject) == (people.therapist, "consent", uid)
    assert detail.endswith("no analysis")
    with store.engine.connect() as conn:  # the refusal only: nothing else was written
        assert conn.scalar(sa.text("SELECT count(*) FROM analyses")) == 0
