"""What every format parser hands on: raw turns that still carry their source location.

Parsers only read their syntax. Roles, checks shared by all formats (empty text, times,
limits) and the final :class:`~rapport.domain.Session` are done once, in
:mod:`rapport.ingest.assemble`, so every format fails the same way on the same problem.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.ingest.api import RoleMap
from rapport.settings import Settings

MetaValue = str | int | float | bool | None


@dataclass(frozen=True)
class Context:
    """Where the input came from and what the user asked for, passed to every parser."""

    name: str
    where: str
    roles: RoleMap
    settings: Settings
    #: Warnings for the user (never containing client text), collected while parsing.
    warnings: list[str] = field(default_factory=list)

    def loc(self, detail: str | int | None = None) -> str:
        """``file:12`` for a line number, ``file (cue 3)`` for any other place."""
        if detail is None:
            return self.where
        if isinstance(detail, int):
            return f"{self.where}:{detail}"
        return f"{self.where} ({detail})"

    def error(self, what: str, detail: str | int | None = None, *, fix: str | None = None,
              code: str = "bad_input") -> RapportInputError:
        return RapportInputError(what, where=self.loc(detail), fix=fix, code=code)


@dataclass(frozen=True)
class RawTurn:
    """One turn as read. ``place`` locates it for messages (a line number or a cue)."""

    speaker: str
    text: str
    place: str | int
    start: float | None = None
    end: float | None = None
    role: Role | None = None  # when the source itself states the role
    backchannel: bool | None = None  # None: decide from the text


@dataclass
class RawSession:
    """The turns of one session before roles are resolved."""

    own_id: str | None = None
    turns: list[RawTurn] = field(default_factory=list)
    metadata: dict[str, MetaValue] = field(default_factory=dict)
    language: str | None = None
    date: dt.date | None = None
    #: Roles declared by the source for speakers (JSONL header), even without turns;
    #: ``None`` for a speaker whose role is left to the user (a transcribed recording).
    declared: dict[str, Role | None] = field(default_factory=dict)
    #: Published corpora (AnnoMI) have a few broken or backward timestamps; for them a bad
    #: time is left empty and counted (and reported as a warning) instead of stopping.
    lenient_times: bool = False
    dropped_times: int = 0

    def add(self, turn: RawTurn, ctx: Context, *, merge: bool = False) -> None:
        """Append a turn; with ``merge`` a same-speaker continuation joins the last turn.

        Subtitle and Whisper formats split one speaker's talk mechanically (by line length
        or pause), so their consecutive pieces are merged; transcripts keep turns as written.
        The turn limit is checked here so a huge input fails on the first turn too many.
        """
        last = self.turns[-1] if self.turns else None
        if merge and last is not None and last.speaker == turn.speaker:
            text = f"{last.text} {turn.text}".strip() if turn.text else last.text
            end = turn.end if turn.end is not None else last.end
            self.turns[-1] = RawTurn(last.speaker, text, last.place, last.start, end,
                                     last.role)
            return
        if len(self.turns) >= ctx.settings.max_turns:
            raise ctx.error(f"more than {ctx.settings.max_turns:,} turns in one session",
                            turn.place, fix="split the session, or raise RAPPORT_MAX_TURNS",
                            code="too_large")
        self.turns.append(turn)


def split_lines(text: str) -> list[str]:
    """Lines split at ``\n``, ``\r\n`` or ``\r`` only.

    ``str.splitlines`` also breaks at U+2028, NEL and form feeds, which would make our line
    numbers disagree with the user's editor.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_line_lengths(text: str, ctx: Context) -> None:
    """Fail fast on a line over the limit (a minified or binary-ish file, not a transcript)."""
    limit = ctx.settings.max_line_chars
    if len(text) <= limit or max(map(len, text.split("\n"))) <= limit:
        return
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > limit:
            raise ctx.error(f"line is {len(line):,} characters long, over the limit of "
                            f"{limit:,}", number,
                            fix="check this is a transcript, or raise RAPPORT_MAX_LINE_CHARS",
                            code="too_large")


def seconds(value: object) -> float | None:
    """A JSON number usable as a time in seconds, else ``None`` (bools are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None
