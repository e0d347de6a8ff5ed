"""SubRip (``.srt``) subtitles with ``Name:`` prefixes naming the speaker.

::

    1
    00:00:01,000 --> 00:00:04,000
    Counselor: What brings you in today?

The cue number line is optional (some tools omit it). Speakers and merging work as in
:mod:`rapport.ingest.subtitles`.
"""

from __future__ import annotations

from collections.abc import Iterator

from rapport.ingest.raw import Context, RawSession, check_line_lengths
from rapport.ingest.subtitles import Cue, blocks, cues_to_session, parse_timing


def _cues(text: str, ctx: Context) -> Iterator[Cue]:
    for number, (line_no, lines) in enumerate(blocks(text), 1):
        timing_at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing_at is None:
            raise ctx.error(f"cue {number} has no timing line", line_no,
                            fix="each cue is a number, 'start --> end' (e.g. "
                            "00:00:01,000 --> 00:00:04,000) and its text", code="bad_time")
        if timing_at == 1 and not lines[0].strip().isdigit():
            raise ctx.error(f"cue {number}: expected a cue number, found other text",
                            line_no, fix="start each cue with its number, or leave it out",
                            code="bad_format")
        start, end = parse_timing(lines[timing_at], line_no + timing_at, number, ctx)
        yield Cue(number, line_no, start, end, tuple(lines[timing_at + 1:]))


def parse_srt(text: str, ctx: Context) -> list[RawSession]:
    """Read an SRT file into one raw session (same-speaker cues merged)."""
    check_line_lengths(text, ctx)
    return [cues_to_session(_cues(text, ctx), ctx)]
