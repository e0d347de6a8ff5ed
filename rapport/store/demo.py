"""A demo record for ``make demo``: people, clients with consents, sessions, analyses.

>>> # from rapport.store.demo import create_demo_record
>>> # demo = create_demo_record([analysis.to_json() for analysis in analyses])
>>> # print(demo.describe())

Everything here is invented. Passwords are for the local demo only and are printed on
purpose; the record stores only their argon2id hashes.
"""

from __future__ import annotations

import datetime as dt
import json
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
from rapport.store.demo_story import (
    DEMO_CLIENTS,
    DEMO_STORY,
    FIRST_SESSION,
    earlier_sessions,
    story_session,
)
from rapport.store.models import User
from rapport.store.permissions import UserRole
from rapport.store.sessions import Attendance, SessionRecord, add_session
from rapport.store.users import add_user, link_supervision


class HasJson(Protocol):
    def to_json(self) -> str: ...


#: (username, role, display name). Passwords are ``demo-<username>``.
DEMO_USERS = (("ada", UserRole.ADMIN, "Ada (clinic admin)"),
              ("tom", UserRole.THERAPIST, "Tom (therapist)"),
              ("sam", UserRole.SUPERVISOR, "Sam (supervisor of Tom and Tia)"),
              ("rita", UserRole.RESEARCHER, "Rita (researcher)"),
              ("tia", UserRole.TRAINEE, "Tia (trainee)"))
#: Clients after the story's: a closed one, then one per analysis the story does not know.
CLOSED_CLIENT = "C-008"


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
        link_supervision(tx, "sam", "tia")  # practice only: a trainee has no clients


def _clients(store: Store, documents: list[str]) -> int:
    """The story's clients and sessions (rapport/store/demo_story.py), each analysis in
    its place; an analysis the story does not know becomes session 1 of a client of its
    own (C-009, C-010, ...)."""
    placed = {}
    extra: list[str] = []
    for document in documents:
        story = story_session(str(json.loads(document)["session"]["id"]))
        if story is None:
            extra.append(document)
        else:
            placed[story] = document
    with store.transaction("tom", interface="system") as tx:
        for client in DEMO_CLIENTS:
            add_client(tx, client.code, identity={"name": client.name},
                       notes="invented demo client")
            for kind in client.consents:
                add_consent(tx, client.code, kind, given_on=FIRST_SESSION)
        made: set[tuple[str, int]] = {(s.code, s.number) for s in DEMO_STORY}
        for story in sorted(DEMO_STORY, key=lambda s: (s.code, s.number)):
            for number, date in earlier_sessions(story):
                if (story.code, number) not in made:
                    made.add((story.code, number))
                    add_session(tx, story.code, SessionRecord(number=number, date=date))
            if story in placed:
                store_analysis(tx, story.code, story.number, placed[story],
                               session_date=story.date)
            else:  # not analysed this time: the session still happened
                add_session(tx, story.code, SessionRecord(number=story.number,
                                                          date=story.date))
        # Consistency matters too: a cancellation and a no-show after C-002's last session.
        last = max(s.date for s in DEMO_STORY if s.code == "C-002")
        for week, attendance in enumerate((Attendance.CANCELLED, Attendance.NO_SHOW), 1):
            add_session(tx, "C-002", SessionRecord(
                attendance=attendance, date=last + dt.timedelta(weeks=week)))
        add_client(tx, CLOSED_CLIENT, notes="therapy ended; shows retention")
        add_session(tx, CLOSED_CLIENT, SessionRecord(date=FIRST_SESSION))
        close_client(tx, CLOSED_CLIENT)
        for k, document in enumerate(extra, start=int(CLOSED_CLIENT[2:]) + 1):
            code = f"C-{k:03d}"
            add_client(tx, code, notes="invented demo client (an analysis given to the demo)")
            add_consent(tx, code, ConsentKind.ANALYSIS, given_on=FIRST_SESSION)
            store_analysis(tx, code, 1, document, session_date=FIRST_SESSION)
    return len(placed) + len(extra)
