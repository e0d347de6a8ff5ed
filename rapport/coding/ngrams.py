"""scikit-learn's text analysers, reproduced exactly for numpy-only inference.

Importing scikit-learn costs more than coding a session, so the shipped coders count
n-grams themselves; tests check the counts equal scikit-learn's.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int = 2, high: int = 5) -> list[str]:
    """``CountVectorizer(analyzer="char_wb", ngram_range=(low, high))`` n-grams of
    ``text`` as given (lower-case it first where the vectoriser did)."""
    out = []
    for word in _SPACES.sub(" ", text).split():
        w = f" {word} "
        for n in range(low, high + 1):
            offset = 0
            out.append(w[:n])
            while offset + n < len(w):
                offset += 1
                out.append(w[offset:offset + n])
            if offset == 0:
                break
    return out
