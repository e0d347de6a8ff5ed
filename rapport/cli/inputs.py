"""Reading transcript inputs and writing outputs the same way in every command."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from rapport.domain import Session
from rapport.errors import RapportInputError

#: File name endings read when a folder is given.
TRANSCRIPT_SUFFIXES = (".txt", ".vtt", ".srt", ".json", ".csv", ".jsonl", ".tsv")


def expand_paths(paths: Sequence[Path]) -> list[Path]:
    """Files as given; folders expanded to their transcript files, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*")
                           if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES)
            if not found:
                raise RapportInputError("folder holds no transcript files", where=str(path),
                                        fix="expected files ending in "
                                        + ", ".join(TRANSCRIPT_SUFFIXES))
            out.extend(found)
        else:
            out.append(path)
    return out


def read_sessions(paths: Sequence[Path], *, therapist: Sequence[str] = (),
                  client: Sequence[str] = (), other: Sequence[str] = (),
                  fmt: str | None = None, encoding: str | None = None,
                  ) -> tuple[list[Session], list[str]]:
    """Parse every input before anything is written: one bad file stops the command."""
    from rapport.ingest import RoleMap, load_sessions
    from rapport.settings import get_settings

    settings = get_settings()
    roles = RoleMap(therapist=tuple(therapist), client=tuple(client), other=tuple(other))
    sessions: list[Session] = []
    warnings: list[str] = []
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
            sessions.append(session)
        warnings.extend(f"{path.name}: {w}" for w in result.warnings)
    return sessions, warnings


def write_atomically(path: Path, data: str | bytes) -> None:
    """Write through a temporary file and rename, so a crash leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def output_targets(out: Path, ids: Sequence[str], suffix: str) -> dict[str, Path]:
    """One session writes to ``out``; several write ``<id><suffix>`` inside folder ``out``."""
    if len(ids) == 1 and out.suffix:
        return {ids[0]: out}
    if out.exists() and not out.is_dir():
        raise RapportInputError(f"{len(ids)} sessions to write but {out} is a file",
                                where=str(out), fix="give a folder for several sessions")
    safe = {i: "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in i) for i in ids}
    return {i: out / f"{safe[i]}{suffix}" for i in ids}
