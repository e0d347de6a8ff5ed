"""Reading the inputs a command names: files and folders, every format, all before any output.

Every face (CLI, batch, research exports, the demo) reads through here, so a folder is
expanded the same way everywhere and one bad file stops the command before anything is
written. Each session keeps the warnings that concern it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapport.domain import Session
from rapport.errors import RapportInputError
from rapport.ingest.api import RoleMap, load_sessions
from rapport.ingest.formats import SUFFIXES
from rapport.settings import Settings, get_settings


@dataclass(frozen=True)
class ReadSession:
    """A session read from ``path`` with the warnings that concern it (file name first)."""

    session: Session
    path: Path
    warnings: tuple[str, ...] = ()


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders expanded to the files of every known format, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in SUFFIXES
                           and not p.name.startswith("."))
            if not found:
                raise RapportInputError("folder holds no transcript files", where=str(path),
                                        fix="expected files ending in " + ", ".join(SUFFIXES))
            out.extend(found)
        else:
            out.append(path)
    return out


def iter_sessions(paths: Sequence[Path], *, roles: RoleMap | None = None,
                  fmt: str | None = None, encoding: str | None = None,
                  settings: Settings | None = None) -> Iterator[ReadSession]:
    """Sessions file by file (one file in memory at a time); a session id met twice is an
    error naming both files."""
    settings = settings or get_settings()
    seen: dict[str, Path] = {}
    for path in expand_paths(paths):
        result = load_sessions(path, roles=roles, fmt=fmt, settings=settings,
                               encoding=encoding)
        for session in result.sessions:
            if session.id in seen:
                raise RapportInputError(
                    f"session id {session.id!r} also comes from {seen[session.id]}",
                    where=str(path), fix="rename one of the files, or give each session "
                    "its own id")
            seen[session.id] = path
            yield ReadSession(session, path, tuple(f"{path.name}: {w}"
                                                   for w in result.warnings_for(session.id)))


def read_sessions(paths: Sequence[Path], *, roles: RoleMap | None = None,
                  fmt: str | None = None, encoding: str | None = None,
                  settings: Settings | None = None) -> list[ReadSession]:
    """Every session of every input, parsed before anything is written."""
    return list(iter_sessions(paths, roles=roles, fmt=fmt, encoding=encoding,
                              settings=settings))


def all_warnings(read: Sequence[ReadSession]) -> list[str]:
    """Each warning once, in order (a file's general warnings are shared by its sessions)."""
    return list(dict.fromkeys(w for r in read for w in r.warnings))
