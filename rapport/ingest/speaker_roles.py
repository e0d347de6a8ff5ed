"""A speaker-roles file: who is who in each transcript of a folder, written down once.

A folder of transcripts whose speakers are names or diarised labels (``Maya``,
``SPEAKER_00``) needs a different mapping per file; flags on the command line apply to
every file. ``--roles FILE`` reads a YAML mapping from file name to roles::

    # examples/speakers.yaml
    poor_listening.vtt:
      therapist: Dr. Lee
      client: Jordan
    couple_session.json:
      therapist: SPEAKER_00
      client: [SPEAKER_01, SPEAKER_02]

Keys are file names (or the end of a path, ``week1/session.vtt``); each role takes one
label or a list. The roles are still explicit: Rapport never guesses them from names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from rapport.errors import RapportInputError
from rapport.ingest.api import RoleMap

ROLE_KEYS = ("therapist", "client", "other")
_FIX = ("write one entry per file, e.g. 'session.vtt: {therapist: Dr. Lee, client: Sam}' "
        "(see docs/formats.md, 'Speaker roles')")


def parse_speaker_roles(text: str, *, where: str) -> tuple[tuple[str, RoleMap], ...]:
    """The per-file entries of a roles file's text, or one clear error about it."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        raise RapportInputError("is not valid YAML" + (f" ({problem})" if problem else ""),
                                where=where + line, fix=_FIX,
                                code="bad_roles_file") from None
    if data is None:
        raise RapportInputError("the roles file is empty", where=where, fix=_FIX,
                                code="bad_roles_file")
    if not isinstance(data, dict):
        raise RapportInputError("the roles file must map file names to roles", where=where,
                                fix=_FIX, code="bad_roles_file")
    entries: list[tuple[str, RoleMap]] = []
    for name, roles in data.items():
        if not isinstance(name, str) or not name.strip():
            raise RapportInputError(f"entry {name!r} is not a file name", where=where,
                                    fix=_FIX, code="bad_roles_file")
        entries.append((name.strip(), _entry(roles, where=f"{where}: {name}")))
    return tuple(entries)


def _entry(roles: Any, *, where: str) -> RoleMap:
    if not isinstance(roles, dict) or not roles:
        raise RapportInputError("expected roles (therapist, client, other)", where=where,
                                fix=_FIX, code="bad_roles_file")
    unknown = [str(key) for key in roles if key not in ROLE_KEYS]
    if unknown:
        raise RapportInputError(f"unknown role {unknown[0]!r}", where=where,
                                fix="use therapist, client or other", code="bad_roles_file")
    labels = {key: _labels(value, where=f"{where}.{key}") for key, value in roles.items()}
    return RoleMap(therapist=labels.get("therapist", ()), client=labels.get("client", ()),
                   other=labels.get("other", ()))


def _labels(value: Any, *, where: str) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value]
    # YAML reads `T: 1` or `client: yes` as a number or a boolean; a label is text
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        raise RapportInputError("expected a speaker label or a list of them", where=where,
                                fix="quote labels that YAML would read as numbers or yes/no",
                                code="bad_roles_file")
    return tuple(item.strip() for item in items)


def read_speaker_roles(path: Path) -> tuple[tuple[str, RoleMap], ...]:
    """Read ``--roles FILE``."""
    if not path.is_file():
        raise RapportInputError("roles file not found", where=str(path),
                                fix="check the path given to --roles", code="not_found")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise RapportInputError("the roles file is not UTF-8 text", where=str(path),
                                fix="save it as UTF-8", code="bad_roles_file") from None
    return parse_speaker_roles(text, where=str(path))


def role_map(therapist: tuple[str, ...] | list[str] | None = None,
             client: tuple[str, ...] | list[str] | None = None,
             other: tuple[str, ...] | list[str] | None = None,
             roles_file: Path | None = None) -> RoleMap:
    """The command line's flags and roles file as one :class:`RoleMap`."""
    return RoleMap(therapist=tuple(therapist or ()), client=tuple(client or ()),
                   other=tuple(other or ()),
                   files=read_speaker_roles(roles_file) if roles_file else ())
