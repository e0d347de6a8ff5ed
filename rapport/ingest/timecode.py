"""Clock times in transcripts (``00:01:23``, ``01:23.5``, SRT's ``00:01:23,500``) to seconds."""

from __future__ import annotations

import re

_WITH_HOURS = re.compile(r"^(\d{1,3}):([0-5]?\d):([0-5]?\d)(?:[.,](\d{1,3}))?$")
_NO_HOURS = re.compile(r"^(\d{1,3}):([0-5]?\d)(?:[.,](\d{1,3}))?$")
#: Text inside brackets that is meant as a time (digits, colons, a fraction, a range dash).
LOOKS_LIKE_TIME = re.compile(r"^\s*\d[\d:.,]*(?:\s*[-–]\s*\d[\d:.,]*)?\s*$")


def parse_timecode(text: str) -> float | None:
    """Seconds for ``[h]h:mm:ss[.fff]`` or ``m:ss[.fff]``; ``None`` when malformed.

    >>> parse_timecode("00:01:23"), parse_timecode("01:23.5"), parse_timecode("0:00:02,250")
    (83.0, 83.5, 2.25)
    >>> parse_timecode("00:61:00") is None
    True
    """
    text = text.strip()
    match = _WITH_HOURS.match(text)
    if match:
        hours, minutes, secs, frac = match.groups()
    else:
        match = _NO_HOURS.match(text)
        if not match:
            return None
        hours = "0"
        minutes, secs, frac = match.groups()
    fraction = int(frac) / 10 ** len(frac) if frac else 0.0
    return int(hours) * 3600 + int(minutes) * 60 + int(secs) + fraction


def parse_range(text: str) -> tuple[float, float | None] | None:
    """``"00:01:23"`` or ``"00:01:23 - 00:01:30"`` to ``(start, end)``; ``None`` if malformed."""
    parts = re.split(r"\s*[-–]\s*", text.strip())
    if len(parts) > 2:
        return None
    times = [parse_timecode(p) for p in parts]
    if any(t is None for t in times):
        return None
    start = times[0]
    assert start is not None  # checked just above; narrows the type
    return start, times[1] if len(times) == 2 else None
