"""Whether a reply is in a language the judge can read: it reads English only.

The codebook, the phrase rules and every coder the judge uses are English; a reply in
another language would be read as passing over the cue and judged ``not_met`` with full
confidence. The check is the import's function-word guess (``rapport.ingest.language``,
docs/formats.md "Language"), offline and dependency-free.
"""

from __future__ import annotations

import math
import re

from rapport.ingest.language import MIN_WORDS, guess_language

#: Below this many words a reply is too short to tell ("No.", "Si, claro"): English assumed.
MIN_REPLY_WORDS = 4
#: Common English words; a reply with this share of them or more is English whatever the
#: guess says (on a few words the guess can take "a", "no" or "as" for Portuguese or Spanish).
ENGLISH_SHARE = 0.1
_ENGLISH = frozenset((
    "the", "a", "an", "and", "or", "but", "to", "of", "in", "on", "at", "for", "with", "from",
    "by", "as", "if", "than", "then", "out", "up", "off", "you", "your", "yours", "you're",
    "you've", "you'd", "you'll", "i", "i'm", "i've", "i'd", "me", "my", "it", "it's", "its",
    "is", "are", "was", "were", "be", "been", "that", "this", "these", "those", "what", "how",
    "why", "when", "who", "which", "not", "no", "so", "just", "like", "can", "do", "does",
    "did", "don't", "have", "has", "had", "they", "he", "she", "him", "her", "them", "there",
    "their", "we", "us", "our", "about", "really", "would", "could", "should", "will",
    "sounds", "feel", "that's", "there's", "let's", "here", "all", "any", "some", "more",
    "very"))
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def reply_language(text: str) -> str | None:
    """The language code of a reply that is clearly not English, else None.

    >>> reply_language("Tiene todo el sentido que te sientas así después de lo que pasó.")
    'es'
    >>> reply_language("It sounds like the nights are the loneliest part.") is None
    True
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    if sum(1 for c in letters if _LATIN.match(c)) / len(letters) < 0.5:
        return guess_language(text)  # another script ("ja", "ko", "el", else "und")
    words = [w.casefold().replace("\u2019", "'") for w in _WORD.findall(text)]
    if len(words) < MIN_REPLY_WORDS or sum(w in _ENGLISH for w in words) >= ENGLISH_SHARE * len(
            words):
        return None
    # the guess scores each language's share of function words, which repeating the text
    # does not change; repeated up to its minimum length, a short reply is guessed the same way
    guess = guess_language(" ".join([text] * math.ceil(MIN_WORDS / len(words))))
    return None if guess in ("en", "und") else guess
