"""Public entry points of the ingest box: files or bytes in, validated sessions out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rapport.domain import Session
from rapport.errors import RapportInputError
from rapport.settings import Settings, get_settings


@dataclass(frozen=True)
class RoleMap:
    """Explicit speaker-to-role mapping from the user (``--therapist "Dr. Lee"``).

    ``files`` holds the per-file entries of a speaker-roles file (``--roles FILE``, see
    :mod:`rapport.ingest.speaker_roles`): (file name, that file's own mapping). The flags
    apply to every input; a file's entry is added to them for that file only.
    """

    therapist: tuple[str, ...] = ()
    client: tuple[str, ...] = ()
    other: tuple[str, ...] = ()
    files: tuple[tuple[str, RoleMap], ...] = ()

    @property
    def flags(self) -> tuple[str, ...]:
        """Every speaker label given on the command line, in order."""
        return (*self.therapist, *self.client, *self.other)

    def for_file(self, path: Path) -> RoleMap:
        """The flags plus the entry (if any) a roles file has for ``path``.

        An entry names a file by its name (``session1.vtt``) or by the end of its path
        (``week1/session1.vtt``, forward slashes).
        """
        entry = next((m for name, m in self.files
                      if name in (path.name, path.as_posix())
                      or path.as_posix().endswith("/" + name)), None)
        if entry is None:
            return RoleMap(self.therapist, self.client, self.other)
        return RoleMap(therapist=(*self.therapist, *entry.therapist),
                       client=(*self.client, *entry.client),
                       other=(*self.other, *entry.other))


@dataclass
class ImportResult:
    """The sessions read from one input, its detected format, and any warnings.

    ``warnings`` are all of them; ``per_session`` (by session id) and ``general`` (about the
    whole input) say which warning concerns which session.
    """

    sessions: list[Session]
    format: str
    warnings: list[str] = field(default_factory=list)
    per_session: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    #: role labels given for this input that match none of its speakers
    unmatched_flags: list[str] = field(default_factory=list)

    def warnings_for(self, session_id: str) -> list[str]:
        """The warnings that concern one session: its own, then the input's."""
        return [*self.per_session.get(session_id, []), *self.general]


def load_sessions(path: Path, *, roles: RoleMap | None = None, fmt: str | None = None,
                  settings: Settings | None = None, encoding: str | None = None
                  ) -> ImportResult:
    """Read one file; raises :class:`RapportInputError` naming the file on bad input.

    ``fmt`` forces a format (``text``, ``vtt``, ``srt``, ``whisper``, ``csv``, ``jsonl``)
    instead of detecting it; ``encoding`` decodes a file that is not UTF-8/UTF-16 (with a
    warning). A ``.parquet`` file is read as a corpus (one row per turn). See
    ``docs/formats.md``.
    """
    settings = settings or get_settings()
    if not path.exists():
        raise RapportInputError("file not found", where=str(path),
                                fix="check the path (and quote names with spaces)",
                                code="not_found")
    if path.is_dir():
        raise RapportInputError("is a folder, not a transcript file", where=str(path),
                                fix="pass the transcript files inside it")
    if path.suffix.casefold() == ".parquet":
        from rapport.ingest.parquet_corpus import read_corpus

        # a corpus is read by columns and row groups, not whole: no size limit applies
        return read_corpus(path, roles=(roles or RoleMap()).for_file(path),
                           settings=settings)
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise RapportInputError(
            f"file is {size:,} bytes, over the limit of {settings.max_file_bytes:,}",
            where=str(path), fix="split the file, or raise RAPPORT_MAX_FILE_BYTES",
            code="too_large")
    return parse_bytes(path.read_bytes(), name=path.name,
                       roles=(roles or RoleMap()).for_file(path), fmt=fmt,
                       settings=settings, where=str(path), encoding=encoding)


def parse_bytes(data: bytes, *, name: str, roles: RoleMap | None = None,
                fmt: str | None = None, settings: Settings | None = None,
                where: str | None = None, encoding: str | None = None) -> ImportResult:
    """Parse the bytes of one input. ``name`` gives the default session id.

    Sessions are returned only when the whole input is valid; otherwise one
    :class:`RapportInputError` says what is wrong, where (``where``, default ``name``,
    plus the line or cue) and how to fix it.
    """
    from rapport.ingest.parse import parse

    return parse(data, name=name, roles=roles or RoleMap(), fmt=fmt,
                 settings=settings or get_settings(), where=where or name,
                 encoding=encoding)
