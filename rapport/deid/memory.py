"""The session's own knowledge: a name found once is a name everywhere in the session.

Once "my brother Siddharth" has been found, "Sid", "siddharth" and "SIDDHARTH" in any turn of
the same session are the same person, although no rule would find them alone. Short forms come
from the ``nicknames`` package (a hand-curated table of English given names and their
nicknames: "Margaret" - "Peggy") and from how short forms are made in many languages: the
start of the name ("Max", "Priya"), the start with a pet ending ("Lachie", "Iggy", "Wojtek"),
the end ("Seun" of Oluwaseun, "Lupe" of Guadalupe) or a long inner part ("Dami" of
Oluwadamilare). A short form that is an ordinary word ("Bill", "Art") counts only capitalised,
or in lower-case text in a name's frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache

from rapport.deid.lexicon import (
    NOT_NAMES,
    RELATIONS,
    SPEECH_VERBS,
    STATES_AND_COUNTRIES,
    TITLES,
    common_words,
    fold,
    world_name_words,
)
from rapport.deid.names import ROLE_LABELS, Tok, tokenize
from rapport.deid.spans import Candidate, IdType, Span

#: Pet-name endings added to the start of a name: "Lachie", "Iggy", "Josie", "Ishu", "Wojtek".
_PET_ENDINGS = ("tek", "ek", "ie", "ey", "ee", "y", "i", "u", "o", "s")
#: Found names: below the speaker names (45) and addresses, above the place rules a name
#: might also fit ("Florence").
FOUND_PRIORITY = 41
SHORT_PRIORITY = 39
_DETERMINERS = frozenset({"the", "a", "an", "this", "that", "some", "any", "no", "every",
                          "of", "your", "my", "his", "her", "our", "their"})
_FRAME_AFTER = SPEECH_VERBS | frozenset({"is", "was", "has", "had", "and", "did", "does",
                                         "got", "never", "always", "just", "still", "too"})


@cache
def _nicknamer() -> object | None:
    try:
        from nicknames import NickNamer
    except ImportError:  # an optional extra: without it only the derived short forms work
        return None
    return NickNamer()


def related_names(name: str) -> frozenset[str]:
    """Nicknames of ``name`` and the names it is a nickname of (folded)."""
    namer = _nicknamer()
    if namer is None:
        return frozenset()
    related = set(namer.nicknames_of(name)) | set(namer.canonicals_of(name))  # type: ignore[attr-defined]
    return frozenset(fold(n) for n in related)


def _is_plain(word: str) -> bool:
    return (word in NOT_NAMES or word in TITLES or word in RELATIONS or word in ROLE_LABELS
            or word in STATES_AND_COUNTRIES)


def is_short_form(short: str, name: str) -> bool:
    """Is ``short`` a short form of ``name`` by its letters? Both folded."""
    if len(short) < 3 or len(name) < len(short) + 2:
        return False
    if name.startswith(short) or name.endswith(short) or (len(short) >= 4 and short in name):
        return True
    for ending in _PET_ENDINGS:
        stem = short.removesuffix(ending)
        if stem == short or len(stem) < 2:
            continue
        if len(stem) >= 3 and stem[-1] == stem[-2]:
            stem = stem[:-1]  # "Winnie" -> "win", "Iggy" -> "ig"
        if len(stem) >= 2 and name.startswith(stem) and (len(stem) >= 3 or len(short) >= 4):
            return True
    return False


@dataclass
class SessionNames:
    """The people named in one session: their words, and which short forms belong to whom."""

    names: set[str] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, found: Iterable[Sequence[Span]], known_names: Iterable[str] = ()
              ) -> SessionNames:
        words: list[str] = []
        for name in known_names:
            words.extend(t.word for t in tokenize(name))
        for spans in found:
            words.extend(t.word for s in spans if s.type is IdType.PERSON
                         for t in tokenize(s.text))
        book = cls()
        for raw in words:
            word = fold(raw).rstrip(".")
            if len(word) >= 2 and not _is_plain(word) and (
                    word not in common_words() or word in world_name_words()):
                book.names.add(word)
        for name in sorted(book.names, key=len, reverse=True):
            for other in related_names(name):
                book.aliases.setdefault(other, name)
        return book

    def owner(self, word: str) -> str | None:
        """The session name that ``word`` (folded) is a short form of, or is ("Sid" after
        "Siddharth" belongs to Siddharth even though "Sid" was found too)."""
        if word in self.aliases and self.aliases[word] != word:
            return self.aliases[word]
        longer = next((n for n in sorted(self.names, key=len, reverse=True)
                       if n != word and is_short_form(word, n)), None)
        if longer is not None:
            return longer
        return word if word in self.names else None

    def candidates(self, text: str) -> Iterator[Candidate]:
        """Every word of ``text`` that is a session name or one of its short forms."""
        if not self.names:
            return
        toks = tokenize(text)
        caseless = not any(ch.isupper() for ch in text)
        for i, tok in enumerate(toks):
            word = fold(tok.word)
            if len(word) < 2 or _is_plain(word):
                continue
            owner = self.owner(word)
            if owner is None or not self._fits(toks, i, word, caseless):
                continue
            exact = word in self.names
            end = tok.name_end
            yield Candidate(tok.start, end, IdType.PERSON,
                            FOUND_PRIORITY if exact else SHORT_PRIORITY)

    def _fits(self, toks: list[Tok], i: int, word: str, caseless: bool) -> bool:
        """Case and context allow ``toks[i]`` to be the name here."""
        tok = toks[i]
        prev = toks[i - 1].word if i > 0 else ""
        wordlike = word in common_words() or word in world_name_words()
        if not wordlike:
            return tok.capitalised or caseless or tok.text.islower()
        if prev in _DETERMINERS:
            return False
        if tok.capitalised:
            return True  # "Faith moved out", "I told Bill"
        if not caseless:
            return False
        nxt = toks[i + 1].word if i + 1 < len(toks) else ""
        return prev in RELATIONS or prev in TITLES or nxt in _FRAME_AFTER


#: "Raelynn and Bexley": a word joined to a found name by "and" is a name too, even where a
#: place rule had it (Bexley is also a London borough).
COORDINATED_PRIORITY = 38
_JOINERS = frozenset({"and", "&", "or"})


def coordinated_names(text: str, spans: Sequence[Span]) -> Iterator[Candidate]:
    """Words joined by "and" to a person found in ``text``: "Raelynn and Bexley"."""
    people = [s for s in spans if s.type is IdType.PERSON]
    if not people:
        return
    toks = tokenize(text)
    caseless = not any(ch.isupper() for ch in text)
    starts = {s.start for s in people}
    ends = {s.end for s in people}
    for i, tok in enumerate(toks):
        word = fold(tok.word)
        if (_is_plain(word) or len(word) < 3 or not word.isalpha()
                or (not tok.capitalised and not caseless)):
            continue  # "As and Bs", "with donna, and you'd have"
        if word in common_words() and (caseless or word not in world_name_words()):
            continue
        before = (i >= 2 and toks[i - 1].word in _JOINERS and toks[i - 2].name_end in ends
                  and "," not in toks[i - 2].gap)
        after = (i + 2 < len(toks) and toks[i + 1].word in _JOINERS
                 and toks[i + 2].start in starts and "," not in tok.gap)
        if before or after:
            yield Candidate(tok.start, tok.name_end, IdType.PERSON, COORDINATED_PRIORITY)
