"""What WebVTT and SRT share: cue blocks, cue timings, speakers inside cue text.

A subtitle file cuts speech into cues by screen length, not by turn, so consecutive cues of
one speaker are merged into one turn. The speaker of a cue comes from a WebVTT voice tag
(``<v Dr. Lee>``, as Teams writes) or a ``Name:`` prefix (as Zoom writes); a cue with
neither continues the previous speaker.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapport.ingest.labels import split_label
from rapport.ingest.raw import Context, RawSession, RawTurn, split_lines
from rapport.ingest.timecode import parse_timecode

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_TIMING = re.compile(r"^\s*(\S+)\s+-->\s+(\S+)(?:\s.*)?$")
_SPEAKER_FIX = ("mark who speaks in each cue, with a voice tag '<v Name>' or a 'Name: ' "
                "prefix")


@dataclass(frozen=True)
class Cue:
    """One cue: its number in the file, its times and its text lines."""

    number: int
    line: int
    start: float
    end: float
    lines: tuple[str, ...]


def blocks(text: str) -> Iterator[tuple[int, list[str]]]:
    """Blank-line separated blocks as ``(first line number, lines)``."""
    current: list[str] = []
    first = 0
    for number, line in enumerate(split_lines(text), 1):
        if line.strip():
            if not current:
                first = number
            current.append(line.rstrip())
        elif current:
            yield first, current
            current = []
    if current:
        yield first, current


def parse_timing(line: str, number: int, cue: int, ctx: Context) -> tuple[float, float]:
    """``00:00:01.000 --> 00:00:04.000`` to seconds, checked for order."""
    match = _TIMING.match(line)
    start = parse_timecode(match.group(1)) if match else None
    end = parse_timecode(match.group(2)) if match else None
    if start is None or end is None:
        raise ctx.error(f"cue {cue}: malformed timing line", number,
                        fix="write it as 00:00:01.000 --> 00:00:04.000", code="bad_time")
    if end < start:
        raise ctx.error(f"cue {cue} ends before it starts", number,
                        fix="correct the cue times (start --> end)", code="bad_time")
    return start, end


def split_cue(cue: Cue) -> Iterator[tuple[str | None, str]]:
    """``(speaker or None, text)`` for each speaker's part of a cue."""
    for raw in cue.lines:
        voice = _VOICE.search(raw)
        speaker = " ".join(voice.group(1).split()) if voice else None
        text = html.unescape(_TAG.sub("", raw)).strip()
        if speaker is None:
            labelled = split_label(text)
            if labelled:
                speaker, text = labelled
        yield speaker, text


def cues_to_session(cues: Iterator[Cue], ctx: Context) -> RawSession:
    """Merge cues into turns, checking that cue times run forward."""
    session = RawSession()
    speaker: str | None = None
    previous_start = 0.0
    for cue in cues:
        if cue.start < previous_start:
            raise ctx.error(f"cue {cue.number} starts before the cue above it", cue.line,
                            fix="sort the cues by start time, or correct the times",
                            code="bad_time")
        previous_start = cue.start
        for named, text in split_cue(cue):
            if named is None and speaker is None:
                if not text:
                    continue
                raise ctx.error(f"cue {cue.number} has no speaker", cue.line,
                                fix=_SPEAKER_FIX, code="no_labels")
            if named is not None and not text:
                raise ctx.error(f"cue {cue.number}: speaker {named!r} with no text",
                                cue.line, fix="remove the empty cue or add its text",
                                code="empty_turn")
            speaker = named or speaker
            assert speaker is not None  # narrowed above
            session.add(RawTurn(speaker, text, f"cue {cue.number}, line {cue.line}",
                                cue.start, cue.end), ctx, merge=True)
    if not session.turns:
        raise ctx.error("no cues with text found", fix=_SPEAKER_FIX, code="no_labels")
    return session
