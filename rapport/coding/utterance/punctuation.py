"""Transcripts without punctuation: what "bare" text is, and when a session is bare.

Speech recognisers without a punctuation step write turns in lower case with no marks
("so how did the week go"). The shipped coders learnt from AnnoMI's punctuated
transcripts and lean on "?" and sentence ends: on AnnoMI turns stripped of punctuation
therapist behaviour falls from macro-F1 0.754 to 0.546 (``benchmarks/
utterance_punctuation.py``). Each session preset therefore has a companion model trained
on AnnoMI plus a bare copy of it (:func:`with_bare_copy`), and a session the rule below
calls unpunctuated is coded by the companion on its bare text.

The rule was fixed before any routed figure was measured, and it is deliberately
simple: a session is unpunctuated when fewer than one in five of its turns of four or
more words holds a sentence mark (``.``, ``?`` or ``!``). Every AnnoMI transcript is
far above it; a recogniser's output without punctuation is at zero.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_MARKS = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_SENTENCE_MARK = re.compile(r"[.?!]")
#: Turns shorter than this say little about punctuation ("yeah", "mm-hmm").
MIN_WORDS = 4
#: Below this share of marked turns a session is coded as unpunctuated.
MIN_MARKED_SHARE = 0.2
#: A turn that was only punctuation becomes this (an empty turn has no features).
EMPTY = "mm"
#: What a companion adds to its preset's name (``fast-bare``: files, cards, model ids).
COMPANION_SUFFIX = "-bare"
#: How a companion's model id ends (``utterance-fast-bare@1.0``).
COMPANION_MARK = f"{COMPANION_SUFFIX}@"
#: What the report says when a companion coded the session.
UNPUNCTUATED_NOTE = (
    "This transcript has no punctuation (as some speech recognisers write it), so its "
    "therapist-behaviour and client-talk codes come from the punctuation-free model: "
    "they are a little less sure than on a punctuated transcript (therapist behaviour "
    "macro-F1 0.71-0.73 against 0.75-0.77 on AnnoMI; docs/models.md).")


def preset_label(preset: str, *, bare: bool) -> str:
    """``preset``'s name, or its companion's (``fast`` -> ``fast-bare``) when ``bare``."""
    return preset + COMPANION_SUFFIX if bare else preset


def coded_without_punctuation(models: Sequence[str]) -> bool:
    """Whether a punctuation-free companion made any of a session's codes."""
    return any(COMPANION_MARK in m and m.startswith("utterance-") for m in models)


def bare_text(text: str) -> str:
    """The turn as a recogniser without punctuation writes it: lower case, every mark
    removed, single spaces."""
    return _SPACES.sub(" ", _MARKS.sub("", text.lower())).strip() or EMPTY


def is_unpunctuated(texts: Sequence[str]) -> bool:
    """True when fewer than :data:`MIN_MARKED_SHARE` of the turns of at least
    :data:`MIN_WORDS` words hold a sentence mark (a session of short turns only is
    never called unpunctuated: there is too little to tell)."""
    long_turns = [t for t in texts if len(t.split()) >= MIN_WORDS]
    if not long_turns:
        return False
    marked = sum(1 for t in long_turns if _SENTENCE_MARK.search(t))
    return marked < MIN_MARKED_SHARE * len(long_turns)


def with_bare_copy(x: pd.DataFrame, y: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training turns plus a bare copy of every transcript (labels repeated). The copy is
    a session of its own (``<session>~bare``) so context never mixes the two, and keeps its
    ``group`` so grouped folds never split a video from its copy."""
    import pandas as pd

    if "group" not in x:
        x = x.assign(group=x["session"].astype(str))
    copy = x.assign(text=[bare_text(t) for t in x["text"].astype(str)],
                    session=x["session"].astype(str) + "~bare")
    return (pd.concat([x, copy], ignore_index=True),
            pd.concat([y, y], ignore_index=True))
