"""Labelled words to turns, and a suggestion of who the therapist is.

A turn is a run of words by one speaker in time order (words from two channels are
interleaved by start time, so a "Mm-hmm" heard on the other channel splits a turn, as it
does in a written transcript). The role suggestion counts questions: the speaker who asks
the largest share of questions is suggested as the therapist, the others as clients. It is
only a suggestion: ``rapport analyze`` asks the user to confirm it or to map the roles.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapport.transcribe.asr import Word

#: A turn that ends with "?" or opens like a question counts as one (Whisper does not
#: always write the question mark).
_QUESTION_START = re.compile(
    r"^(how|what|why|when|where|who|which|do|does|did|is|are|was|were|can|could|would|"
    r"will|have|has|tell me)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TimedTurn:
    speaker: str
    text: str
    start: float
    end: float


def speaker_name(number: int) -> str:
    return f"SPEAKER_{number + 1}"


def build_turns(words: Sequence[Word], speakers: Sequence[int]) -> list[TimedTurn]:
    """Consecutive words of one speaker (in time order) joined into turns."""
    order = sorted(range(len(words)), key=lambda i: (words[i].start, words[i].channel))
    turns: list[TimedTurn] = []
    for i in order:
        word, name = words[i], speaker_name(speakers[i])
        if turns and turns[-1].speaker == name:
            last = turns[-1]
            turns[-1] = TimedTurn(name, f"{last.text} {word.text}", last.start,
                                  max(last.end, word.end))
        else:
            turns.append(TimedTurn(name, word.text, word.start, word.end))
    return turns


def is_question(text: str) -> bool:
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    return any(s.endswith("?") or _QUESTION_START.match(s) is not None for s in sentences)


@dataclass(frozen=True)
class RoleSuggestion:
    """Who looks like the therapist, and the counts it rests on (for the user to judge)."""

    therapist: str | None
    basis: str

    def roles(self, names: Sequence[str]) -> dict[str, str]:
        if self.therapist is None:
            return {}
        return {n: "therapist" if n == self.therapist else "client" for n in names}


def suggest_roles(turns: Sequence[TimedTurn]) -> RoleSuggestion:
    """The speaker with the highest share of question turns, if that share stands out."""
    asked, spoke = Counter[str](), Counter[str]()
    for turn in turns:
        spoke[turn.speaker] += 1
        asked[turn.speaker] += is_question(turn.text)
    names = list(spoke)
    basis = "questions per turn: " + ", ".join(f"{n} {asked[n]} of {spoke[n]}" for n in names)
    if len(names) < 2:
        return RoleSuggestion(None, basis)
    share = {n: asked[n] / spoke[n] for n in names}
    ranked = sorted(names, key=lambda n: share[n], reverse=True)
    if asked[ranked[0]] == 0 or share[ranked[0]] <= share[ranked[1]]:
        return RoleSuggestion(None, basis + " (no one asks clearly more)")
    return RoleSuggestion(ranked[0], basis)
