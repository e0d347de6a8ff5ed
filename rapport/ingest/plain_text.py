"""Plain-text transcripts: ``Label: text`` lines, multi-line turns, optional timestamps.

::

    [00:00:05] Therapist: How has the week been?
    [00:00:09] Client: Long. I didn't sleep much,
    and work was a lot.

A turn starts at a speaker label (see :mod:`rapport.ingest.labels`) and runs until the
next label; unlabelled lines continue it. A timestamp in square or round brackets may come
before the label or right after it: ``[00:01:23]``, ``[01:23]``, ``(00:01:23.5)`` or a
range ``[00:01:23 - 00:01:30]``. Turns are kept as written, even two in a row by the same
speaker.
"""

from __future__ import annotations

import re

from rapport.ingest.labels import split_label
from rapport.ingest.raw import Context, RawSession, RawTurn, check_line_lengths, split_lines
from rapport.ingest.timecode import LOOKS_LIKE_TIME, parse_range

_BRACKETED = re.compile(r"^\s*[\[(]([^\])]{1,40})[\])]\s*")
_LABEL_FIX = ("start each turn with a speaker label and a colon, e.g. 'T: ...' / 'C: ...', "
              "'Therapist: ...' / 'Client: ...' or 'Dr. Lee: ...'")


def _leading_time(line: str, number: int, ctx: Context
                  ) -> tuple[tuple[float, float | None] | None, str]:
    """Split a leading ``[hh:mm:ss]`` off a line; a malformed one is an error, not text."""
    match = _BRACKETED.match(line)
    if not match or not LOOKS_LIKE_TIME.match(match.group(1)):
        return None, line
    times = parse_range(match.group(1))
    if times is None:
        raise ctx.error(f"malformed timestamp [{match.group(1)}]", number,
                        fix="write times as [hh:mm:ss] or [mm:ss], e.g. [00:01:23]",
                        code="bad_time")
    if times[1] is not None and times[1] < times[0]:
        raise ctx.error(f"timestamp range [{match.group(1)}] ends before it starts", number,
                        fix="swap or correct the two times", code="bad_time")
    return times, line[match.end():]


def parse_text(text: str, ctx: Context) -> list[RawSession]:
    """Read a labelled plain-text transcript into one raw session."""
    check_line_lengths(text, ctx)
    session = RawSession()
    speaker: str | None = None
    parts: list[str] = []
    first_line = 0
    times: tuple[float, float | None] | None = None
    skipped = 0
    pending: tuple[float, float | None] | None = None  # a timestamp on a line of its own

    def flush() -> None:
        if speaker is not None:
            start, end = times if times else (None, None)
            session.add(RawTurn(speaker, " ".join(parts).strip(), first_line, start, end),
                        ctx)

    for number, raw_line in enumerate(split_lines(text), 1):
        line = raw_line.strip()
        if not line:
            continue
        stamp, rest = _leading_time(line, number, ctx)
        labelled = split_label(rest)
        if labelled is None and stamp is not None and not rest.strip():
            pending = stamp
            continue
        if labelled is None:
            if speaker is None:
                skipped += 1
            else:
                parts.append(line)
            continue
        flush()
        speaker, rest = labelled
        if stamp is None:
            stamp, rest = _leading_time(rest, number, ctx)
        stamp, pending = stamp or pending, None
        parts, first_line, times = [rest] if rest else [], number, stamp
    flush()
    if not session.turns:
        raise ctx.error("no speaker labels found", fix=_LABEL_FIX, code="no_labels")
    if skipped:
        ctx.warnings.append(f"skipped {skipped} line(s) before the first speaker label "
                            "(a title or header?)")
    return [session]
