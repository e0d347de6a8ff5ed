"""How often the profile's feeling-word approximation of an emotional disclosure (a client
turn of at least ``DISCLOSURE_MIN_WORDS`` words with a feeling word) agrees with the
real-talk gold's ``emotional_disclosure`` code, over every client turn of the gold.

    python benchmarks/disclosure_approximation.py

The profile quotes the result where it falls back to the approximation
(``rapport/profile/relationship.py``, ``APPROXIMATION_RIGHT``).
"""

from __future__ import annotations

from rapport.coding.relationship.realtalk import load_gold
from rapport.profile.behaviours import DISCLOSURE_MIN_WORDS
from rapport.profile.lexicon import feeling_words


def counts() -> tuple[int, int, int, int]:
    """(transcripts, predicted, right, gold disclosures) over the gold's client turns."""
    gold = load_gold()
    tp = fp = fn = 0
    for session in gold.values():
        for turn in session.turns:
            if turn.speaker != "C":
                continue
            predicted = bool(feeling_words(turn.text)) and \
                len(turn.text.split()) >= DISCLOSURE_MIN_WORDS
            coded = "emotional_disclosure" in turn.codes
            tp += predicted and coded
            fp += predicted and not coded
            fn += coded and not predicted
    return len(gold), tp + fp, tp, tp + fn


def main() -> None:
    transcripts, predicted, right, disclosures = counts()
    print("| transcripts | predicted | right | precision | recall |")
    print("|---|---|---|---|---|")
    print(f"| {transcripts} | {predicted} | {right} | {right / max(predicted, 1):.3f} | "
          f"{right / max(disclosures, 1):.3f} |")


if __name__ == "__main__":
    main()
