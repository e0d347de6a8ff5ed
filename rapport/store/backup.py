"""Backup and restore of the whole record.

SQLite uses the online backup API (a consistent copy while others keep working);
PostgreSQL uses ``pg_dump`` / ``pg_restore`` in custom format. A restore first checks
that the file is a complete Rapport record at a known schema revision, then replaces the
current content in one step. Backups hold ciphertext: they need the same key to be read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.database import Store, owner_only


def backup(store: Store, dest: Path) -> Path:
    """Write a backup of ``store`` to ``dest`` (refuses to overwrite)."""
    if dest.exists():
        raise RapportInputError("the backup file already exists", where=str(dest),
                                fix="choose a new file name (e.g. with today's date)",
                                code="exists")
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    # Owner-only before a byte is written (sqlite3 and pg_dump would use the umask: 0644).
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    if store.backend == "sqlite":
        with _sqlite_raw(store) as src, sqlite3.connect(partial) as out:
            src.backup(out)
        out.close()
    else:
        _run_pg("pg_dump", store, ["--format=custom", f"--file={partial}"])
    owner_only(partial)
    partial.replace(dest)  # a half-written backup never carries the final name
    return dest


def restore(store: Store, src: Path) -> str:
    """Replace the record with the backup at ``src``; returns its schema revision."""
    if not src.is_file():
        raise RapportInputError("the backup file does not exist", where=str(src),
                                fix="give the path of a file made by `rapport backup`",
                                code="missing_file")
    if store.backend == "sqlite":
        revision = _check_sqlite_backup(src, store.head_revision())
        store.dispose()
        with sqlite3.connect(src) as backup_conn, _sqlite_raw(store) as live:
            backup_conn.backup(live)
        backup_conn.close()
    else:
        listing = _run_pg("pg_restore", None, ["--list", str(src)])
        if "TABLE DATA" not in listing or " alembic_version " not in listing:
            raise RapportInputError("the file is not a Rapport PostgreSQL backup",
                                    where=str(src), fix="give a file made by `rapport backup`",
                                    code="bad_backup")
        store.dispose()
        _run_pg("pg_restore", store, ["--clean", "--if-exists", "--single-transaction",
                                      "--no-owner", str(src)])
        revision = str(store.current_revision())
    store.dispose()
    return revision


def _check_sqlite_backup(src: Path, head: str) -> str:
    try:
        conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise RapportInputError("the file is not a Rapport SQLite backup", where=str(src),
                                fix="give a file made by `rapport backup`",
                                code="bad_backup") from None
    if not ok or ok[0] != "ok" or not row:
        raise RapportInputError("the backup is damaged or incomplete", where=str(src),
                                fix="use another backup file", code="bad_backup")
    if row[0] != head:
        raise RapportInputError(f"the backup is at schema revision {row[0]}, this Rapport "
                                f"expects {head}", where=str(src),
                                fix="restore with the Rapport version that made it, then "
                                "`rapport db upgrade`", code="bad_backup")
    return str(row[0])


class _sqlite_raw:  # noqa: N801 - used like a function in `with`
    """A plain sqlite3 connection to the store's file, with the store's busy timeout."""

    def __init__(self, store: Store) -> None:
        database = store.engine.url.database
        if not database or database == ":memory:":
            raise RapportInputError("an in-memory record cannot be backed up",
                                    where=store.describe(), fix="use a file database",
                                    code="bad_setting")
        self.path = database

    def __enter__(self) -> sqlite3.Connection:
        self.conn = sqlite3.connect(self.path, timeout=60)
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


def _pg_env(store: Store | None) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if store is None:
        return [], env
    url: sa.URL = store.engine.url
    args = [f"--dbname={url.database}"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)  # never on the command line (ps shows it)
    options = url.query.get("options")
    schema = _search_path(options if isinstance(options, str) else None)
    if schema:
        args.append(f"--schema={schema}")
    return args, env


def _search_path(options: str | None) -> str | None:
    """The schema a ``?options=-csearch_path=X`` URL confines the record to."""
    if not options:
        return None
    for part in unquote(options).split():
        if part.startswith("-csearch_path="):
            return part.split("=", 1)[1].split(",")[0]
    return None


def _run_pg(tool: str, store: Store | None, extra: list[str]) -> str:
    exe = shutil.which(tool)
    if exe is None:
        raise RapportInputError(f"{tool} is not installed", where="PATH",
                                fix="install the PostgreSQL client tools (Debian: "
                                "apt-get install postgresql-client)", code="missing_tool")
    args, env = _pg_env(store)
    # Fixed executable and arguments built here, no shell: nothing untrusted is run.
    done = subprocess.run([exe, *args, *extra], env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or ["failed"])[0][:300]
        raise RapportInputError(f"{tool} failed: {first}", where=tool,
                                fix="check the database URL, the server and the file",
                                code="backup_failed")
    return done.stdout
