"""Users, clients and the permission rules, on both backends."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from record_fixtures import People, document_json
from typer.testing import CliRunner

from rapport.errors import RapportInputError
from rapport.store.analyses import aggregate_metrics, store_analysis
from rapport.store.clients import add_client, erase_client, list_clients, show_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.logins import actor_for_api_token, create_api_token, start_web_session
from rapport.store.models import AuditEntry, WebSession
from rapport.store.permissions import UserRole, resolve_actor
from rapport.store.sessions import SessionRecord, add_session, list_sessions
from rapport.store.supervision_links import list_supervision_links
from rapport.store.users import (
    MIN_PASSWORD,
    add_user,
    check_login,
    link_supervision,
    list_users,
    set_password,
    unlink_supervision,
)

GOOD_PASSWORD = "a long enough password"


def _client(store: Store, people: People, code: str = "C-001", *,
            therapist: str | None = None) -> None:
    with store.transaction(therapist or people.therapist) as tx:
        add_client(tx, code, identity={"name": "Ada Quinlan"}, notes="prefers mornings")


def test_first_admin_bootstraps_then_only_admins_add_users(store: Store) -> None:
    with store.transaction(None) as tx, pytest.raises(RapportInputError) as err:
        add_user(tx, "tom", UserRole.THERAPIST)
    assert err.value.code == "no_admin"
    with store.transaction(None) as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with store.transaction(None) as tx, pytest.raises(RapportInputError) as err:
        add_user(tx, "eve", UserRole.ADMIN)
    assert err.value.code == "no_user"
    with store.transaction("ada") as tx:
        add_user(tx, "tom", UserRole.THERAPIST, password="correct horse")
    with store.transaction("tom") as tx, pytest.raises(RapportInputError) as err:
        add_user(tx, "mal", UserRole.ADMIN)
    assert err.value.code == "forbidden"
    with store.transaction("ada") as tx:
        assert [u.username for u in list_users(tx)] == ["ada", "tom"]
    with store.transaction(None, interface="web") as tx:
        actor = check_login(tx, "tom", "correct horse")
        assert actor is not None and actor.role is UserRole.THERAPIST
        assert check_login(tx, "tom", "wrong") is None
        assert check_login(tx, "ada", "") is None  # no password set: no web login


def test_unknown_user_is_refused(store: Store, people: People) -> None:
    with pytest.raises(RapportInputError) as err, store.transaction("nobody"):
        pass
    assert err.value.code == "unknown_user"


def test_therapist_sees_only_own_clients_and_others_look_absent(store: Store,
                                                                 people: People) -> None:
    _client(store, people, "C-001")
    _client(store, people, "C-900", therapist=people.other_therapist)
    with store.transaction(people.therapist) as tx:
        assert [c.code for c in list_clients(tx)] == ["C-001"]
        detail = show_client(tx, "C-001")
        assert detail.identity == {"name": "Ada Quinlan"}
        assert detail.notes == "prefers mornings"
    messages = []
    for code in ("C-900", "C-404"):
        with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
            show_client(tx, code)
        messages.append(err.value.what.replace(code, "X"))
        assert err.value.code == "not_found"
    # Someone else's client and a client that does not exist are indistinguishable.
    assert messages[0] == messages[1]


def test_supervisor_reads_supervisees_clients_without_identity_and_cannot_write(
        store: Store, people: People) -> None:
    _client(store, people, "C-001")
    _client(store, people, "C-900", therapist=people.other_therapist)
    with store.transaction(people.supervisor) as tx:
        assert [c.code for c in list_clients(tx)] == ["C-001"]
        detail = show_client(tx, "C-001")
        assert detail.identity is None and detail.notes is None
    with store.transaction(people.supervisor) as tx, pytest.raises(RapportInputError) as err:
        add_session(tx, "C-001", SessionRecord())
    assert err.value.code == "not_found"
    with store.transaction(people.admin) as tx:
        link_supervision(tx, people.supervisor, people.therapist, identity_granted=True)
    with store.transaction(people.supervisor) as tx:
        assert show_client(tx, "C-001").identity == {"name": "Ada Quinlan"}


def test_admin_and_researcher_see_no_client_content(store: Store, people: People) -> None:
    _client(store, people, "C-001")
    for who in (people.admin, people.researcher):
        with store.transaction(who) as tx:
            assert list_clients(tx) == []
        with store.transaction(who) as tx, pytest.raises(RapportInputError) as err:
            list_sessions(tx, "C-001")
        assert err.value.code == "not_found"
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
        aggregate_metrics(tx)
    assert err.value.code == "forbidden"


def test_researcher_aggregates_only_research_consented_clients(store: Store,
                                                               people: People) -> None:
    for code, research, value in (("C-001", True, 0.5), ("C-002", True, 1.5),
                                  ("C-003", False, 100.0)):
        _client(store, people, code)
        with store.transaction(people.therapist) as tx:
            add_consent(tx, code, ConsentKind.ANALYSIS, given_on=_day())
            if research:
                add_consent(tx, code, ConsentKind.RESEARCH, given_on=_day())
            store_analysis(tx, code, 1, document_json(metrics={"listening.ratio": value}))
    with store.transaction(people.researcher) as tx:
        (agg,) = aggregate_metrics(tx, min_clients=2)
        (small,) = aggregate_metrics(tx)  # by default a group needs 5 clients
    assert (agg.name, agg.clients, agg.analyses) == ("listening.ratio", 2, 2)
    assert agg.mean == pytest.approx(1.0) and not agg.withheld
    assert small.mean is None and small.withheld and small.clients == 2


def test_erase_removes_the_client_everywhere(store: Store, people: People) -> None:
    _client(store, people, "C-001")
    with store.transaction(people.therapist) as tx:
        add_consent(tx, "C-001", ConsentKind.ANALYSIS, given_on=_day())
        store_analysis(tx, "C-001", 1, document_json())
        assert erase_client(tx, "C-001") == 1
    with store.transaction(people.therapist) as tx:
        assert list_clients(tx) == []
    with store.engine.connect() as conn:
        for table in ("clients", "consents", "sessions", "analyses", "analysis_metrics"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
    # The code is free again: nothing of the old client is left to collide with.
    _client(store, people, "C-001")


def _day():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date(2026, 1, 5)


def _cli(*args: str, stdin: str | None = None) -> tuple[int, str]:
    """The real ``rapport`` CLI, with ``stdin`` as its standard input."""
    from rapport.cli import build_app

    result = CliRunner().invoke(build_app(), list(args), input=stdin, prog_name="rapport")
    return result.exit_code, result.output


def _audited(store: Store, action: str, entity: str) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(AuditEntry.detail).where(
            AuditEntry.action == action, AuditEntry.entity == entity)).scalars())


def test_ending_a_supervision_ends_the_supervisor_s_reading(store: Store,
                                                             people: People) -> None:
    _client(store, people, "C-001")
    with store.transaction(people.supervisor) as tx:
        assert [c.code for c in list_clients(tx)] == ["C-001"]
    for who in (people.therapist, people.supervisor, people.researcher):
        with store.transaction(who) as tx, pytest.raises(RapportInputError) as err:
            unlink_supervision(tx, people.supervisor, people.therapist)
        assert err.value.code == "forbidden"
    with store.transaction(people.admin) as tx:
        unlink_supervision(tx, people.supervisor, people.therapist)
    with store.transaction(people.admin) as tx:
        assert list_supervision_links(tx) == []
    assert _audited(store, "delete", "supervision") == [
        f"{people.supervisor} no longer supervises {people.therapist}"]
    with store.transaction(people.supervisor) as tx:
        assert list_clients(tx) == []
    with store.transaction(people.supervisor) as tx, pytest.raises(RapportInputError) as err:
        show_client(tx, "C-001")
    assert err.value.code == "not_found"
    # A link that is not there (any more) is named, not silently "removed" again.
    with store.transaction(people.admin) as tx, pytest.raises(RapportInputError) as err:
        unlink_supervision(tx, people.supervisor, people.therapist)
    assert err.value.code == "not_found" and "does not supervise" in err.value.what


def test_an_admin_sets_a_password_and_ends_the_user_s_sign_ins_and_tokens(
        store: Store, people: People) -> None:
    with store.transaction(people.admin) as tx:
        set_password(tx, people.therapist, GOOD_PASSWORD)
    with store.transaction(people.therapist) as tx:
        token, _ = create_api_token(tx, "nightly")
        _, sign_in = start_web_session(tx, resolve_actor(tx.db, people.therapist))
    for who in (people.other_therapist, people.supervisor):  # only admins set others'
        with store.transaction(who) as tx, pytest.raises(RapportInputError) as err:
            set_password(tx, people.therapist, "someone else's choice")
        assert err.value.code == "forbidden"
    with store.transaction(people.admin) as tx:
        set_password(tx, people.therapist, "a brand new passphrase")
    with store.transaction(None, interface="web") as tx:
        assert check_login(tx, people.therapist, GOOD_PASSWORD) is None
        assert check_login(tx, people.therapist, "a brand new passphrase") is not None
        assert actor_for_api_token(tx.db, token) is None
        ended = tx.db.get(WebSession, sign_in.id)
        assert ended is not None and ended.ended_at is not None
    assert f"password of {people.therapist}" in _audited(store, "update", "user")


@pytest.mark.parametrize("password", ["short", "nine char", " " * MIN_PASSWORD,
                                      "\t \n" * MIN_PASSWORD, ""])
def test_every_password_meets_the_rule(store: Store, people: People, password: str) -> None:
    with store.transaction(people.admin) as tx, pytest.raises(RapportInputError) as err:
        add_user(tx, "weak", UserRole.THERAPIST, password=password)
    assert err.value.code == "weak_password" and f"{MIN_PASSWORD} characters" in err.value.what
    with store.transaction(people.admin) as tx, pytest.raises(RapportInputError) as err:
        set_password(tx, people.therapist, password)
    assert err.value.code == "weak_password"
    with store.transaction(people.admin) as tx:
        assert [u.username for u in list_users(tx)] == sorted(
            [people.admin, people.therapist, people.other_therapist, people.supervisor,
             people.researcher])


def test_the_cli_refuses_a_weak_password(store: Store) -> None:
    for typed in ("short\n", " " * 12 + "\n", "\n", ""):
        code, output = _cli("users", "add", "ada", "--admin", "--password-stdin", stdin=typed)
        assert code == 2, output
        assert f"at least {MIN_PASSWORD} characters" in output or "no password" in output
    with store.transaction(None) as tx:
        assert tx.db.scalar(sa.text("SELECT count(*) FROM users")) == 0
    code, output = _cli("users", "add", "ada", "--admin", "--password-stdin",
                        stdin=GOOD_PASSWORD + "\n")
    assert code == 0, output
    with store.transaction(None, interface="web") as tx:
        assert check_login(tx, "ada", GOOD_PASSWORD) is not None


@pytest.mark.parametrize("role", ["therapist", "supervisor", "researcher", "trainee"])
def test_the_cli_refuses_admin_with_another_role(store: Store, people: People,
                                                 role: str) -> None:
    code, output = _cli("users", "add", "x-" + role, "--admin", "--role", role,
                        "--as", people.admin)
    assert code == 2 and "--admin" in output and role in output, output
    with store.transaction(people.admin) as tx:
        assert not any(u.username.startswith("x-") for u in list_users(tx))
    code, output = _cli("users", "add", "both", "--admin", "--role", "admin",
                        "--as", people.admin)
    assert code == 0 and "added admin both" in output, output


def test_the_cli_ends_a_supervision(store: Store, people: People) -> None:
    _client(store, people, "C-001")
    code, output = _cli("users", "unsupervise", people.supervisor, people.therapist,
                        "--as", people.therapist)
    assert code == 2, output
    code, output = _cli("users", "unsupervise", people.supervisor, people.therapist,
                        "--as", people.admin)
    assert code == 0, output
    assert f"{people.supervisor} no longer supervises {people.therapist}" in output
    with store.transaction(people.supervisor) as tx:
        assert list_clients(tx) == []
    code, output = _cli("users", "unsupervise", people.supervisor, people.therapist,
                        "--as", people.admin)
    assert code == 2 and "does not supervise" in output, output


def test_the_cli_sets_a_password(store: Store, people: People) -> None:
    with store.transaction(people.therapist) as tx:
        token, _ = create_api_token(tx, "nightly")
    code, output = _cli("users", "password", people.therapist, "--password-stdin",
                        "--as", people.admin, stdin="too short\n")
    assert code == 2 and f"at least {MIN_PASSWORD} characters" in output, output
    code, output = _cli("users", "password", people.therapist, "--password-stdin",
                        "--as", people.other_therapist, stdin=GOOD_PASSWORD + "\n")
    assert code == 2, output
    with store.transaction(None, interface="web") as tx:
        assert check_login(tx, people.therapist, GOOD_PASSWORD) is None
        assert actor_for_api_token(tx.db, token) is not None
    code, output = _cli("users", "password", people.therapist, "--password-stdin",
                        "--as", people.admin, stdin=GOOD_PASSWORD + "\n")
    assert code == 0, output
    assert GOOD_PASSWORD not in output
    with store.transaction(None, interface="web") as tx:
        assert check_login(tx, people.therapist, GOOD_PASSWORD) is not None
        assert actor_for_api_token(tx.db, token) is None  # whoever had it, it is dead
