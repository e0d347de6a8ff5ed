"""Reassigning a departing therapist's clients (SQLite and PostgreSQL): admins only, all or
some, audited, all or nothing; the new therapist can then close them (so retention
applies) and the old therapist's supervisor no longer reads them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from cli_runner import Cli
from record_fixtures import People

from rapport.errors import RapportInputError
from rapport.store.database import Store


@pytest.fixture
def departing(store: Store, people: People) -> Store:
    """tom's clients C-001 and C-002, and tom deactivated (he left)."""
    from rapport.store.clients import add_client
    from rapport.store.users import set_active

    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        add_client(tx, "C-002")
    with store.transaction(people.admin) as tx:
        set_active(tx, people.therapist, False)
    return store


def _owner(store: Store, code: str) -> str:
    with store.engine.connect() as conn:
        return str(conn.scalar(sa.text(
            "SELECT u.username FROM clients c JOIN users u ON u.id = c.therapist_id "
            "WHERE c.code = :code"), {"code": code}))


def test_an_admin_gives_a_departed_therapist_s_clients_to_another(
        departing: Store, people: People) -> None:
    from rapport.store.clients import close_client, list_clients, reassign_clients

    with departing.transaction(people.supervisor) as tx:  # tom's supervisor, for now
        assert [c.code for c in list_clients(tx)] == ["C-001", "C-002"]
    with departing.transaction(people.admin) as tx:
        moved = reassign_clients(tx, people.therapist, people.other_therapist)
    assert moved == ["C-001", "C-002"]
    assert {_owner(departing, c) for c in moved} == {people.other_therapist}
    with departing.transaction(people.other_therapist) as tx:
        assert close_client(tx, "C-001").changed  # so retention can apply
    with departing.transaction(people.supervisor) as tx:
        assert list_clients(tx) == []
    with departing.engine.connect() as conn:
        details = list(conn.scalars(sa.text(
            "SELECT detail FROM audit_log WHERE entity = 'client' AND action = 'update'")))
    assert details == [f"reassigned from {people.therapist} to {people.other_therapist}"] * 2


def test_reassigning_checks_everything_before_it_moves_anything(
        departing: Store, people: People) -> None:
    from rapport.store.clients import reassign_clients

    cases = [(people.other_therapist, people.therapist, people.other_therapist, None,
              "forbidden"),  # only admins
             (people.admin, people.therapist, people.supervisor, None, "bad_input"),
             (people.admin, people.therapist, people.therapist, None, "bad_input"),
             (people.admin, "nobody", people.other_therapist, None, "bad_input"),
             (people.admin, people.therapist, people.other_therapist, ["C-001", "C-404"],
              "not_found")]
    for actor, source, target, codes, code in cases:
        with pytest.raises(RapportInputError) as err, departing.transaction(actor) as tx:
            reassign_clients(tx, source, target, codes)
        assert err.value.code == code, (source, target, codes, err.value)
    assert {_owner(departing, c) for c in ("C-001", "C-002")} == {people.therapist}
    with departing.transaction(people.admin) as tx:  # nobody takes them while deactivated
        from rapport.store.users import set_active

        set_active(tx, people.other_therapist, False)
    with pytest.raises(RapportInputError, match="deactivated"), \
            departing.transaction(people.admin) as tx:
        reassign_clients(tx, people.therapist, people.other_therapist)


def test_the_cli_moves_some_or_all(departing: Store, people: People) -> None:
    cli = Cli(checked=True)
    one = cli("clients", "reassign", "C-002", "--from", people.therapist, "--to",
              people.other_therapist, "--as", people.admin)
    assert f"1 client(s) of {people.therapist} now with {people.other_therapist}: C-002" \
        in one.output
    assert (_owner(departing, "C-001"), _owner(departing, "C-002")) == (
        people.therapist, people.other_therapist)
    missing = Cli()("clients", "reassign", "--to", people.other_therapist, "--as",
                    people.admin)
    assert missing.exit_code != 0 and "name both therapists" in missing.output
