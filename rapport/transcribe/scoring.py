"""How right a transcription is: word error rate, who-spoke-when error and role accuracy.

Used by the tests and ``benchmarks/transcribe.py`` against sessions whose truth is known.

- **WER**: (substitutions + deletions + insertions) / reference words, after lower-casing
  and removing punctuation (Levenshtein alignment over words).
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


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """WER of ``hypothesis`` against ``reference`` (0 when both are empty).

    >>> word_error_rate("How are you today?", "how are you to day")
    0.5
    """
    ref, hyp = words_of(reference), words_of(hypothesis)
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
