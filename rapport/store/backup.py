"""Backup and restore of the whole record.

SQLite uses the online backup API (a consistent copy while others keep working);
PostgreSQL uses ``pg_dump`` / ``pg_restore`` in custom format. A restore reads the backup
first: that it is a complete Rapport record, at a schema revision this version knows (an
older one is restored as it is, for ``rapport db upgrade``), and that the configured key
is the key it was made with. Only then does it replace the current content, in one step.
The live record need not be readable: a damaged (or newer) SQLite file is kept aside, and
where the live record cannot say who is an admin, the backup's users do.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.crypto import blob_key_id
from rapport.store.database import (
    SchemaState,
    Store,
    create_owner_only,
    known_revisions,
    newer_revision,
    owner_only,
)
from rapport.store.key_check import KEY_CHECK, check_value
from rapport.store.models import ENCRYPTED_COLUMNS, AuditEntry, User
from rapport.store.permissions import UserRole, require_role

#: The live record as a restore finds it (beyond :data:`SchemaState`).
LiveState = SchemaState | Literal["missing", "damaged", "newer"]


@dataclass(frozen=True)
class BackupContents:
    """What a restore checks in a backup before it replaces anything."""

    revision: str
    #: ``<key id>:<HMAC>`` (see key_check); None in a backup made before the check existed
    key_check: str | None
    #: the key id of one stored value, read only when there is no key check
    value_key_id: str | None
    admins: frozenset[str]

    @property
    def key_id(self) -> str | None:
        """The key the backup needs; None when it holds nothing encrypted."""
        return self.key_check.partition(":")[0] if self.key_check else self.value_key_id


@dataclass(frozen=True)
class Restored:
    revision: str
    #: the revision this version of Rapport expects (``rapport db upgrade`` brings it there)
    head: str
    #: the replaced SQLite file, kept because it was damaged or from a newer version
    kept_aside: Path | None = None
    replaced: LiveState = "current"

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != self.head


def backup(store: Store, dest: Path) -> Path:
    """Write a backup of ``store`` to ``dest`` (refuses to overwrite)."""
    try:
        exists = dest.exists()
    except OSError as exc:  # e.g. a folder this account may not read
        raise _unwritable(dest, exc) from None
    if exists:
        raise RapportInputError("the backup file already exists", where=str(dest),
                                fix="choose a new file name (e.g. with today's date)",
                                code="exists")
    partial = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        # Owner-only before a byte is written (sqlite3 and pg_dump would use the umask).
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise _unwritable(dest, exc) from None
    try:
        if store.backend == "sqlite":
            with _sqlite_raw(store) as src, sqlite3.connect(partial) as out:
                src.backup(out)
            out.close()
        else:
            _run_pg("pg_dump", store, ["--format=custom", f"--file={partial}"])
        owner_only(partial)
        partial.replace(dest)  # a half-written backup never carries the final name
    except sqlite3.Error as exc:
        raise RapportInputError(f"the backup could not be written ({exc})", where=str(dest),
                                fix="check the free space there, and `rapport db status`",
                                code="backup_failed") from None
    except OSError as exc:
        raise _unwritable(dest, exc) from None
    finally:
        partial.unlink(missing_ok=True)
    return dest


def _unwritable(dest: Path, exc: OSError) -> RapportInputError:
    return RapportInputError(f"cannot write the backup file ({exc.strerror or exc})",
                             where=str(dest), fix="choose a folder that exists and that this "
                             "account may write to", code="bad_path")


def restore(store: Store, src: Path, *, actor: str | None = None,
            interface: str = "cli") -> Restored:
    """Replace the record with the backup at ``src``, after checking the backup, its key
    and (with ``actor``) that the actor is an admin; ``actor`` is then audited in the
    restored record, whether or not it has that user."""
    if not src.is_file():
        raise RapportInputError("the backup file does not exist", where=str(src),
                                fix="give the path of a file made by `rapport backup`",
                                code="missing_file")
    contents = read_contents(store, src)
    _require_backup_key(store, src, contents)
    live = _live_state(store)
    if actor is not None:
        _require_restorer(store, live, contents, actor, src)
    kept: Path | None = None
    if store.backend == "sqlite":
        kept = _replace_sqlite(store, src, live)
    else:
        _replace_pg(store, src, contents.revision, live)
    store.dispose()
    if actor is not None:
        with store.transaction(None, interface=interface, check_schema=False) as tx:
            # the actor as text: it may be an admin of the replaced record only
            tx.db.add(AuditEntry(actor=actor, interface=interface, action="restore",
                                 entity="record", detail=f"from {src.name[:150]} "
                                 f"revision {contents.revision} over a {live} record"))
        store.dispose()
    return Restored(revision=contents.revision, head=store.head_revision(), kept_aside=kept,
                    replaced=live)


def read_contents(store: Store, src: Path) -> BackupContents:
    """Check that ``src`` is a complete Rapport backup at a known revision; read what a
    restore checks (nothing is written anywhere)."""
    contents = _sqlite_contents(src) if store.backend == "sqlite" else _pg_contents(src)
    if contents.revision not in known_revisions():
        raise newer_revision("the backup", contents.revision, str(src),
                             "restore it with the version of Rapport that made it (or a "
                             "newer one)")
    return contents


def _require_backup_key(store: Store, src: Path, contents: BackupContents) -> None:
    needed = contents.key_id
    if needed is None:
        return  # nothing encrypted: any key reads it
    cipher = store.cipher()
    if contents.key_check is not None:
        if hmac.compare_digest(contents.key_check, check_value(cipher)):
            return
    elif needed == cipher.fingerprint:
        return
    raise RapportInputError(
        f"this backup needs key {needed}; the configured key is {cipher.fingerprint}",
        where=str(src), fix="set RAPPORT_KEY_FILE to the key that was in use when the "
        f"backup was made (`rapport keys show` prints {needed}); keep old keys as long as "
        "backups made with them exist", code="wrong_key")


def _live_state(store: Store) -> LiveState:
    if store.backend == "sqlite" and not _sqlite_file(store).exists():
        return "missing"  # not opened: a refused restore creates nothing
    try:
        return store.schema_state()
    except RapportInputError as err:
        if err.code == "damaged":
            return "damaged"
        if err.code == "schema_newer":
            return "newer"
        raise


def _require_restorer(store: Store, live: LiveState, contents: BackupContents, actor: str,
                      src: Path) -> None:
    """The live record's admins decide; where it cannot say (unreadable, missing, newer,
    or without users), the backup's do."""
    if live in ("current", "older"):
        with store.transaction(None, check_schema=False) as tx:
            has_users = tx.db.scalar(sa.select(sa.func.count()).select_from(User))
        if has_users:
            with store.transaction(actor, check_schema=False) as tx:
                require_role(tx.me(), UserRole.ADMIN, doing="restoring")
            return
    if actor not in contents.admins:
        raise RapportInputError(
            f"{actor!r} is not an active admin in the backup", where=str(src),
            fix=f"the record here is {live if live != 'current' else 'without users'}, so "
            "the backup's users decide: act as one of its admins (--as)", code="forbidden")


def _replace_sqlite(store: Store, src: Path, live: LiveState) -> Path | None:
    path = _sqlite_file(store)
    store.dispose()
    kept = _set_aside(path, live) if live in ("damaged", "newer") else None
    create_owner_only(path)
    with sqlite3.connect(f"file:{src}?mode=ro", uri=True) as backup_conn, \
            _sqlite_raw(store) as live_conn:
        backup_conn.backup(live_conn)
    backup_conn.close()
    return kept


def _set_aside(path: Path, why: str) -> Path:
    """Move a record this version cannot use (with its -wal and -shm) out of the way."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = path.with_name(f"{path.name}.{why}-{stamp}")
    for extra in ("", "-wal", "-shm"):
        part = path.with_name(path.name + extra)
        if part.exists():
            part.rename(kept.with_name(kept.name + extra))
    return kept


def _replace_pg(store: Store, src: Path, revision: str, live: LiveState) -> None:
    if live != "empty":
        at = store.current_revision()
        if at != revision:
            # pg_restore --clean drops only what the backup has: the record's other tables
            # would stay and refuse the drop of the ones they depend on
            raise RapportInputError(
                f"the backup is at revision {revision} and the record at {at}: on "
                "PostgreSQL a backup replaces only a record at its own revision, or an "
                "empty one", where=str(src), fix="restore it into an empty database "
                "(`createdb`, then point RAPPORT_DATABASE_URL at it), then run `rapport db "
                "upgrade`", code="schema_mismatch")
    store.dispose()
    _run_pg("pg_restore", store, ["--clean", "--if-exists", "--single-transaction",
                                  "--no-owner", str(src)])


# -- reading a backup without restoring it ------------------------------------------------

def _bad_backup(src: Path, what: str = "the file is not a Rapport backup") -> RapportInputError:
    return RapportInputError(what, where=str(src), fix="give a file made by `rapport backup`",
                             code="bad_backup")


def _sqlite_contents(src: Path) -> BackupContents:
    try:
        conn = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()
            if not ok or ok[0] != "ok":
                raise _bad_backup(src, "the backup is damaged or incomplete")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if not row:
                raise _bad_backup(src, "the backup is damaged or incomplete")
            check = conn.execute("SELECT value FROM app_settings WHERE name = ?",
                                 (KEY_CHECK,)).fetchone()
            admins = conn.execute("SELECT username FROM users WHERE role = ? AND active",
                                  (UserRole.ADMIN.value,)).fetchall()

            def column(table: str, name: str) -> Iterable[bytes]:
                try:
                    found = conn.execute(f'SELECT "{name}" FROM "{table}" '  # noqa: S608 - names from the models
                                         f'WHERE "{name}" IS NOT NULL LIMIT 1').fetchall()
                except sqlite3.OperationalError:  # an older backup without that table
                    return []
                return [r[0] for r in found]

            value_key = None if check else _first_key_id(column)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        raise _bad_backup(src, "the file is not a Rapport SQLite backup") from None
    return BackupContents(revision=str(row[0]), key_check=check[0] if check else None,
                          value_key_id=value_key, admins=frozenset(a[0] for a in admins))


def _pg_contents(src: Path) -> BackupContents:
    listing = _run_pg("pg_restore", None, ["--list", str(src)])
    if "TABLE DATA" not in listing or " alembic_version " not in listing:
        raise _bad_backup(src, "the file is not a Rapport PostgreSQL backup")
    # the table data as COPY text, without a database: small tables only
    tables = _pg_tables(src, ["alembic_version", "app_settings", "users"])
    revisions = [r["version_num"] for r in tables.get("alembic_version", [])]
    if not revisions or revisions[0] is None:
        raise _bad_backup(src, "the backup is damaged or incomplete")
    check = next((r["value"] for r in tables.get("app_settings", [])
                  if r["name"] == KEY_CHECK), None)
    admins = frozenset(str(r["username"]) for r in tables.get("users", [])
                       if r["role"] == UserRole.ADMIN.value and r["active"] == "t")

    def column(table: str, name: str) -> Iterable[bytes]:
        for row in _pg_tables(src, [table]).get(table, []):
            value = row.get(name)
            if value is not None and value.startswith("\\x"):
                yield bytes.fromhex(value[2:])

    value_key = None if check else _first_key_id(column)
    return BackupContents(revision=str(revisions[0]), key_check=check,
                          value_key_id=value_key, admins=admins)


def _first_key_id(column: Callable[[str, str], Iterable[bytes]]) -> str | None:
    """The key id of the first stored value found (a backup from before the key check)."""
    for model, attr, _ in ENCRYPTED_COLUMNS:
        for blob in column(model.__tablename__, attr):
            return blob_key_id(blob).hex()
    return None


_COPY = re.compile(r"^COPY (?:\S+\.)?(\S+) \((.*)\) FROM stdin;$")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", "v": "\v"}


def _pg_tables(src: Path, tables: list[str]) -> dict[str, list[dict[str, str | None]]]:
    """The rows of ``tables`` in a custom-format dump, as text (``pg_restore -f -``)."""
    script = _run_pg("pg_restore", None, ["--data-only", "--file=-",
                                          *(f"--table={t}" for t in tables), str(src)])
    rows: dict[str, list[dict[str, str | None]]] = {}
    into: list[dict[str, str | None]] | None = None
    names: list[str] = []
    for line in script.split("\n"):
        if into is None:
            if match := _COPY.match(line):
                into = rows.setdefault(match[1].strip('"'), [])
                names = [n.strip().strip('"') for n in match[2].split(",")]
        elif line == "\\.":
            into = None
        else:
            into.append(dict(zip(names, map(_copy_field, line.split("\t")), strict=False)))
    return rows


def _copy_field(text: str) -> str | None:
    if text == "\\N":
        return None
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), text)


# -- the tools ------------------------------------------------------------------------------

def _sqlite_file(store: Store) -> Path:
    database = store.engine.url.database
    if not database or database == ":memory:":
        raise RapportInputError("an in-memory record cannot be backed up or restored",
                                where=store.describe(), fix="use a file database",
                                code="bad_setting")
    return Path(database)


class _sqlite_raw:  # noqa: N801 - used like a function in `with`
    """A plain sqlite3 connection to the store's file, with the store's busy timeout."""

    def __init__(self, store: Store) -> None:
        self.path = _sqlite_file(store)

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
