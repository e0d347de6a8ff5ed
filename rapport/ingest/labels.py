"""Recognising a speaker label at the start of a line: ``Dr. Lee: text``, ``T: text``.

A label is one to four words before a colon followed by a space (or the end of the line).
Each word starts with a capital letter or a digit (``Dr. Lee``, ``Speaker 2``,
``SPEAKER_00``), except role words, which may be in any case (``therapist:``), and the
name particles of :data:`_PARTICLES` (``Mary van Dyke``). The capital-letter rule keeps
ordinary sentences with a colon ("and then she said: no") from becoming speakers.
"""

from __future__ import annotations

import re

from rapport.ingest.roles import role_word

_LABEL = re.compile(r"^\s*([^\W\d_][\w.'’\- ]{0,59}?)\s*:(?:[ \t]+(.*)|[ \t]*)$", re.DOTALL)
_PARTICLES = frozenset(("van", "von", "de", "da", "del", "der", "di", "du", "la", "le", "bin",
                        "al", "el", "ten", "ter"))
MAX_LABEL_WORDS = 4


def split_label(line: str) -> tuple[str, str] | None:
    """``(label, rest)`` when the line starts with a speaker label, else ``None``.

    >>> split_label("Dr. Lee: How are you?")
    ('Dr. Lee', 'How are you?')
    >>> split_label("and she said: no") is None
    True
    """
    match = _LABEL.match(line)
    if not match:
        return None
    label = " ".join(match.group(1).split())
    if role_word(label) is None:
        words = label.split(" ")
        if len(words) > MAX_LABEL_WORDS:
            return None
        if not all(w[0].isupper() or w[0].isdigit() or w.lower() in _PARTICLES
                   for w in words):
            return None
    return label, (match.group(2) or "").strip()
