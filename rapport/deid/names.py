"""Person names in counselling speech.

spaCy's small model misses most names in conversational text, so names are also found from
the session's own speaker labels, titles ("Dr. Patel"), relations ("my sister Jenna"),
speech verbs ("Sven says"), and a list of given names of many origins. Given names that are
also ordinary words ("Hope", "Will", "Grace", "May") count only in a name's context, so
"I have hope" and "May I ask" stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapport.deid.lexicon import (
    NOT_NAMES,
    RELATIONS,
    SPEECH_VERBS,
    STATES_AND_COUNTRIES,
    TITLES,
    ambiguous_names,
    given_names,
)
from rapport.deid.spans import Candidate, IdType

_TOKEN = re.compile(r"[^\W\d_]+(?:[.'’-][^\W\d_]+)*\.?", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$")
#: Speaker labels that are roles, not names.
ROLE_LABELS = frozenset({"t", "c", "therapist", "client", "counsellor", "counselor", "patient",
                         "speaker", "interviewer", "participant", "clinician", "doctor", "dr",
                         "dr.", "p", "i", "r", "th", "cl", "other", "unknown", "partner",
                         "mother", "father", "parent", "child", "couple"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "last", "next", "every", "some",
                          "of", "by", "in", "no", "any", "all", "such", "what", "whose"})
#: Pets have names too, but they identify no one ("my dog Max").
_PETS = frozenset({"dog", "cat", "puppy", "kitten", "horse", "bird", "parrot", "hamster",
                   "rabbit", "bunny", "pup", "pet", "fish", "goldfish", "turtle", "snake"})
_LOWERCASE_CUES = frozenset({"and", "with", "told", "tell", "ask", "asked", "texted", "called",
                             "saw", "see", "met", "meet", "miss", "love", "loves", "hate",
                             "about", "to", "like", "for", "call"})


@dataclass(frozen=True)
class Tok:
    """One word token with its neighbours' context."""

    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence

    @property
    def word(self) -> str:
        return _POSSESSIVE.sub("", self.text).rstrip(".").lower()

    @property
    def name_end(self) -> int:
        """End offset without a possessive "'s" or a final full stop."""
        core = _POSSESSIVE.sub("", self.text)
        if core.endswith(".") and core.lower() not in TITLES:
            core = core[:-1]
        return self.start + len(core)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper() and not (len(self.text) > 1 and self.text.isupper())


def tokenize(text: str) -> list[Tok]:
    """Word tokens, each marked when it starts a sentence (capitals there mean little)."""
    toks: list[Tok] = []
    for m in _TOKEN.finditer(text):
        before = text[:m.start()].rstrip(" \t\"'“‘(")
        initial = not before or before[-1] in ".!?:;\n…-—"
        toks.append(Tok(m.start(), m.end(), m.group(), initial))
    return toks


def _is_plain_word(tok: Tok) -> bool:
    return tok.word in NOT_NAMES or tok.word in STATES_AND_COUNTRIES


def _could_be_name(tok: Tok) -> bool:
    """A capitalised token that is not a known non-name."""
    return tok.capitalised and not _is_plain_word(tok) and tok.word not in TITLES


def _known_parts(known_names: Iterable[str]) -> dict[str, bool]:
    """Speaker-label words to look for; value: match case-sensitively (name-words)."""
    parts: dict[str, bool] = {}
    for name in known_names:
        for tok in tokenize(name):
            word = tok.word
            if len(word) < 2 or word in TITLES or word in ROLE_LABELS or word in NOT_NAMES:
                continue
            parts[tok.text.rstrip(".")] = word in ambiguous_names()
    return parts


def _extend_surname(toks: list[Tok], i: int) -> int:
    """Index of the last token of a name starting at ``toks[i]`` ("Darnell Washington")."""
    j = i
    while (j + 1 < len(toks) and j - i < 2 and toks[j + 1].capitalised
           and not toks[j + 1].initial and _could_be_name(toks[j + 1])
           and toks[j + 1].start - toks[j].end == 1 and not toks[j].text.endswith(("'s", "’s"))):
        j += 1
    return j


def _name_word_in_context(toks: list[Tok], i: int) -> bool:
    """Is the name-word ``toks[i]`` ("Grace", "Will") used as a name here?"""
    tok = toks[i]
    if not tok.capitalised or (i > 0 and toks[i - 1].word in _PETS):
        return False
    prev = toks[i - 1].word if i > 0 else ""
    nxt = toks[i + 1].word if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2].word if i + 2 < len(toks) else ""
    if (nxt in SPEECH_VERBS and nxt != "and") or (nxt == "and" and nxt2 in {"i", "me"}):
        return True
    if _pair_before_relation(toks, i):
        return True
    if nxt in {"is", "was"} and nxt2 in {"my", "his", "her", "our", "their"}:
        return i + 3 < len(toks) and toks[i + 3].word.rstrip("'s") in RELATIONS
    if tok.initial:
        return False
    return prev not in _DETERMINERS and nxt != "of"


def person_candidates(text: str, known_names: Iterable[str] = ()) -> Iterator[Candidate]:
    """Every rule-based person-name candidate in ``text``."""
    toks = tokenize(text)
    known = _known_parts(known_names)
    ambiguous, given = ambiguous_names(), given_names()
    for i, tok in enumerate(toks):
        core = text[tok.start:tok.name_end]
        word = tok.word
        prev = toks[i - 1].word if i > 0 else ""
        if core in known or (core.lower() in {k.lower() for k, amb in known.items() if not amb}):
            yield Candidate(tok.start, tok.name_end, IdType.PERSON, 45)
            continue
        if _is_plain_word(tok) or (word in TITLES and tok.capitalised) or prev in _PETS:
            continue
        after_title = (prev in TITLES and i > 0 and toks[i - 1].capitalised
                       and not toks[i - 1].text.endswith(("'s", "’s")))
        after_relation = prev in RELATIONS and i > 0 and toks[i - 1].end <= tok.start
        named = prev in {"named", "called", "name's"} or (
            prev == "is" and i > 1 and toks[i - 2].word == "name")
        if tok.capitalised and (after_title or after_relation or named):
            yield _span(toks, i, 40)
        elif word in given and (tok.capitalised or len(word) >= 3 or prev in _LOWERCASE_CUES
                                or after_relation):
            yield _span(toks, i, 30) if tok.capitalised else Candidate(
                tok.start, tok.name_end, IdType.PERSON, 30)
        elif word in ambiguous and _name_word_in_context(toks, i):
            yield _span(toks, i, 30)
        elif tok.capitalised and word not in ambiguous and _before_speech_verb(toks, i):
            yield _span(toks, i, 32)


def _pair_before_relation(toks: list[Tok], i: int) -> bool:
    """ "Lakshmi and Venkat are my in-laws": both capitalised words are names."""
    words = [t.word for t in toks[i:i + 6]]
    if len(words) >= 5 and words[1] == "and" and toks[i + 2].capitalised:
        return words[3] in {"are", "were"} and words[4] in {"my", "his", "her", "our", "their"}
    if i >= 2 and toks[i - 1].word == "and" and toks[i - 2].capitalised and len(words) >= 3:
        return words[1] in {"are", "were"} and words[2] in {"my", "his", "her", "our", "their"}
    return False


def _before_speech_verb(toks: list[Tok], i: int) -> bool:
    """ "Sven says ...": an unknown capitalised word before a speech verb is a name."""
    if i + 1 >= len(toks):
        return False
    nxt = toks[i + 1].word
    if _pair_before_relation(toks, i) and not _is_plain_word(toks[i]):
        return True
    if toks[i].initial:  # sentence starts are capitalised anyway: "Being told", "Nobody said"
        return (nxt in {"said", "says", "texted", "thinks", "wants", "keeps"}
                and not toks[i].word.endswith(("ing", "ly", "ed", "one", "body")))
    return nxt in SPEECH_VERBS and nxt != "and"


def _span(toks: list[Tok], i: int, priority: int) -> Candidate:
    j = _extend_surname(toks, i)
    return Candidate(toks[i].start, toks[j].name_end, IdType.PERSON, priority)


def clean_ner_person(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a statistical-NER person span to the name, or reject it as a plain word."""
    toks = [t for t in tokenize(text) if t.start >= start and t.end <= end + 2]
    while toks and toks[0].word in TITLES:
        toks = toks[1:]
    if not toks or any(_is_plain_word(t) for t in toks):
        return None
    if not all(t.capitalised for t in toks):
        return None  # the small model tags lowercase words as names too often
    if len(toks) == 1:
        tok = toks[0]
        if tok.word in ambiguous_names():
            full = tokenize(text)
            idx = next(k for k, t in enumerate(full) if t.start == tok.start)
            if not _name_word_in_context(full, idx):
                return None
    return toks[0].start, toks[-1].name_end
