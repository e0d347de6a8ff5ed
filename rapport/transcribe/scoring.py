"""How right a transcription is: word error rate, who-spoke-when error and role accuracy.

Used by the tests and ``benchmarks/transcribe.py`` against sessions whose truth is known.

- **WER**: (substitutions + deletions + insertions) / reference words, after lower-casing
  and removing punctuation (Levenshtein alignment over words). With ``normalise=True``
  both sides also go through :func:`normalised_words` first, in the spirit of Whisper's
  English normaliser: the same words written differently ("4" and "four", "can't" and
  "can not", "'cause" and "because") count as the same, and hesitation sounds ("um",
  "uh", "hmm", "mm") are dropped on both sides. It is applied to reference and hypothesis
  alike, so it cannot favour either.
- **Speaker error (word-level DER)**: the share of recognised words whose speaker differs
  from the true speaker at the word's midpoint (the nearest true turn when it falls in a
  pause), under the best one-to-one matching of labels to true speakers. Time-based DER as
  in NIST's scorer weighs seconds, not words; with transcription this word version is what
  decides the turns.
- **Role accuracy per turn**: for each true turn, the role its words got from the
  *suggested* roles (not the best matching) equals its true role; a turn with no
  recognised words counts as wrong.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

_TOKEN = re.compile(r"[a-z0-9']+")


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation (``"Don't!"`` -> ``["don't"]``)."""
    return _TOKEN.findall(text.casefold().replace("’", "'"))


#: hesitation sounds, dropped on both sides (Whisper's English normaliser drops the same)
FILLERS = frozenset(("hmm", "hm", "mm", "mmm", "mhm", "uh", "um", "er", "erm"))
_CONTRACTIONS = ((re.compile(r"\bwon't\b"), "will not"), (re.compile(r"\bcan't\b"), "can not"),
                 (re.compile(r"\bain't\b"), "is not"), (re.compile(r"n't\b"), " not"),
                 (re.compile(r"'re\b"), " are"), (re.compile(r"'ll\b"), " will"),
                 (re.compile(r"'ve\b"), " have"), (re.compile(r"\bi'm\b"), "i am"),
                 (re.compile(r"'d\b"), " would"), (re.compile(r"(^|\s)'cause\b"), r"\1because"),
                 (re.compile(r"\bcannot\b"), "can not"), (re.compile(r"\bgonna\b"), "going to"),
                 (re.compile(r"\bwanna\b"), "want to"), (re.compile(r"\bokay\b"), "ok"))
_NUMBER = re.compile(r"\b(\d+(?:,\d{3})*)(st|nd|rd|th)?\b")
_ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
         "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
         "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth",
            "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}


def number_words(n: int) -> str:
    """``n`` (0 <= n < 10**9) in words: ``number_words(1984)`` -> "one thousand nine
    hundred eighty four" (no "and", hyphens as spaces, as the normaliser wants)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    for size, name in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            rest = n % size
            return f"{number_words(n // size)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError(n)  # pragma: no cover - every n >= 100 has a size above


def _spelled(match: re.Match[str]) -> str:
    value = int(match.group(1).replace(",", ""))
    if value >= 10**9:
        return match.group(0)
    words = number_words(value)
    if match.group(2):
        head, _, last = words.rpartition(" ")
        if last in _ORDINAL:
            last = _ORDINAL[last]
        else:
            last = (last.removesuffix("y") + "ie" if last.endswith("y") else last) + "th"
        words = (head + " " if head else "") + last
    return words


def normalised_words(text: str) -> list[str]:
    """:func:`words_of` after the normalisation of the module docstring.

    >>> normalised_words("Um, I can't pay 25% on the 3rd.")
    ['i', 'can', 'not', 'pay', 'twenty', 'five', 'percent', 'on', 'the', 'third']
    """
    text = text.casefold().replace("’", "'").replace("%", " percent")
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    text = _NUMBER.sub(_spelled, text)
    return [w.strip("'") for w in words_of(text) if w.strip("'") and w not in FILLERS]


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str, *, normalise: bool = False) -> float:
    """WER of ``hypothesis`` against ``reference`` (0 when both are empty); ``normalise``
    puts both through :func:`normalised_words` first.

    >>> word_error_rate("How are you today?", "how are you to day")
    0.5
    >>> word_error_rate("Mm-hmm. I've four.", "I have 4", normalise=True)
    0.0
    """
    split = normalised_words if normalise else words_of
    ref, hyp = split(reference), split(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)


def true_speaker_at(time: float, turns: Sequence[tuple[int, float, float]]) -> int:
    """The true speaker at ``time`` from ``(speaker, start, end)`` turns (nearest turn)."""
    def distance(turn: tuple[int, float, float]) -> float:
        _, start, end = turn
        return 0.0 if start <= time <= end else min(abs(time - start), abs(time - end))

    return min(turns, key=distance)[0]


def speaker_error(words: Sequence[tuple[float, int]],
                  turns: Sequence[tuple[int, float, float]]) -> float:
    """Word-level speaker error of ``(midpoint, label)`` words, best label matching."""
    if not words:
        return 1.0
    truth = [true_speaker_at(t, turns) for t, _ in words]
    labels = sorted({label for _, label in words})
    speakers = sorted({s for s, _, _ in turns})
    best = 0
    for perm in itertools.permutations(speakers, min(len(labels), len(speakers))):
        mapping = dict(zip(labels, perm, strict=False))
        best = max(best, sum(mapping.get(label) == s
                             for (_, label), s in zip(words, truth, strict=True)))
    return 1 - best / len(words)


def role_accuracy(words: Sequence[tuple[float, str | None]],
                  turns: Sequence[tuple[str, float, float]]) -> float:
    """Share of true ``(role, start, end)`` turns whose words mostly got that role."""
    if not turns:
        return 0.0
    right = 0
    for role, start, end in turns:
        inside = Counter(r for t, r in words if start - 0.2 <= t <= end + 0.2)
        right += bool(inside) and inside.most_common(1)[0][0] == role
    return right / len(turns)
