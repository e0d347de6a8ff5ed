"""Opening the record: engines, migrations, and the one transaction every command runs in.

SQLite (the default, one file in RAPPORT_HOME) runs in WAL mode with foreign keys, a busy
timeout and ``BEGIN IMMEDIATE`` for every transaction: the write lock is taken up front,
so two processes never both read-then-write and deadlock, they queue. PostgreSQL is used
when RAPPORT_DATABASE_URL says so (``postgresql+psycopg://...``).

>>> from rapport.settings import get_settings
>>> store = Store.from_settings(get_settings(database_url="sqlite://"))
>>> store.upgrade() == store.head_revision()
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import sqlalchemy as sa
from sqlalchemy import event, orm
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError

from rapport.errors import RapportInputError
from rapport.store.crypto import Cipher, load_key
from rapport.store.key_check import require_record_key
from rapport.store.models import AuditEntry
from rapport.store.permissions import Actor, resolve_actor
from rapport.store.tx import Tx

if TYPE_CHECKING:
    from rapport.settings import Settings

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: How long a SQLite writer waits for another before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 60_000


#: Where a record's schema stands against this version of Rapport (a newer one is an error).
SchemaState = Literal["current", "older", "empty"]

#: Execution option of Store.reading()'s connections: begin deferred (SQLite).
READ_FIRST = "rapport_read_first"


def make_engine(url: str) -> sa.Engine:
    """An engine with Rapport's connection settings for the URL's backend."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(parsed, pool_pre_ping=True)
    raise RapportInputError(f"unsupported database backend {parsed.get_backend_name()!r}",
                            where="RAPPORT_DATABASE_URL",
                            fix="use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB",
                            code="bad_setting")


def owner_only(*paths: Path) -> None:
    """Tighten existing files to 0600: a record (or backup) made by an older version, or
    copied in, may be readable by other accounts on the machine."""
    for path in paths:
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except FileNotFoundError:
            continue


def create_owner_only(path: Path) -> None:
    """Create an empty file (and its folder) only its owner can read, if it is missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_engine(url: sa.URL) -> sa.Engine:
    if url.database and url.database != ":memory:":
        path = Path(url.database)
        owner_only(path, path.with_name(path.name + "-wal"),
                   path.with_name(path.name + "-shm"))
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "do_connect")
        def _create(*_args: Any) -> None:
            # On first connection, not when the store is opened: a command refused before
            # it reads the record (a restore) leaves no empty file behind. Owner-only from
            # the start; SQLite gives the -wal/-shm files the same mode.
            create_owner_only(path)
    else:
        # An in-memory database exists once per connection: share one.
        engine = sa.create_engine(url, poolclass=sa.StaticPool,
                                  connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below own transactions instead of pysqlite.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        # Deleted rows (erasure, retention) are overwritten, not left in free pages.
        cur.execute("PRAGMA secure_delete=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the lock up front (no deadlock between two upgrading readers);
        # Store.reading() begins deferred, so a read never waits for a writer.
        deferred = conn.get_execution_options().get(READ_FIRST, False)
        conn.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    return engine


@cache
def _script_directory() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS))


@cache
def known_revisions() -> frozenset[str]:
    """Every schema revision this version of Rapport has a migration for."""
    return frozenset(str(s.revision) for s in _script_directory().walk_revisions())


def newer_revision(what: str, revision: str, where: str, fix: str) -> RapportInputError:
    """``what`` (the record, the backup) is at a revision from a later version of Rapport."""
    head = _script_directory().get_current_head()
    return RapportInputError(f"{what} is at revision {revision}, newer than this version "
                             f"of Rapport knows ({head})", where=where, fix=fix,
                             code="schema_newer")


def damaged_record(where: str, reason: str) -> RapportInputError:
    return RapportInputError(f"the record is damaged ({reason})", where=where,
                             fix="restore the newest backup: `rapport restore BACKUP --as "
                             "ADMIN --yes` (the damaged file is kept aside)", code="damaged")


class Store:
    """The client record behind one database URL."""

    def __init__(self, url: str, *, key_file: Path | None = None,
                 key: str | None = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._sessions = orm.sessionmaker(self.engine, expire_on_commit=False)
        self._key_file = key_file
        self._key = key
        self._cipher: Cipher | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        return cls(settings.resolved_database_url, key_file=settings.key_file,
                   key=settings.key)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def cipher(self) -> Cipher:
        """The configured key, loaded on first need; a missing key is an input error."""
        if self._cipher is None:
            self._cipher = Cipher(load_key(self._key_file, self._key))
        return self._cipher

    def _record_cipher(self, db: orm.Session) -> Callable[[], Cipher]:
        """The key for one transaction, checked against the record's key check before
        its first use (a key from another record is refused, never written with)."""
        checked: list[Cipher] = []

        def load() -> Cipher:
            if not checked:
                cipher = self.cipher()
                require_record_key(db, cipher)
                checked.append(cipher)
            return checked[0]

        return load

    def verify_key(self) -> str:
        """The configured key's fingerprint if it is this record's key (else an input
        error naming the record's key): what ``rapport serve`` checks before starting."""
        with self.transaction(None, interface="system") as tx:
            return tx.cipher_loader().fingerprint

    # -- migrations -------------------------------------------------------------------
    def head_revision(self) -> str:
        return str(_script_directory().get_current_head())

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self._connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def schema_state(self) -> SchemaState:
        """``current``, ``older`` (or ``empty``: no tables yet), both fixed by ``rapport db
        upgrade``; a record from a later version of Rapport is an input error."""
        current = self.current_revision()
        if current is None:
            return "empty"
        if current not in known_revisions():
            raise newer_revision("the record", current, self.describe(),
                                 "install the newer version of Rapport, or restore a backup "
                                 "made with this one (`rapport restore`)")
        return "current" if current == self.head_revision() else "older"

    def upgrade(self, revision: str = "head") -> str:
        """Bring the schema to ``revision`` in one transaction; return the new revision."""
        from alembic import command
        from alembic.config import Config

        self.schema_state()  # a newer record: the clear error, not alembic's
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self._connect() as conn, conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        return str(self.current_revision())

    def require_current_schema(self, *, older_ok: bool = False) -> None:
        """Refuse a record not at this version's schema (``older_ok``: one that ``rapport
        db upgrade`` would bring to it is accepted, for a backup before upgrading)."""
        state = self.schema_state()
        if state != "current" and not (older_ok and state == "older"):
            said = ("has no tables yet" if state == "empty"
                    else f"is at revision {self.current_revision()}")
            raise RapportInputError(f"the record {said}", where=self.describe(),
                                    fix="run `rapport db upgrade` (back it up first if it "
                                    "holds data: `rapport backup`)", code="schema_outdated")

    def describe(self) -> str:
        """The database location without any password, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def _connect(self) -> Iterator[sa.Connection]:
        try:
            conn = self.engine.connect()
        except OperationalError as exc:
            raise RapportInputError(f"cannot open the record ({exc.orig.__class__.__name__})",
                                    where=self.describe(),
                                    fix="check RAPPORT_DATABASE_URL / RAPPORT_HOME and that "
                                    "the database server is running",
                                    code="no_database") from None
        except DatabaseError as exc:  # SQLite: not a database, or a malformed one
            if self.backend != "sqlite":
                raise
            raise damaged_record(self.describe(), str(exc.orig)) from None
        try:
            yield conn
        except DatabaseError as exc:
            if type(exc) is not DatabaseError or self.backend != "sqlite":
                raise
            raise damaged_record(self.describe(), str(exc.orig)) from None
        finally:
            conn.close()

    # -- transactions -----------------------------------------------------------------
    @contextmanager
    def transaction(self, username: str | None, *, interface: str = "cli",
                    check_schema: bool = True) -> Iterator[Tx]:
        """One unit of work as ``username``: commits at the end, or changes nothing.

        ``username`` None is allowed only for bootstrapping (creating the first admin).
        """
        if check_schema:
            self.require_current_schema()
        opened: list[Tx] = []
        try:
            with self._sessions() as db, db.begin():
                actor: Actor | None = resolve_actor(db, username) if username else None
                opened.append(Tx(db=db, actor=actor, interface=interface,
                                 cipher_loader=self._record_cipher(db)))
                yield opened[0]
        except BaseException as exc:
            if opened and opened[0].refusals:
                self._keep_refusals(opened[0].refusals)
            if isinstance(exc, IntegrityError):
                # Checks run before writes; reaching here means another writer got there
                # first (e.g. the same new client code at the same moment). Nothing was
                # written.
                raise RapportInputError("the change conflicts with data written at the "
                                        "same time by someone else", where=self.describe(),
                                        fix="run the command again", code="conflict") from None
            raise

    def _keep_refusals(self, rows: list[dict[str, Any]]) -> None:
        """Write the refusals of a rolled-back transaction in one of their own; a failure
        here must not hide the error that rolled it back."""
        try:
            with self._sessions() as db, db.begin():
                db.add_all(AuditEntry(**row) for row in rows)
        except Exception:  # best effort: the error that rolled it back is what is raised
            log.warning("could not audit %d refusal(s) of a rolled-back transaction",
                        len(rows))

    @contextmanager
    def reading(self, *, interface: str) -> Iterator[Tx]:
        """A transaction that reads without waiting for a writer, for the sign-in check of
        every request. Its bookkeeping writes (a sign-in's last use, an expired sign-in's
        end) are kept when the record is free and dropped when another transaction is
        writing: on SQLite it begins deferred and gives up the commit at once instead of
        waiting out the busy timeout (the next request writes them)."""
        sqlite = self.backend == "sqlite"
        with self.engine.connect() as conn:
            if sqlite:
                conn.execution_options(**{READ_FIRST: True})
            with orm.Session(conn, expire_on_commit=False) as db:
                db.begin()
                yield Tx(db=db, actor=None, interface=interface,
                         cipher_loader=self._record_cipher(db))
                # the commit may not wait for a writer (a read-only one never does)
                if sqlite:
                    conn.exec_driver_sql("PRAGMA busy_timeout=0")
                else:
                    conn.exec_driver_sql("SET LOCAL lock_timeout = '200ms'")
                try:
                    db.commit()
                except OperationalError:  # busy: skip the bookkeeping this once
                    db.rollback()
                finally:
                    if sqlite:
                        conn.exec_driver_sql(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")

    def dispose(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings | None = None) -> Store:
    """The store configured by the environment (RAPPORT_DATABASE_URL / RAPPORT_HOME)."""
    from rapport.settings import get_settings

    return Store.from_settings(settings or get_settings())


