"""Placeholder dispatcher, replaced by the full format detection."""

from __future__ import annotations

import re

from rapport.domain import Role, Session, Speaker, Turn, is_backchannel
from rapport.errors import RapportInputError
from rapport.ingest.api import ImportResult, RoleMap
from rapport.settings import Settings

_LABEL = re.compile(r"^(T|C|Therapist|Client)\s*:\s*(.*)$")


def parse(data: bytes, *, name: str, roles: RoleMap, fmt: str | None, settings: Settings,
          where: str) -> ImportResult:
    text = data.decode("utf-8")
    turns: list[tuple[str, str]] = []
    for line in text.splitlines():
        m = _LABEL.match(line.strip())
        if m:
            turns.append((m.group(1), m.group(2)))
        elif turns and line.strip():
            turns[-1] = (turns[-1][0], turns[-1][1] + " " + line.strip())
    if not turns:
        raise RapportInputError("no speaker labels found", where=where,
                                fix="start each turn with 'T:' or 'C:'")
    role = {"T": Role.THERAPIST, "Therapist": Role.THERAPIST, "C": Role.CLIENT,
            "Client": Role.CLIENT}
    speakers = {label: Speaker(name=label, role=role[label]) for label, _ in turns}
    session = Session(id=name.rsplit(".", 1)[0], speakers=tuple(speakers.values()),
                      turns=tuple(Turn(index=i, speaker=label, role=role[label], text=t,
                                       backchannel=is_backchannel(t))
                                  for i, (label, t) in enumerate(turns)))
    return ImportResult(sessions=[session], format="text")
