"""The set-wise read behind the caseload, client and session pages: the same number of
queries whatever the caseload's size, one audit row per client read (and none for a client
not shown), and the same content as the per-client reads it replaces."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from record_fixtures import People
from sqlalchemy import event

from rapport.caseload import caseload, record_response
from rapport.errors import RapportInputError
from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import score
from rapport.store.analyses import list_analyses
from rapport.store.clients import add_client, close_client
from rapport.store.database import Store
from rapport.store.models import AuditEntry, Client
from rapport.store.overview import client_overviews
from rapport.store.responses import list_responses
from rapport.store.sessions import SessionRecord, add_session, list_sessions


def _clients(store: Store, therapist: str, prefix: str, n: int) -> None:
    phq9 = get_instrument("phq9")
    with store.transaction(therapist) as tx:
        for c in range(n):
            code = f"{prefix}-{c:02d}"
            add_client(tx, code)
            for number in (1, 2):
                add_session(tx, code, SessionRecord())
                record_response(tx, code, phq9, score(phq9, dict.fromkeys(
                    phq9.item_ids, (c + number) % 4)), session=number)


def _selects_during(store: Store, work: Any) -> int:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        work()
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    return len(seen)


def _audited(store: Store, since: int) -> list[tuple[str, str | None, str]]:
    with store.transaction(None) as tx:
        return [(e.entity, e.subject, e.detail) for e in tx.db.scalars(
            sa.select(AuditEntry).where(AuditEntry.id > since).order_by(AuditEntry.id))]


def _last_audit(store: Store) -> int:
    with store.transaction(None) as tx:
        return int(tx.db.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0)


def test_every_client_on_the_dashboard_is_audited_once(store: Store, people: People) -> None:
    _clients(store, people.therapist, "T", 3)
    _clients(store, people.other_therapist, "O", 12)
    with store.transaction(people.therapist) as tx:
        close_client(tx, "T-02")
    with store.transaction(None) as tx:
        uids = dict(tx.db.execute(sa.select(Client.code, Client.uid)).all())
    queries = {}
    for who, shown in ((people.therapist, ["T-00", "T-01"]),
                       (people.other_therapist, [f"O-{c:02d}" for c in range(12)])):
        before = _last_audit(store)
        rows: list[Any] = []

        def view(who: str = who, rows: list[Any] = rows) -> None:
            with store.transaction(who, interface="web") as tx:
                rows.extend(caseload(tx))

        queries[who] = _selects_during(store, view)
        assert sorted(r.code for r in rows) == shown  # the closed client is left out
        entries = _audited(store, before)
        # one row per client shown, naming what was read; nothing else about clients
        assert sorted(subject for _, subject, _ in entries if subject) == sorted(
            uids[code] for code in shown)
        assert {entity for entity, subject, _ in entries if subject} == {"client-overview"}
        assert all("responses=2" in detail and "sessions=2" in detail
                   for _, subject, detail in entries if subject)
    # the same queries for 2 clients as for 12: none per client
    assert queries[people.therapist] == queries[people.other_therapist]


def test_an_overview_holds_what_the_per_client_reads_give(store: Store,
                                                          people: People) -> None:
    _clients(store, people.therapist, "T", 2)
    with store.transaction(people.therapist) as tx:
        (seen,) = client_overviews(tx, codes=["T-01"])
        assert seen.sessions == list_sessions(tx, "T-01")
        assert seen.responses == list_responses(tx, "T-01")
        assert seen.analyses == list_analyses(tx, "T-01")
        assert all(r.scored_with is not None and r.band for r in seen.responses)


@pytest.mark.parametrize("who", ["other_therapist", "researcher"])
def test_a_client_one_may_not_read_is_not_found(store: Store, people: People,
                                                 who: str) -> None:
    _clients(store, people.therapist, "T", 1)
    before = _last_audit(store)
    with pytest.raises(RapportInputError) as err, \
            store.transaction(getattr(people, who)) as tx:
        client_overviews(tx, codes=["T-00"])
    assert err.value.code == "not_found"
    # nothing of the client was read: the only row about it is the refused attempt
    assert [(e, d) for e, s, d in _audited(store, before) if s] == [("client", "read")]
