"""WebVTT (``.vtt``): Zoom, Teams and most meeting tools export these.

::

    WEBVTT

    1
    00:00:01.000 --> 00:00:04.000
    <v Dr. Lee>How was the week?</v>

``NOTE``, ``STYLE`` and ``REGION`` blocks are skipped; cue settings, tags and entities are
removed from the text. See :mod:`rapport.ingest.subtitles` for speakers and merging.
"""

from __future__ import annotations

from collections.abc import Iterator

from rapport.ingest.raw import Context, RawSession, check_line_lengths
from rapport.ingest.subtitles import Cue, blocks, cues_to_session, parse_timing

_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def _cues(text: str, ctx: Context) -> Iterator[Cue]:
    all_blocks = blocks(text)
    first = next(all_blocks, None)
    if first is None or not first[1][0].lstrip("\ufeff").startswith("WEBVTT"):
        raise ctx.error("not a WebVTT file: the first line must be 'WEBVTT'", 1,
                        fix="add the WEBVTT header, or pass --format for the right format",
                        code="bad_format")
    number = 0
    for line_no, lines in all_blocks:
        if lines[0].startswith(_SKIPPED_BLOCKS):
            continue
        number += 1
        timing_at = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
        if timing_at is None:
            raise ctx.error(f"cue {number} has no timing line", line_no,
                            fix="each cue needs 'start --> end', e.g. "
                            "00:00:01.000 --> 00:00:04.000", code="bad_time")
        start, end = parse_timing(lines[timing_at], line_no + timing_at, number, ctx)
        yield Cue(number, line_no, start, end, tuple(lines[timing_at + 1:]))


def parse_webvtt(text: str, ctx: Context) -> list[RawSession]:
    """Read a WebVTT file into one raw session (same-speaker cues merged)."""
    check_line_lengths(text, ctx)
    return [cues_to_session(_cues(text, ctx), ctx)]
