"""Nothing lost: a killed import changes nothing, concurrent writers lose nothing,
invalid data is rejected whole. Real subprocesses, on both backends."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from record_fixtures import People

from rapport.errors import RapportInputError
from rapport.store.clients import add_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.sessions import (
    SessionRecord,
    add_session,
    import_sessions,
    read_session_file,
)

CLI = "import sys; from rapport.cli import main; sys.argv[0] = 'rapport'; main()"
N_IMPORT = 1000


def _env(people: People, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_TEST")}
    env["RAPPORT_USER"] = people.therapist
    env.update(extra)
    return env


def _counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        sessions = conn.execute(sa.text("SELECT count(*) FROM sessions")).scalar()
        audit = conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar()
    return int(sessions or 0), int(audit or 0)


@pytest.fixture
def client(store: Store, people: People) -> str:
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
        add_consent(tx, "C-001", ConsentKind.RECORDING, given_on=dt.date(2026, 1, 5))
        add_session(tx, "C-001", SessionRecord(number=1))
    return "C-001"


def _import_file(tmp_path: Path, n: int) -> Path:
    path = tmp_path / "sessions.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"number": i + 2, "date": "2026-02-01",
                                 "transcript": f"T: hello {i}\nC: line {i}"}) + "\n")
    return path


@pytest.mark.slow
def test_sigkill_in_the_middle_of_a_large_import_leaves_the_record_as_it_was(
        store: Store, people: People, client: str, tmp_path: Path) -> None:
    path = _import_file(tmp_path, N_IMPORT)
    before = _counts(store)
    killed = subprocess.run([sys.executable, "-c", CLI, "sessions", "import", client, str(path)],
                            env=_env(people, RAPPORT_TEST_KILL_AT="after_rows:700"),
                            capture_output=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-500:]
    assert _counts(store) == before
    if store.backend == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    # The same file imports cleanly afterwards: the kill, not the data, stopped it.
    with store.transaction(people.therapist) as tx:
        import_sessions(tx, client, read_session_file(path))
    assert _counts(store)[0] == before[0] + N_IMPORT


WRITER = """
import sys, time
from pathlib import Path
from rapport.store.database import open_store
from rapport.store.sessions import SessionRecord, add_session
store = open_store()
store.require_current_schema()  # connect and load everything before the start signal
print("ready", flush=True)
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.005)
for _ in range(int(sys.argv[1])):
    with store.transaction("tom") as tx:
        add_session(tx, "C-001", SessionRecord(notes="concurrent"))
store.dispose()
"""


@pytest.mark.slow
def test_concurrent_writers_lose_nothing(store: Store, people: People, client: str,
                                         tmp_path: Path) -> None:
    per_process, processes = 20, 4
    go = tmp_path / "go"
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(per_process), str(go)],
                              env=_env(people), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for _ in range(processes)]
    # Start them together, so their transactions really interleave.
    for proc in procs:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr and proc.stderr.read()
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err[-800:]
    with store.engine.connect() as conn:
        numbers = [r[0] for r in conn.execute(sa.text("SELECT number FROM sessions"))]
    assert sorted(numbers) == list(range(1, 2 + per_process * processes))


def test_an_invalid_row_rejects_the_whole_import(store: Store, people: People, client: str,
                                                 tmp_path: Path) -> None:
    path = _import_file(tmp_path, 50)
    lines = path.read_text().splitlines()
    lines[40] = json.dumps({"number": 99, "attendance": "maybe"})
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(RapportInputError) as err:
        read_session_file(path)
    assert err.value.where == f"{path}:41"
    before = _counts(store)
    # Rows valid alone, the last colliding with the record: the first must not stay.
    records = [SessionRecord(number=5), SessionRecord(number=6), SessionRecord(number=1)]
    with pytest.raises(RapportInputError) as err, store.transaction(people.therapist) as tx:
        import_sessions(tx, client, records)
    assert "already has session 1" in err.value.what
    assert _counts(store) == before


@settings(max_examples=60)
@given(st.lists(st.one_of(
    st.text(max_size=40),
    st.dictionaries(st.sampled_from(["number", "date", "attendance", "notes", "extra"]),
                    st.one_of(st.none(), st.integers(-5, 10**6), st.text(max_size=12)),
                    max_size=4).map(json.dumps)), max_size=6),
    st.sampled_from([".jsonl", ".csv"]))
def test_session_files_parse_or_fail_with_a_clear_error(tmp_path_factory: pytest.TempPathFactory,
                                                        lines: list[str], suffix: str) -> None:
    path = tmp_path_factory.mktemp("imp") / f"sessions{suffix}"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        records = read_session_file(path)
    except RapportInputError as err:
        assert err.where and str(path) in err.where
    else:
        assert records and all(isinstance(r, SessionRecord) for r in records)
