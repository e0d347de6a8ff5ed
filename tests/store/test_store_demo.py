"""The demo record that ``make demo`` creates (SQLite in RAPPORT_HOME)."""

from __future__ import annotations

import json
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
from rapport.store.clients import list_clients, show_client
from rapport.store.database import Store
from rapport.store.demo import create_demo_record
from rapport.store.demo_story import DEMO_CLIENTS, DEMO_STORY
from rapport.store.models import User
from rapport.store.sessions import list_sessions
from rapport.store.users import verify_password


def _story_documents() -> list[str]:
    """One planted document per story session, under the id its example file gives, and
    one the story does not know (as ``rapport db demo`` may be given)."""
    docs = []
    for i, story in enumerate(DEMO_STORY):
        doc = json.loads(document_json(metrics={"m": float(i)}))
        doc["session"]["id"] = story.example
        docs.append(json.dumps(doc))
    return [*docs, document_json(metrics={"m": 99.0})]


def test_demo_record_has_people_consents_sessions_and_analyses(
        db_url: str, monkeypatch: pytest.MonkeyPatch, _isolated_home: Path) -> None:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", db_url)
    demo = create_demo_record(_story_documents())
    assert demo.analyses == len(DEMO_STORY) + 1
    assert demo.key_file == _isolated_home / "demo.key"
    assert "tom" in demo.describe() and "demo-tom" in demo.describe()
    store = Store.from_settings(get_settings(key_file=demo.key_file))
    try:
        with store.transaction("tom") as tx:
            clients = {c.code: c for c in list_clients(tx)}
            sessions = {code: list_sessions(tx, code) for code in clients}
            identity = {c.code: show_client(tx, c.code).identity for c in DEMO_CLIENTS}
        assert [c.code for c in DEMO_CLIENTS] + ["C-008", "C-009"] == sorted(clients)
        assert clients["C-008"].closed_at is not None
        assert {c: (n or {}).get("name") for c, n in identity.items()} == {
            c.code: c.name for c in DEMO_CLIENTS}
        for story in DEMO_STORY:  # each analysis where the story puts it
            (at,) = [s for s in sessions[story.code] if s.number == story.number]
            assert (at.date, at.attendance, at.analyses) == (story.date, "attended", 1)
        for code, rows in sessions.items():  # numbered from 1, weekly, in date order
            assert [r.number for r in rows] == list(range(1, len(rows) + 1)), code
            dates = [r.date for r in rows]
            assert dates == sorted(dates) and len(set(dates)) == len(dates), code
        assert [(r.number, r.attendance) for r in sessions["C-002"][-2:]] == [
            (6, "cancelled"), (7, "no-show")]
        assert [(r.number, r.analyses) for r in sessions["C-009"]] == [(1, 1)]
        with store.transaction("rita") as tx:
            (agg,) = aggregate_metrics(tx, min_clients=1)  # only C-001 consented
        assert (agg.clients, agg.analyses, agg.mean) == (1, 1, 0.0)
        with store.engine.connect() as conn:
            hashes = dict(conn.execute(sa.select(User.username, User.password_hash)).all())
        assert all(h and h.startswith("$argon2id$") for h in hashes.values())
        assert verify_password(str(hashes["tom"]), "demo-tom")
        assert not verify_password(str(hashes["tom"]), "demo-sam")
    finally:
        store.dispose()


def test_the_demo_trainee_practised_with_the_real_judge_and_sees_no_client(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """tia (trainee, supervised by sam) has the demo attempts, each verdict the judge's
    own for that reply; she sees no client, sam sees her progress, tom does not."""
    from rapport.caseload import caseload
    from rapport.caseload.demo_practice import DEMO_ATTEMPTS, DEMO_TRAINEE, seed_practice
    from rapport.caseload.practice import judge, progress_of
    from rapport.store.practice import list_attempts

    monkeypatch.setenv("RAPPORT_DATABASE_URL", db_url)
    demo = create_demo_record(_story_documents())
    assert "tia   trainee     password demo-tia" in demo.describe()
    assert seed_practice(demo.key_file) == len(DEMO_ATTEMPTS)
    store = Store.from_settings(get_settings(key_file=demo.key_file))
    try:
        with store.transaction(DEMO_TRAINEE) as tx:
            assert tx.me().role.value == "trainee"
            mine = list_attempts(tx, with_text=True)
            assert list_clients(tx) == [] and caseload(tx) == []
        assert [(a.drill_id, a.reply) for a in mine] == list(DEMO_ATTEMPTS)
        assert [a.verdict for a in mine] == [judge(d, r).verdict for d, r in DEMO_ATTEMPTS]
        assert {"met", "not_met"} <= {a.verdict for a in mine}  # a history worth showing
        with store.transaction("sam") as tx:
            seen = progress_of(tx, DEMO_TRAINEE)
        assert seen.attempts == len(DEMO_ATTEMPTS)
        assert sum(s.attempts for s in seen.skills) == len(DEMO_ATTEMPTS)
        assert not seen.style.too_few  # the progress page shows the style of the replies
        with store.transaction("tom") as tx, pytest.raises(RapportInputError):
            progress_of(tx, DEMO_TRAINEE)
        with store.engine.connect() as conn:
            tia_hash = conn.scalar(sa.select(User.password_hash)
                                   .where(User.username == DEMO_TRAINEE))
        assert verify_password(str(tia_hash), "demo-tia")
    finally:
        store.dispose()


def test_a_second_demo_needs_an_empty_record_or_reset(_isolated_home: Path) -> None:
    docs = _story_documents()
    create_demo_record(docs)
    db_file = _isolated_home / "rapport.sqlite3"
    assert stat.S_IMODE(db_file.stat().st_mode) == 0o600
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
