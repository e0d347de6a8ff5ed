"""Every code a report shows, in the words a therapist reads.

The report box renders codes but may not import the coders (they import the report to
draw their own sections); the pipeline, which knows both, hands it these functions.
"""

from __future__ import annotations

from rapport.profile.view import LABEL_WORDS, SCORES, code_words

__all__ = ["LABEL_WORDS", "MARKS", "SCORES", "code_words", "token_words"]

#: The marks sections put on turns (``rupture:withdrawal``, ``repair``...).
MARKS = {"repair": "repair", "missed_repair": "repair missed", "moment": "moment to revisit"}


def token_words(token: str) -> str:
    """A transcript filter token in words (``client_talk=change`` -> ``change talk``,
    ``rupture:withdrawal`` -> ``rupture: withdrawal``)."""
    if token in MARKS:
        return MARKS[token]
    if token.startswith("rupture:"):
        return "rupture: " + token.partition(":")[2].replace("_", " ")
    name, sep, value = token.partition("=")
    return code_words(name, value) if sep else code_words(name, True)
