"""The record commands through the real CLI (Typer's runner).

The store functions under these commands are tested on both backends in the other files;
here the consent flow runs on both and the rest on SQLite only, to keep the box fast.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import Cli
from record_fixtures import PLANTED_NAME, PLANTED_SENTENCE

from rapport.store.database import Store

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

TRANSCRIPT = f"""Therapist: How was the week?
Client: Not great, {PLANTED_SENTENCE}, and I felt alone.
Therapist: You felt alone when it was gone.
Client: Yes. Exactly that.
"""


@pytest.fixture
def cli(store: Store, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """A CLI on an upgraded record with admin ada, therapist tom, supervisor sam."""
    run = Cli(checked=True)
    run("users", "add", "ada", "--admin")
    run("users", "add", "tom", "--role", "therapist", "--as", "ada")
    run("users", "add", "sam", "--role", "supervisor", "--as", "ada")
    run("users", "supervise", "sam", "tom", "--as", "ada")
    monkeypatch.setenv("RAPPORT_USER", "tom")
    return run


def test_analyze_stores_only_with_consent(cli: Cli, store: Store, tmp_path: Path) -> None:
    transcript = tmp_path / "s1.txt"
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    cli("clients", "add", "C-017", "--name", PLANTED_NAME)
    refused = cli("analyze", transcript, "--client", "C-017", "--session", "1", "-q", code=2)
    assert "no current consent to analysis" in refused.output
    assert "rapport consents add C-017 analysis" in refused.output
    cli("consents", "add", "C-017", "analysis", "--on", "2026-03-02")
    cli("analyze", transcript, "--client", "C-017", "--session", "1", "-q")
    listed = cli("analyses", "list", "C-017").output
    assert "session 1" in listed
    analysis_id = listed.split()[0]
    out = tmp_path / "back.json"
    cli("analyses", "show", analysis_id, "--json", out, "--as", "sam")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert PLANTED_SENTENCE in doc["turns"][1]["text"]
    assert "attended" in cli("sessions", "list", "C-017").output
    withdrawn = cli("consents", "withdraw", "C-017", "analysis").output
    assert "1 stored analyses remain" in withdrawn and "rapport analyses delete" in withdrawn
    cli("analyze", transcript, "--client", "C-017", "--session", "2", "-q", code=2)
    cli("analyses", "delete", "C-017", code=2)  # needs --yes
    assert "deleted 1" in cli("analyses", "delete", "C-017", "--yes").output
    assert "withdrawn" in cli("consents", "list", "C-017").output


@SQLITE_ONLY
def test_clients_people_and_permissions(cli: Cli) -> None:
    cli("clients", "add", "C-001", "--name", PLANTED_NAME, "--notes", "prefers mornings")
    shown = cli("clients", "show", "C-001").output
    assert PLANTED_NAME in shown and "prefers mornings" in shown
    hidden = cli("clients", "show", "C-001", "--as", "sam").output
    assert PLANTED_NAME not in hidden and "not shown to you" in hidden
    assert "no client" in cli("clients", "show", "C-001", "--as", "ada", code=2).output
    cli("clients", "add", "C-002", "--as", "sam", code=2)  # supervisors are read-only
    assert "C-001" in cli("clients", "list").output
    cli("sessions", "add", "C-001", "--attendance", "no-show", "--date", "2026-03-09")
    cli("sessions", "add", "C-001", "--attendance", "maybe", code=2)
    cli("sessions", "add", "C-001", "--date", "09/03/2026", code=2)
    assert "no-show" in cli("sessions", "list", "C-001").output
    cli("clients", "erase", "C-001", code=2)  # needs --yes
    cli("clients", "erase", "C-001", "--yes")
    assert "C-001" not in cli("clients", "list").output
    audit = cli("audit", "--as", "ada").output
    assert "erase" in audit and "C-001" not in audit and PLANTED_NAME not in audit
    assert "ada" in cli("users", "list", "--as", "ada").output


@SQLITE_ONLY
def test_no_user_and_unknown_user_are_clear_errors(cli: Cli,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RAPPORT_USER")
    assert "RAPPORT_USER" in cli("clients", "list", code=2).output
    assert "no active user" in cli("clients", "list", "--as", "zed", code=2).output


@SQLITE_ONLY
def test_keys_backup_restore_and_retention(cli: Cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cli("clients", "add", "C-001", "--name", PLANTED_NAME)
    new_key = tmp_path / "new.key"
    assert "wrote key" in cli("keys", "create", new_key).output
    cli("keys", "create", new_key, code=2)  # never overwrites a key
    cli("keys", "rotate", "--new-key-file", new_key, code=2)  # tom is no admin
    assert "re-encrypted 1 values" in cli("keys", "rotate", "--new-key-file", new_key,
                                          "--as", "ada").output
    cli("clients", "show", "C-001", code=2)  # the old key no longer reads the record
    monkeypatch.setenv("RAPPORT_KEY_FILE", str(new_key))
    assert PLANTED_NAME in cli("clients", "show", "C-001").output
    backup = tmp_path / "record.bak"
    cli("backup", backup, code=2)  # admins only
    cli("backup", backup, "--as", "ada")
    cli("clients", "add", "C-002")
    cli("restore", backup, "--as", "ada", code=2)  # needs --yes
    cli("restore", backup, "--as", "ada", "--yes")
    listed = cli("clients", "list").output
    assert "C-001" in listed and "C-002" not in listed
    assert "no retention period" in cli("retention", "apply", "--as", "ada", code=2).output
    cli("retention", "set", "30", "--as", "ada")
    assert "30 days" in cli("retention", "show", "--as", "ada").output
    assert "would purge: 0" in cli("retention", "apply", "--as", "ada").output


def test_db_upgrade_and_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAPPORT_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    run = Cli(checked=True)
    assert "needs `rapport db upgrade`" in run("db", "status", code=1).output
    assert "no tables yet" in run("users", "add", "ada", "--admin", code=2).output
    assert "upgraded (empty) -> " in run("db", "upgrade").output
    assert "already at revision" in run("db", "upgrade").output
    assert "up to date" in run("db", "status").output


def test_users_deactivate_and_reactivate(cli: Cli) -> None:
    assert "deactivated" in cli("users", "deactivate", "sam", "--as", "ada").output
    refused = cli("clients", "list", "--as", "sam", code=2)
    assert "no active user" in refused.output
    cli("users", "deactivate", "ada", "--as", "ada", code=2)  # not yourself
    cli("users", "deactivate", "sam", "--as", "tom", code=2)  # admins only
    assert "active" in cli("users", "deactivate", "sam", "--reactivate", "--as", "ada").output
    cli("clients", "list", "--as", "sam")
