"""Encryption at rest, checked on the raw bytes the database keeps, and key rotation."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_runner import Cli
from record_fixtures import PLANTED_NAME, PLANTED_SENTENCE, People, document_json

from rapport.errors import RapportInputError
from rapport.store.analyses import read_analysis, store_analysis
from rapport.store.annotations import add_comment
from rapport.store.clients import add_client, show_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.crypto import Cipher, read_key_file, write_key_file
from rapport.store.database import Store
from rapport.store.keys import remaining_with_key, rotate_keys
from rapport.store.responses import add_response
from rapport.store.sessions import SessionRecord, import_sessions

NOTE = "worried about the custody hearing in Dunfermline"
COMMENT = "nice reflection of the violin story"


def _plant(store: Store, people: People) -> None:
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001", identity={"name": PLANTED_NAME, "contact": "zeb@example.org"},
                   notes=NOTE)
        add_consent(tx, "C-001", ConsentKind.RECORDING, given_on=dt.date(2026, 1, 5))
        add_consent(tx, "C-001", ConsentKind.ANALYSIS, given_on=dt.date(2026, 1, 5))
        import_sessions(tx, "C-001", [SessionRecord(number=1, transcript=f"C: {PLANTED_SENTENCE}",
                                                    notes=NOTE)])
        analysis_id = store_analysis(tx, "C-001", 1, document_json())
        add_response(tx, "C-001", instrument_id="srs", instrument_version="1",
                     answers={"free_text": PLANTED_SENTENCE}, scores={"total": 31.0})
        add_comment(tx, analysis_id, COMMENT, turn_index=1)


def _raw_bytes(store: Store, tmp_path: Path) -> bytes:
    """Everything the database server or file holds, as bytes."""
    if store.backend == "sqlite":
        db = Path(str(store.engine.url.database))
        return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    from rapport.store.backup import _pg_env

    args, env = _pg_env(store)
    dump = subprocess.run(["pg_dump", *args, "--format=plain", "--data-only"], env=env,
                          capture_output=True, check=True)
    return dump.stdout


def test_no_planted_name_or_sentence_in_the_raw_database(store: Store, people: People,
                                                         tmp_path: Path) -> None:
    _plant(store, people)
    raw = _raw_bytes(store, tmp_path)
    assert b"C-001" in raw  # the dump is real: the pseudonymous code is plain on purpose
    for secret in (PLANTED_NAME, PLANTED_SENTENCE, NOTE, COMMENT, "zeb@example.org",
                   "Marchbanks", "violin"):
        assert secret.encode() not in raw, secret
    with store.transaction(people.therapist) as tx:
        assert show_client(tx, "C-001").identity == {"name": PLANTED_NAME,
                                                      "contact": "zeb@example.org"}


def test_missing_key_is_an_error_not_plaintext(store: Store, people: People,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    keyless = Store(store.url)
    try:
        with keyless.transaction(people.therapist) as tx, \
                pytest.raises(RapportInputError) as err:
            add_client(tx, "C-002", identity={"name": PLANTED_NAME})
        assert err.value.code == "missing_key"
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM clients").scalar() == 0
    finally:
        keyless.dispose()


def test_rotation_reencrypts_everything_and_the_old_key_stops_working(
        store: Store, people: People, key_file: Path, tmp_path: Path) -> None:
    _plant(store, people)
    old = Cipher(read_key_file(key_file))
    new = Cipher(write_key_file(tmp_path / "new.key"))
    with store.transaction(people.admin) as tx:
        before = remaining_with_key(tx, old)
        report = rotate_keys(tx, old, new)
    assert report.values == before == 7
    with store.transaction(people.admin) as tx:
        assert remaining_with_key(tx, old) == 0
        assert remaining_with_key(tx, new) == 7
    rotated = Store(store.url, key_file=tmp_path / "new.key")
    try:
        with rotated.transaction(people.therapist) as tx:
            assert show_client(tx, "C-001").identity is not None
            assert PLANTED_SENTENCE in read_analysis(tx, 1)
    finally:
        rotated.dispose()
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
        show_client(tx, "C-001")
    assert err.value.code == "wrong_key"


def test_rotation_with_a_wrong_old_key_changes_nothing(store: Store, people: People,
                                                       tmp_path: Path) -> None:
    _plant(store, people)
    with store.engine.connect() as conn:
        before = conn.execute(sa.text("SELECT identity_enc FROM clients")).scalar()
    stranger = Cipher(write_key_file(tmp_path / "stranger.key"))
    new = Cipher(write_key_file(tmp_path / "new.key"))
    with pytest.raises(RapportInputError) as err, store.transaction(people.admin) as tx:
        rotate_keys(tx, stranger, new)
    assert err.value.code == "wrong_key"
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT identity_enc FROM clients")).scalar() == before


def test_only_admins_rotate(store: Store, people: People, key_file: Path,
                            tmp_path: Path) -> None:
    old = Cipher(read_key_file(key_file))
    new = Cipher(write_key_file(tmp_path / "new.key"))
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
        rotate_keys(tx, old, new)
    assert err.value.code == "forbidden"


# -- the record's key check (issue 18, item 5) -------------------------------------------
def _count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() or 0)


def test_another_record_s_key_is_refused_for_writes_and_reads(
        store: Store, people: People, key_file: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _plant(store, people)
    mine = Cipher(read_key_file(key_file))
    write_key_file(tmp_path / "other.key")
    other = Store(store.url, key_file=tmp_path / "other.key")
    clients = _count(store, "clients")
    try:
        with pytest.raises(RapportInputError) as err, other.transaction(people.therapist) as tx:
            add_client(tx, "C-002", identity={"name": "Someone Else"})
        assert err.value.code == "wrong_key" and mine.fingerprint in err.value.what
        assert _count(store, "clients") == clients  # nothing written with it
        with pytest.raises(RapportInputError), other.transaction(people.therapist) as tx:
            show_client(tx, "C-001")
        with pytest.raises(RapportInputError):
            other.verify_key()
    finally:
        other.dispose()
    # `rapport serve --check` refuses to say ready, and names the record's key
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(tmp_path / "other.key"))
    refused = Cli()("serve", "--check")
    assert refused.exit_code == 2 and mine.fingerprint in refused.output
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(key_file))
    ready = Cli()("serve", "--check")
    assert ready.exit_code == 0 and f"key {mine.fingerprint} is this record's key" \
        in ready.output


def test_a_record_without_a_key_check_gets_one_only_from_its_own_key(
        store: Store, people: People, tmp_path: Path) -> None:
    _plant(store, people)
    with store.engine.begin() as conn:  # as made before the check existed
        conn.execute(sa.text("DELETE FROM app_settings WHERE name = 'key_check'"))
    write_key_file(tmp_path / "other.key")
    other = Store(store.url, key_file=tmp_path / "other.key")
    try:
        with pytest.raises(RapportInputError) as err, other.transaction(people.therapist) as tx:
            add_client(tx, "C-002", identity={"name": "Someone Else"})
        assert err.value.code == "wrong_key" and "7 values" in err.value.what
    finally:
        other.dispose()
    with store.transaction(people.therapist) as tx:
        assert show_client(tx, "C-001").identity is not None
    assert _count(store, "app_settings") == 1  # the check, recorded by the record's key


def test_rotate_repairs_a_record_that_mixes_keys(store: Store, people: People,
                                                 key_file: Path, tmp_path: Path) -> None:
    # Before the check, a client was written with another record's key.
    _plant(store, people)
    stray = Cipher(write_key_file(tmp_path / "stray.key"))
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM app_settings WHERE name = 'key_check'"))
        conn.execute(sa.text("UPDATE clients SET notes_enc = :blob"),
                     {"blob": stray.encrypt("written with the wrong key", "clients.notes")})
    new_file = tmp_path / "new.key"
    new = Cipher(write_key_file(new_file))
    cli = Cli()
    refused = cli("keys", "rotate", "--new-key-file", new_file, "--as", people.admin)
    assert refused.exit_code == 2 and stray.fingerprint in refused.output
    repaired = cli("keys", "rotate", "--new-key-file", new_file, "--old-key-file",
                   tmp_path / "stray.key", "--as", people.admin)
    assert repaired.exit_code == 0, repaired.output
    rotated = Store(store.url, key_file=new_file)
    try:
        with rotated.transaction(people.therapist) as tx:
            assert show_client(tx, "C-001").notes == "written with the wrong key"
            assert remaining_with_key(tx, new) == 7
    finally:
        rotated.dispose()
    old = Store(store.url, key_file=key_file)
    try:  # the record now knows its key: the old one is refused
        with pytest.raises(RapportInputError):
            old.verify_key()
    finally:
        old.dispose()
