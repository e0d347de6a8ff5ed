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
from rapport.ingest.csv_stream import open_csv_stream
from rapport.ingest.formats import SUFFIXES
from rapport.ingest.roles import unmatched_flag_warning
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
                  settings: Settings | None = None, stream: bool = False
                  ) -> Iterator[ReadSession]:
    """Sessions file by file (one file in memory at a time); a session id met twice is an
    error naming both files.

    With ``stream``, a CSV file whose sessions' rows are contiguous is read session by
    session (:mod:`rapport.ingest.csv_stream`): memory holds one session, not the file,
    and a bad row is reported when it is reached, after the sessions before it (all but
    the last, held back as every last session is). A file's warnings about the whole
    file then come with its last session only.

    With several files, a command-line role flag is expected to match only some of them
    (``--client-speaker Maya`` is for Maya's session): it is reported once, on the last
    session, only when it matched no file at all.
    """
    settings = settings or get_settings()
    roles = roles or RoleMap()
    files = expand_paths(paths)
    several = len(files) > 1
    quiet = {unmatched_flag_warning(name) for name in roles.flags} if several else set()
    never_matched = set(roles.flags)
    seen: dict[str, Path] = {}
    held: ReadSession | None = None  # one session held back for the end-of-input warning
    for path in files:
        for session, notes, unmatched in _file_sessions(path, roles, fmt, encoding,
                                                        settings, stream):
            if unmatched is not None:
                never_matched -= set(roles.flags) - set(unmatched)
            if session is None:  # a streamed file's end: its general warnings
                if held is not None and held.path == path:
                    held = ReadSession(held.session, path, (*held.warnings, *(
                        f"{path.name}: {w}" for w in notes if w not in quiet)))
                continue
            if session.id in seen:
                raise RapportInputError(
                    f"session id {session.id!r} also comes from {seen[session.id]}",
                    where=str(path), fix="rename one of the files, or give each session "
                    "its own id")
            seen[session.id] = path
            if held is not None:
                yield held
            held = ReadSession(session, path, tuple(
                f"{path.name}: {w}" for w in notes if w not in quiet))
    if held is not None:
        extra = tuple(f"--therapist/--client-speaker/--other {name!r} matches no speaker in "
                      f"any of the {len(files)} files" for name in roles.flags
                      if several and name in never_matched)
        yield ReadSession(held.session, held.path, (*held.warnings, *extra))


def _file_sessions(path: Path, roles: RoleMap, fmt: str | None, encoding: str | None,
                   settings: Settings, stream: bool
                   ) -> Iterator[tuple[Session | None, list[str], list[str] | None]]:
    """(session, its warnings, the file's unmatched role labels or None) of one file; a
    streamed file ends with (None, its general warnings, its unmatched role labels)."""
    streamed = open_csv_stream(path, roles=roles.for_file(path), fmt=fmt,
                               encoding=encoding, settings=settings) if stream else None
    if streamed is None:
        result = load_sessions(path, roles=roles, fmt=fmt, settings=settings,
                               encoding=encoding)
        for session in result.sessions:
            yield session, result.warnings_for(session.id), result.unmatched_flags
        return
    for session, notes in streamed.sessions():
        yield session, notes, None
    yield None, streamed.general, streamed.unmatched_flags


def read_sessions(paths: Sequence[Path], *, roles: RoleMap | None = None,
                  fmt: str | None = None, encoding: str | None = None,
                  settings: Settings | None = None) -> list[ReadSession]:
    """Every session of every input, parsed before anything is written."""
    return list(iter_sessions(paths, roles=roles, fmt=fmt, encoding=encoding,
                              settings=settings))


def all_warnings(read: Sequence[ReadSession]) -> list[str]:
    """Each warning once, in order (a file's general warnings are shared by its sessions)."""
    return list(dict.fromkeys(w for r in read for w in r.warnings))
