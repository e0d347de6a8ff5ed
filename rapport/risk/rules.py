"""The explainable half of the risk coder: phrase hits with their place in the turn.

:func:`rule_hits` runs the patterns of :mod:`rapport.risk.lexicon` over a normalised copy
of the turn (lower case, punctuation as spaces, one space between words, so speech-
recogniser transcripts match the same), drops hits inside an idiom or a plain denial, and
maps each hit back to its characters in the original turn, which is the evidence shown to
the therapist.

>>> [(h.code, h.name) for h in rule_hits("Everyone would be better off without me.")]
[('risk_suicidal_ideation', 'better_off')]
>>> rule_hits("Honestly this commute is killing me.")
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapport.risk.lexicon import HISTORY_CUES, PATTERNS, PRESENT_CUES, VETOES

#: A denial just before a phrase ("I'm not suicidal", "never hurt myself") drops the hit,
#: unless the client goes on with "but" (minimised risk: "not that I'd do anything, but").
_DENIAL = re.compile(r"\b(?:not|never|no|n t|nothing|nobody|don t|didn t|wouldn t|won t|"
                     r"isn t|wasn t|ain t|nae|dinnae|havent|haven t)\b(?:\s+\w+){0,3}\s*$")
_BUT = re.compile(r"^.{0,60}?\b(?:but|though|except|sometimes|some days|some nights)\b")
#: Patterns that carry their own negation ("don't want to be here") or where a denial
#: before them still leaves risk ("no point living").
_OWN_NEGATION = frozenset(("not_wake_up", "not_be_here", "not_here_anymore", "no_point_living",
                           "nothing_to_live", "better_off", "better_off_they", "control",
                           "want_it_to_stop"))
_VETO = re.compile("|".join(f"(?:{v})" for v in VETOES))
_HISTORY = re.compile("|".join(f"(?:{c})" for c in HISTORY_CUES))
_PRESENT = re.compile("|".join(f"(?:{c})" for c in PRESENT_CUES))


@dataclass(frozen=True)
class RiskHit:
    """One phrase that matched: its code, the pattern's name and where it is in the turn."""

    code: str
    name: str
    start: int
    end: int
    text: str


#: Contractions written without the apostrophe (speech recognisers, phones), split the way
#: the patterns spell them ("dont" -> "don t").
_CONTRACTIONS = {w: w[:-1] + " " + w[-1] for w in (
    "dont", "cant", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "havent",
    "hasnt", "hadnt", "wouldnt", "couldnt", "shouldnt", "aint", "mustnt")}
_CONTRACTIONS |= {"im": "i m", "ive": "i ve", "id": "i d", "theyd": "they d",
                  "theyre": "they re", "youd": "you d", "youre": "you re", "whats": "what s",
                  "thats": "that s", "theres": "there s", "hes": "he s", "itll": "it ll",
                  "theyll": "they ll", "shell": "she ll", "wed": "we d", "itd": "it d",
                  "its": "it s", "ill": "i ll"}
_TOKEN = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Normalised:
    """A turn in normalised form with, for each of its characters, the original index."""

    text: str
    origin: tuple[int, ...]


_ASCII_RUN = re.compile(r"[a-z0-9]+|[^a-z0-9]+")


@lru_cache(maxsize=4096)
def normalise(text: str) -> Normalised:
    """Lower case, every non-alphanumeric as a space, runs of spaces as one; offsets kept.

    >>> normalise("Don't — STOP!").text
    'don t stop '

    The same result as :func:`normalise_reference` (a test checks it on any text), faster:
    plain ASCII turns (nearly all) are cut into runs by one regular expression instead of
    a Python loop over characters, and a turn read several times (phrases, time cues,
    features) is normalised once (the cache).
    """
    if not text.isascii():
        return normalise_reference(text)
    low = text.lower()
    pieces: list[str] = []
    origin: list[int] = []
    for m in _ASCII_RUN.finditer(low):
        if m.group()[0].isalnum():
            pieces.append(m.group())
            origin.extend(range(m.start(), m.end()))
        else:
            # a run of anything else is one space, at the run's first character
            pieces.append(" ")
            origin.append(m.start())
    return _split_contractions("".join(pieces), origin)


def normalise_reference(text: str) -> Normalised:
    """:func:`normalise` written character by character: the definition it is tested
    against, and the path for text that is not plain ASCII."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        low = ch.lower()
        c = low if len(low) == 1 and low.isalnum() else " "
        if c == " " and chars and chars[-1] == " ":
            continue
        chars.append(c)
        origin.append(i)
    return _split_contractions("".join(chars), origin)


def _split_contractions(flat: str, origin: list[int]) -> Normalised:
    if not any(w in _CONTRACTIONS for w in _TOKEN.findall(flat)):
        return Normalised(flat, tuple(origin))
    # split apostrophe-less contractions; the inserted space maps to the letter before it
    out: list[str] = []
    where: list[int] = []
    last = 0
    for m in _TOKEN.finditer(flat):
        spelled = _CONTRACTIONS.get(m.group())
        if spelled is None:
            continue
        out.append(flat[last:m.start()])
        where.extend(origin[last:m.start()])
        out.append(spelled)
        cut = len(m.group()) - 1
        where.extend([*origin[m.start():m.start() + cut], origin[m.start() + cut - 1],
                      origin[m.start() + cut]])
        last = m.end()
    out.append(flat[last:])
    where.extend(origin[last:])
    return Normalised("".join(out), tuple(where))


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    return {code: [(name, re.compile(p)) for name, p in patterns]
            for code, patterns in PATTERNS.items()}


def _vetoed(norm: str, start: int, end: int) -> bool:
    """The hit lies inside an idiom or harmless sense ("this job is killing me")."""
    window_start = max(0, start - 40)
    for m in _VETO.finditer(norm, window_start, min(len(norm), end + 40)):
        if m.start() < end and m.end() > start:
            return True
    return False


def _denied(norm: str, start: int, end: int) -> bool:
    return bool(_DENIAL.search(norm[max(0, start - 30):start])) and not _BUT.search(norm[end:])


@lru_cache(maxsize=1)
def _any_phrase() -> re.Pattern[str]:
    # every pattern in one alternation: where it finds nothing, no single pattern can
    # match either, so most turns skip the per-pattern loop (the result is the same)
    return re.compile("|".join(f"(?:{p})" for patterns in PATTERNS.values()
                               for _, p in patterns))


def rule_hits(text: str) -> list[RiskHit]:
    """Every risk phrase of ``text`` that is not an idiom or a plain denial, in order."""
    return list(_rule_hits(text))


@lru_cache(maxsize=4096)
def _rule_hits(text: str) -> tuple[RiskHit, ...]:
    # cached: the coder reads a turn's phrases for its codes and again for its features
    norm = normalise(text)
    if not _any_phrase().search(norm.text):
        return ()
    hits: list[RiskHit] = []
    for code, patterns in _compiled().items():
        for name, pattern in patterns:
            for m in pattern.finditer(norm.text):
                if m.end() == m.start() or _vetoed(norm.text, m.start(), m.end()):
                    continue
                if name not in _OWN_NEGATION and _denied(norm.text, m.start(), m.end()):
                    continue
                first = norm.origin[m.start()]
                last = norm.origin[min(m.end(), len(norm.origin)) - 1] + 1
                hits.append(RiskHit(code, name, first, last, text[first:last].strip()))
    return tuple(sorted(hits, key=lambda h: (h.start, h.code)))


def history_cue(text: str) -> bool:
    """The turn places something in the past ("when I was fifteen", "years ago")."""
    return bool(_HISTORY.search(normalise(text).text))


def present_cue(text: str) -> bool:
    """The turn places something now ("lately", "again", "last night", "still")."""
    return bool(_PRESENT.search(normalise(text).text))


def state_of(text: str) -> str:
    """``history`` when the turn tells of the past and nothing now, else ``urgent`` (in
    doubt, urgent: the codebook's rule)."""
    return "history" if history_cue(text) and not present_cue(text) else "urgent"
