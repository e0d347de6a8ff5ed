"""Every code a report shows, in the words a therapist reads.

The report box renders codes but may not import the coders (they import the report to
draw their own sections); the pipeline, which knows both, hands it these functions.
"""

from __future__ import annotations

from rapport.coding.relationship.codes import CODE_LABELS
from rapport.profile.view import LABEL_WORDS
from rapport.risk.codes import RISK_LABELS

#: Scores shown with their scale (EPITOME: each mechanism 0-2, their sum 0-6).
SCORES = {"empathy": ("empathy", 6), "empathy_er": ("emotional reactions (empathy)", 2),
          "empathy_ip": ("interpretations (empathy)", 2),
          "empathy_ex": ("explorations (empathy)", 2)}
#: The marks sections put on turns (``rupture:withdrawal``, ``repair``...).
MARKS = {"repair": "repair", "missed_repair": "repair missed", "moment": "moment to revisit"}


def code_words(name: str, value: object) -> str:
    """``("therapist_behaviour", "input")`` -> ``"information or advice"``;
    ``("persuade", True)`` -> ``"advice or persuasion without permission"``."""
    if name in SCORES:
        label, top = SCORES[name]
        return f"{label} {value} of {top}"
    if value is True:
        return CODE_LABELS.get(name) or RISK_LABELS.get(name) or name.replace("_", " ")
    return LABEL_WORDS.get(name, {}).get(str(value)) or \
        f"{name.replace('_', ' ')}: {value}"


def token_words(token: str) -> str:
    """A transcript filter token in words (``client_talk=change`` -> ``change talk``,
    ``rupture:withdrawal`` -> ``rupture: withdrawal``)."""
    if token in MARKS:
        return MARKS[token]
    if token.startswith("rupture:"):
        return "rupture: " + token.partition(":")[2].replace("_", " ")
    name, sep, value = token.partition("=")
    return code_words(name, value) if sep else code_words(name, True)
