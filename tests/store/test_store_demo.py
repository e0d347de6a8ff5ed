"""The demo record that ``make demo`` creates (SQLite in RAPPORT_HOME)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from record_fixtures import document_json

from rapport.errors import RapportInputError
from rapport.settings import get_settings
from rapport.store.analyses import aggregate_metrics
from rapport.store.clients import list_clients
from rapport.store.database import Store
from rapport.store.demo import create_demo_record
from rapport.store.models import User
from rapport.store.users import verify_password


def test_demo_record_has_people_consents_sessions_and_analyses(_isolated_home: Path) -> None:
    docs = [document_json(metrics={"m": float(i)}) for i in range(3)]
    demo = create_demo_record(docs)
    assert demo.analyses == 3 and demo.key_file == _isolated_home / "demo.key"
    assert "tom" in demo.describe() and "demo-tom" in demo.describe()
    db_file = _isolated_home / "rapport.sqlite3"
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
    store = Store.from_settings(get_settings(key_file=demo.key_file))
    try:
        with store.transaction("tom") as tx:
            clients = {c.code: c.sessions for c in list_clients(tx)}
        assert clients == {"C-001": 2, "C-002": 3, "C-003": 1}
        with store.transaction("rita") as tx:
            (agg,) = aggregate_metrics(tx, min_clients=1)  # only C-001 consented
        assert (agg.clients, agg.analyses, agg.mean) == (1, 2, 1.0)
        with store.engine.connect() as conn:
            hashes = dict(conn.execute(sa.select(User.username, User.password_hash)).all())
        assert all(h and h.startswith("$argon2id$") for h in hashes.values())
        assert verify_password(str(hashes["tom"]), "demo-tom")
        assert not verify_password(str(hashes["tom"]), "demo-sam")
    finally:
        store.dispose()
    with pytest.raises(RapportInputError) as err:
        create_demo_record(docs)
    assert err.value.code == "not_empty"
    assert create_demo_record(docs[:1], reset=True).analyses == 1


def test_make_demo_shows_an_acknowledged_and_an_open_safety_flag(_isolated_home: Path) -> None:
    """What ``make demo`` stores (rapport.demo.main: the record, then the questionnaires):
    demo-safety's flags, one acknowledged and one open, on tom's and sam's caseloads."""
    from rapport.caseload import caseload, client_flags
    from rapport.demo import _seed_measures

    demo = create_demo_record([document_json()])
    assert _seed_measures(demo.key_file) > 0
    store = Store.from_settings(get_settings(key_file=demo.key_file))
    try:
        for who in ("tom", "sam"):
            with store.transaction(who) as tx:
                flags, _ = client_flags(tx, "demo-safety")
                rows = caseload(tx)
            assert [(f.session, f.state) for f in flags] == [(4, "open"), (3, "acknowledged")]
            assert flags[1].acknowledgements[0].by == "tom"
            assert flags[1].acknowledgements[0].note.startswith("Invented demo note")
            assert rows[0].code == "demo-safety" and len(rows[0].open_flags) == 1
    finally:
        store.dispose()


def test_the_demo_prints_lines_that_work_when_pasted(_isolated_home: Path) -> None:
    demo = create_demo_record([document_json(metrics={"m": 1.0})])
    lines = demo.use_lines()
    described = demo.describe()
    assert described.index(lines[0]) < described.index(lines[1])
    assert lines[0].startswith("export RAPPORT_HOME=") and "RAPPORT_KEY_FILE=" in lines[0]
    # a shell that knows nothing of the record: the two lines alone must select it
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    done = subprocess.run(["bash", "-c", "\n".join(lines)], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "C-001" in done.stdout and "C-002" in done.stdout
