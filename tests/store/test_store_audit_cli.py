"""``rapport audit`` through the real CLI on a real record (SQLite, PostgreSQL): a header
that says the times are UTC, columns that hold every action, a --user nobody has is said,
and a --limit below one is refused."""

from __future__ import annotations

import pytest
from cli_runner import Cli
from record_fixtures import People

from rapport.store.database import Store
from rapport.store.users import set_active


@pytest.fixture
def record(store: Store, people: People) -> Store:
    """The people, one of them (tess) deactivated: an action the columns must hold."""
    with store.transaction(people.admin) as tx:
        set_active(tx, people.other_therapist, False)
    return store


def test_the_listing_says_utc_and_keeps_its_columns(record: Store) -> None:
    lines = Cli(checked=True)("audit", "--as", "ada").output.splitlines()
    assert lines[0].startswith("at (UTC)")
    (deactivated,) = [line for line in lines if " deactivate " in line]
    header_entity = lines[0].index("entity")
    assert deactivated[header_entity - 1] == " "  # "deactivate" fits its column
    assert deactivated[header_entity:].startswith("user")


def test_an_unknown_user_is_said_and_a_limit_below_one_refused(record: Store) -> None:
    cli = Cli()
    typo = cli("audit", "--user", "Tom", "--as", "ada")
    assert typo.exit_code == 0
    assert "no user named 'Tom' in the record" in typo.output
    assert "no user named" not in cli("audit", "--user", "tom", "--as", "ada").output
    for limit in ("0", "-5"):
        refused = cli("audit", "--limit", limit, "--as", "ada")
        assert refused.exit_code != 0 and "--limit" in refused.output
