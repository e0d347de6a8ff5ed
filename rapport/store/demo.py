"""A demo record for ``make demo``: people, clients with consents, sessions, analyses.

>>> # from rapport.store.demo import create_demo_record
>>> # demo = create_demo_record([analysis.to_json() for analysis in analyses])
>>> # print(demo.describe())

Everything here is invented. Passwords are for the local demo only and are printed on
purpose; the record stores only their argon2id hashes.
"""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.settings import Settings, get_settings
from rapport.store.analyses import store_analysis
from rapport.store.clients import add_client, close_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.crypto import write_key_file
from rapport.store.database import Store
from rapport.store.models import User
from rapport.store.permissions import UserRole
from rapport.store.sessions import Attendance, SessionRecord, add_session
from rapport.store.users import add_user, link_supervision


class HasJson(Protocol):
    def to_json(self) -> str: ...


#: (username, role, display name). Passwords are ``demo-<username>``.
DEMO_USERS = (("ada", UserRole.ADMIN, "Ada (clinic admin)"),
              ("tom", UserRole.THERAPIST, "Tom (therapist)"),
              ("sam", UserRole.SUPERVISOR, "Sam (supervisor of Tom)"),
              ("rita", UserRole.RESEARCHER, "Rita (researcher)"))
#: (code, invented identity, consents).
DEMO_CLIENTS = (
    ("C-001", {"name": "Demo Person One", "contact": "one@example.invalid"},
     (ConsentKind.RECORDING, ConsentKind.ANALYSIS, ConsentKind.RESEARCH)),
    ("C-002", {"name": "Demo Person Two"},
     (ConsentKind.RECORDING, ConsentKind.ANALYSIS, ConsentKind.SHARING)),
)
FIRST_SESSION = dt.date(2026, 1, 6)


def rapport_command() -> str:
    """How to call this installation's ``rapport`` from the current folder, for lines a
    user pastes: ``rapport`` when that is the one on PATH, else its path (``.venv/bin/...``).
    """
    # sys.executable is the venv's python (a link): its sibling is the venv's entry point
    mine = Path(sys.executable).with_name("rapport")
    on_path = shutil.which("rapport")
    if on_path is not None and Path(on_path).resolve() == mine.resolve():
        return "rapport"
    try:
        return str(mine.relative_to(Path.cwd()))
    except ValueError:
        return str(mine)


@dataclass
class DemoRecord:
    database: str
    key_file: Path
    #: the environment that selects this record (RAPPORT_HOME, or the database URL)
    selects: dict[str, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    analyses: int = 0

    def use_lines(self) -> list[str]:
        """Commands that work when pasted as printed, in this order."""
        env = dict(self.selects)
        if self.key_file.is_file():  # not when the key comes from RAPPORT_KEY itself
            env["RAPPORT_KEY_FILE"] = str(self.key_file)
        return ["export " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()),
                f"RAPPORT_USER=tom {rapport_command()} clients list"]

    def describe(self) -> str:
        lines = [f"demo record: {self.database}",
                 f"key file:    {self.key_file}",
                 f"analyses stored: {self.analyses}",
                 "demo users (local demo only; passwords for the web app):"]
        lines += [f"  {name:<5} {role.value:<11} password {self.passwords[name]}"
                  for name, role, _ in DEMO_USERS]
        lines.append("use the demo record (paste these two lines as they are):")
        lines += [f"  {line}" for line in self.use_lines()]
        return "\n".join(lines)


def create_demo_record(analyses: Sequence[str | HasJson], *,
                       settings: Settings | None = None, reset: bool = False) -> DemoRecord:
    """Create the demo record in RAPPORT_HOME (or RAPPORT_DATABASE_URL).

    A key file ``RAPPORT_HOME/demo.key`` is created when no key is configured. The record
    must be empty; ``reset=True`` first deletes a SQLite demo file (never a server DB).
    """
    settings = settings or get_settings()
    key_file = settings.key_file
    if key_file is None and not settings.key:
        key_file = settings.home / "demo.key"
        if not key_file.exists():
            write_key_file(key_file)
        settings = get_settings(key_file=key_file)
    store = Store.from_settings(settings)
    try:
        if reset and store.backend == "sqlite":
            store.dispose()
            db = Path(str(store.engine.url.database))
            for path in db.parent.glob(db.name + "*"):
                path.unlink()
        store.upgrade()
        with store.engine.connect() as conn:
            if conn.execute(sa.select(sa.func.count()).select_from(User)).scalar():
                raise RapportInputError("the record already has users", where=store.describe(),
                                        fix="point RAPPORT_HOME at an empty folder for the "
                                        "demo (or pass reset=True for a SQLite demo file)",
                                        code="not_empty")
        selects = ({"RAPPORT_DATABASE_URL": settings.database_url} if settings.database_url
                   else {"RAPPORT_HOME": str(settings.home.resolve())})
        demo = DemoRecord(database=store.describe(),
                          key_file=(key_file or Path("RAPPORT_KEY")).resolve(),
                          selects=selects)
        _people(store, demo)
        demo.analyses = _clients(store, [a if isinstance(a, str) else a.to_json()
                                         for a in analyses])
        return demo
    finally:
        store.dispose()


def _people(store: Store, demo: DemoRecord) -> None:
    for i, (name, role, display) in enumerate(DEMO_USERS):
        demo.passwords[name] = f"demo-{name}"
        with store.transaction(None if i == 0 else DEMO_USERS[0][0],
                               interface="system") as tx:
            add_user(tx, name, role, display_name=display, password=demo.passwords[name])
    with store.transaction("ada", interface="system") as tx:
        link_supervision(tx, "sam", "tom", identity_granted=False)


def _clients(store: Store, documents: list[str]) -> int:
    stored = 0
    with store.transaction("tom", interface="system") as tx:
        for code, identity, consents in DEMO_CLIENTS:
            add_client(tx, code, identity=identity, notes="invented demo client")
            for kind in consents:
                add_consent(tx, code, kind, given_on=FIRST_SESSION)
        for i, document in enumerate(documents):
            code = DEMO_CLIENTS[i % len(DEMO_CLIENTS)][0]
            number = i // len(DEMO_CLIENTS) + 1
            store_analysis(tx, code, number, document,
                           session_date=FIRST_SESSION + dt.timedelta(weeks=number - 1))
            stored += 1
        # Consistency matters too: a cancellation and a no-show after the analysed sessions.
        last = FIRST_SESSION + dt.timedelta(weeks=(len(documents) + 1) // len(DEMO_CLIENTS))
        for week, attendance in enumerate((Attendance.CANCELLED, Attendance.NO_SHOW), 1):
            add_session(tx, DEMO_CLIENTS[1][0], SessionRecord(
                attendance=attendance, date=last + dt.timedelta(weeks=week)))
        add_client(tx, "C-003", notes="therapy ended; shows retention")
        add_session(tx, "C-003", SessionRecord(date=FIRST_SESSION))
        close_client(tx, "C-003")
    return stored
