"""Person names in counselling speech.

spaCy's small model misses most names in conversational text, so names are also found from
the session's own speaker labels, titles ("Dr. Patel"), relations ("my sister Jenna"),
speech verbs ("Sven says"), a hand list of given names of many origins and the US Census
given-name and surname lists. Given names that are also ordinary words ("Hope", "Will",
"Grace", "May") count only in a name's context, so "I have hope" and "May I ask" stay as they
are. A lower-case word that no dictionary knows counts in a person's frame ("my cousin
thandiwe", "me and dmitri"): that is how speech recognisers write unfamiliar names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapport.deid.lexicon import (
    BUSINESSES,
    NOT_NAMES,
    RELATIONS,
    SPEECH_VERBS,
    STATES_AND_COUNTRIES,
    TITLES,
    ambiguous_names,
    any_given_name,
    census_given_names,
    common_words,
    fold,
    given_names,
    surnames,
    world_given_names,
    world_name_words,
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
_COLOURS = frozenset({"red", "blue", "white", "black", "silver", "grey", "gray", "green",
                      "gold", "old", "new", "used"})
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
    gap: str = ""  # what stands between this word and the next ("," in "Rose, his wife")

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
    matches = list(_TOKEN.finditer(text))
    for k, m in enumerate(matches):
        before = text[:m.start()].rstrip(" \t\"'“‘(")
        initial = not before or before[-1] in ".!?:;\n…-—"
        gap = text[m.end():matches[k + 1].start()] if k + 1 < len(matches) else text[m.end():]
        toks.append(Tok(m.start(), m.end(), m.group(), initial, gap))
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
    if not tok.capitalised or (i > 0 and toks[i - 1].word in _PETS | _COLOURS):
        return False  # "my dog Max", "a red Ford"
    prev = toks[i - 1].word if i > 0 else ""
    nxt = toks[i + 1].word if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2].word if i + 2 < len(toks) else ""
    if ((nxt in SPEECH_VERBS and nxt != "and") or (nxt == "and" and nxt2 in {"i", "me"})
            or _from_somewhere(toks, i) or _pair_before_relation(toks, i)
            or _apposition(toks, i)):
        return True
    if nxt in {"is", "was"} and nxt2 in {"my", "his", "her", "our", "their"}:
        return i + 3 < len(toks) and toks[i + 3].word.rstrip("'s") in RELATIONS
    if i > 0 and "," in toks[i - 1].gap and tok.gap.strip()[:1] in {"?", ".", "!"}:
        return True  # a vocative: "what do you need next, Billy?"
    if tok.initial:
        return False
    return prev not in _DETERMINERS and nxt != "of"


_POSSESSIVES = frozenset({"my", "his", "her", "our", "their", "your"})


def _apposition(toks: list[Tok], i: int) -> bool:
    """ "Rose, his second wife", "Onyx, my son's dad": a name glossed by a relation."""
    if "," not in toks[i].gap or i + 2 >= len(toks) or toks[i + 1].word not in _POSSESSIVES:
        return False
    return any(t.word in RELATIONS for t in toks[i + 2:i + 5])


#: Months that are never given names, in any case ("in september").
_CLEAR_MONTHS = frozenset({"january", "february", "september", "october", "november",
                           "december", "july"})
#: Verbs after a name at the start of lower-case speech: "maverick kept kicking my chair".
_LOWER_SUBJECT_VERBS = frozenset({"said", "says", "told", "tells", "texted", "asked", "asks",
                                  "yelled", "screamed", "kept", "keeps", "wants", "wanted",
                                  "thinks", "thought"})


def _lower_name_word(toks: list[Tok], i: int) -> bool:
    """A lower-case name-word ("joy", "maverick") used as a name in caseless speech: after
    "her name is" or "named", or opening a clause before a speech verb."""
    prev = toks[i - 1].word if i > 0 else ""
    nxt = toks[i + 1].word if i + 1 < len(toks) else ""
    if _named(toks, i) and prev != "called":
        return True
    return (i == 0 or prev in {"and", "then", "so", "but"}) and nxt in _LOWER_SUBJECT_VERBS


def person_candidates(text: str, known_names: Iterable[str] = ()) -> Iterator[Candidate]:
    """Every rule-based person-name candidate in ``text``."""
    toks = tokenize(text)
    known = _known_parts(known_names)
    caseless = not any(ch.isupper() for ch in text)
    known_lower = {k.lower() for k, amb in known.items() if not amb or caseless}
    for i, tok in enumerate(toks):
        core = text[tok.start:tok.name_end]
        prev = toks[i - 1].word if i > 0 else ""
        if core in known or (core.lower() in known_lower
                             and (not caseless or prev not in _DETERMINERS | _POSSESSIVES)):
            yield Candidate(tok.start, tok.name_end, IdType.PERSON, 45)
        elif not _never_a_name(toks, i):
            found = (_cued_name(toks, i) or _listed_name(toks, i, caseless)
                     or _framed_name(toks, i))
            if found is not None:
                yield found


def _never_a_name(toks: list[Tok], i: int) -> bool:
    tok, prev = toks[i], (toks[i - 1].word if i > 0 else "")
    return (_is_plain_word(tok) or (tok.word in TITLES and tok.capitalised) or prev in _PETS
            or tok.word in _CLEAR_MONTHS
            or tok.text.lower().replace("’", "'") in BUSINESSES
            or _in_place_name(toks, i) or prev in {"st", "saint"})


def _named(toks: list[Tok], i: int) -> bool:
    """After "named", "called", "name's" or "name is"."""
    prev = toks[i - 1].word if i > 0 else ""
    return prev in {"named", "called", "name's"} or (
        prev == "is" and i > 1 and toks[i - 2].word == "name")


def _cued_name(toks: list[Tok], i: int) -> Candidate | None:
    """A word after a title, a relation or "named": "Dr. Patel", "my sister Jenna"."""
    tok, prev = toks[i], (toks[i - 1].word if i > 0 else "")
    after_title = (prev in TITLES and toks[i - 1].capitalised
                   and not toks[i - 1].text.endswith(("'s", "’s")))
    if tok.capitalised and (after_title or _after_relation(toks, i) or _named(toks, i)):
        return _span(toks, i, 40)
    if prev in _PLAIN_TITLES and tok.word not in SPEECH_VERBS and tok.text.isalpha():
        return _span(toks, i, 40)  # "mr. johnson", "dr. smith" from a speech recogniser
    return None


#: Name-words that are also verbs or modals: after a relation noun they are the verb ("my mom
#: will call", "my sister drew it") unless a subject's verb follows ("my uncle bill said").
_VERB_NAME_WORDS = frozenset({"will", "may", "can", "drew", "rose", "mark", "bill", "chase",
                              "hope", "grant", "rob", "sue", "pat", "jack", "wade", "guy",
                              "miles", "reed", "read", "lance", "rush", "trust", "raven",
                              "hunter", "cash", "clay", "crystal", "dawn", "sky", "ivy",
                              "summer", "winter", "autumn", "june", "april", "august"})
_SUBJECT_VERBS = SPEECH_VERBS | frozenset({"is", "was", "has", "had", "does", "did", "got",
                                           "gets", "never", "always", "just", "still"})


def _lower_name_allowed(word: str, prev: str, after_relation: bool) -> bool:
    """Is a lower-case listed given name (not an ordinary word) a name here? Short and rare
    names need a cue; the frequent ones of four letters or more stand on their own."""
    if word in given_names():
        return len(word) >= 3 or prev in _LOWERCASE_CUES or after_relation
    count = world_given_names().get(word, 0)
    if word in census_given_names() or count >= 300 or (count >= 50 and len(word) >= 5):
        return len(word) >= 4 or after_relation or (prev in _PERSON_VERBS and prev != "called")
    return count > 0 and (after_relation or prev in _LOWERCASE_CUES)


def _listed_name(toks: list[Tok], i: int, caseless: bool = False) -> Candidate | None:
    """A word from the given-name lists, where its case and context allow."""
    tok, word = toks[i], fold(toks[i].word)
    prev = toks[i - 1].word if i > 0 else ""
    after_relation = _after_relation(toks, i)
    if word in any_given_name() and (tok.capitalised
                                     or _lower_name_allowed(word, prev, after_relation)):
        priority = 30 if word in given_names() else 29
        return _span(toks, i, priority) if tok.capitalised else _word(tok, priority)
    if word in world_name_words():
        if _name_word_in_context(toks, i):
            return _span(toks, i, 30)
        nxt = toks[i + 1].word if i + 1 < len(toks) else ""
        if not tok.capitalised and after_relation and (
                word not in _VERB_NAME_WORDS or nxt in _SUBJECT_VERBS):
            return _word(tok, 29)  # "my uncle chuck", "my mom amber", "my uncle bill said"
        if caseless and _lower_name_word(toks, i):
            return _word(tok, 29)
    return None


def _framed_name(toks: list[Tok], i: int) -> Candidate | None:
    """An unlisted word in a frame only names fill: "Sven says", "my cousin thandiwe"."""
    tok = toks[i]
    if tok.capitalised and tok.word not in world_name_words() and _before_speech_verb(toks, i):
        return _span(toks, i, 32)
    if not tok.capitalised and _unknown_lowercase_name(toks, i, _after_relation(toks, i) or (
            _named(toks, i) and toks[i - 1].word != "called") or _called_person(toks, i)):
        return _word(tok, 28)
    if tok.capitalised and _capitalised_in_person_frame(toks, i):
        return _span(toks, i, 27)
    if tok.capitalised and tok.word in surnames() and _surname_here(toks, i):
        return _span(toks, i, 19)  # below every place recogniser: "Houston" is a town too
    return None


def _word(tok: Tok, priority: int) -> Candidate:
    return Candidate(tok.start, tok.name_end, IdType.PERSON, priority)


def _in_place_name(toks: list[Tok], i: int) -> bool:
    """Part of a two-word state or country ("Puerto Rico", "Costa Rica", "New Jersey")."""
    word = toks[i].word
    before = f"{toks[i - 1].word} {word}" if i > 0 else ""
    after = f"{word} {toks[i + 1].word}" if i + 1 < len(toks) else ""
    return before in STATES_AND_COUNTRIES or after in STATES_AND_COUNTRIES


#: Titles that are never ordinary words, so they mark a name in lower case too.
_PLAIN_TITLES = frozenset({"mr", "mrs", "ms", "dr", "mx"})


#: Lower-case relation nouns written as two words by speech recognisers: "brother in law".
_IN_LAW = frozenset({"mother", "father", "sister", "brother", "son", "daughter"})


def _after_relation(toks: list[Tok], i: int) -> bool:
    """Directly after a relation noun: "my sister Jenna", "my brother in law hamid"."""
    if i == 0 or toks[i - 1].end > toks[i].start:
        return False
    if toks[i - 1].text.lower().endswith(("'s", "’s")):
        return False  # "your mom's gonna help": the relation is the subject, not a label
    if toks[i - 1].word in RELATIONS:
        return True
    return (i >= 3 and toks[i - 1].word == "law" and toks[i - 2].word == "in"
            and toks[i - 3].word in _IN_LAW)


def _is_unknown_word(tok: Tok) -> bool:
    """Lower-case, alphabetic and not an ordinary English word: a name or a place."""
    word = tok.word
    return (tok.text.isalpha() and tok.text.islower() and len(word) >= 3
            and word not in common_words() and word not in NOT_NAMES
            and word not in RELATIONS and word not in TITLES
            and word not in world_name_words())


#: "a guy called dre": "called" names a person only after a person noun ("it's called tai chi").
_PERSON_NOUNS = frozenset({"guy", "girl", "woman", "man", "boy", "kid", "lady", "dude",
                           "someone", "somebody", "person", "friend", "fella", "chick"})


def _called_person(toks: list[Tok], i: int) -> bool:
    return i >= 2 and toks[i - 1].word == "called" and toks[i - 2].word in _PERSON_NOUNS


def _joined(toks: list[Tok], i: int, text_between: str = " ") -> bool:
    """``toks[i]`` and ``toks[i + 1]`` are separated by one space only (no comma or pause)."""
    return i + 1 < len(toks) and toks[i + 1].start - toks[i].end == len(text_between)


def _unknown_lowercase_name(toks: list[Tok], i: int, cued: bool) -> bool:
    """A lower-case word no dictionary knows, in a person's frame: "my cousin thandiwe",
    "a guy named dre", "me and dmitri", "and then priya was like", "bongani said"."""
    if not _is_unknown_word(toks[i]):
        return False
    prev = toks[i - 1].word if i > 0 else ""
    prev2 = toks[i - 2].word if i > 1 else ""
    nxt = toks[i + 1].word if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2].word if i + 2 < len(toks) else ""
    if cued or (prev == "and" and prev2 == "me"):
        return True
    if prev in _DETERMINERS or prev in {"et", "etc"} or not _joined(toks, i):
        return False  # "any stds and i", "et cetera, and i", "a bit winded, and i"
    return ((nxt == "and" and nxt2 in {"i", "me"}) or (nxt in SPEECH_VERBS and nxt != "and")
            or (nxt in {"was", "is"} and nxt2 == "like"))


#: Nouns after a possessive name that show it is a person's: "Kwame's mom", "Dawn's death".
_PERSONAL_NOUNS = RELATIONS | frozenset({
    "birthday", "funeral", "death", "wedding", "house", "place", "room", "phone", "car",
    "family", "parents", "party", "number", "grave", "memorial", "name", "baby", "idea"})


def _capitalised_in_person_frame(toks: list[Tok], i: int) -> bool:
    """An unknown capitalised word in a frame only people fill: "Me and Tavon", "Tavon and I",
    "Kwame's mom", "X from work"."""
    tok = toks[i]
    if (tok.word in common_words() or tok.word in world_name_words()
            or not _NAME_SHAPE.fullmatch(_POSSESSIVE.sub("", tok.text))):
        return False
    prev = toks[i - 1].word if i > 0 else ""
    prev2 = toks[i - 2].word if i > 1 else ""
    nxt = toks[i + 1].word if i + 1 < len(toks) else ""
    nxt2 = toks[i + 2].word if i + 2 < len(toks) else ""
    possessive = tok.text.endswith(("'s", "’s")) and nxt in _PERSONAL_NOUNS
    after_verb = prev in _PERSON_VERBS and not tok.initial
    return (possessive or after_verb or (prev == "and" and prev2 == "me") or (
        nxt == "and" and nxt2 in {"i", "me"}) or _from_somewhere(toks, i)
        or (_apposition(toks, i) and not tok.initial))


#: Verbs whose object is a person: "I told Cormac" ("with" is not one: "with Methadone").
_PERSON_VERBS = frozenset({
    "told", "tell", "tells", "ask", "asked", "texted", "text", "called", "saw", "met", "meet",
    "miss", "missed", "married", "marry", "dating", "dated", "hugged", "blame", "blamed",
    "trust", "trusted", "thanked", "forgive", "forgave", "dumped", "unfriended",
    "blocked", "messaged", "emailed", "phoned", "visited", "kissed", "punched"})
#: "Joy from my old job", "Grace from the office", "Bongani from group": the name of a person
#: one knows from somewhere.
_FROM_PLACES = frozenset({"work", "group", "school", "church", "hr", "accounting", "class",
                          "aa", "na", "rehab", "next", "upstairs", "downstairs", "therapy",
                          "treatment", "college", "home", "youth", "temple", "mosque"})
_FROM_NOUNS = frozenset({"office", "job", "old", "group", "gym", "church", "school", "team",
                         "shelter", "unit", "program", "programme", "building", "floor",
                         "ward", "clinic", "meeting", "neighborhood", "neighbourhood", "block",
                         "class", "choir", "mosque", "temple", "shop", "store", "daycare",
                         "center", "centre", "hospital", "agency", "department", "union"})


def _from_somewhere(toks: list[Tok], i: int) -> bool:
    words = [t.word for t in toks[i + 1:i + 4]]
    if len(words) < 2 or words[0] != "from":
        return False
    if words[1] in _FROM_PLACES:
        return True
    return (words[1] in {"the", "my", "our", "his", "her", "their"} and len(words) == 3
            and words[2] in _FROM_NOUNS)


#: "Tavon", "O'Neill", "Abernathy-Cole"; not "OD-ing" or "Uh-huh".
_NAME_SHAPE = re.compile(r"[^\W\d_][^\W\d_A-Z]*(?:['’-][^\W\d_a-z][^\W\d_A-Z]*)*")


def _surname_here(toks: list[Tok], i: int) -> bool:
    """A capitalised census surname counts unless an article or "of" puts it in a name of a
    thing ("the Kroger", "Bank of Ramirez")."""
    prev = toks[i - 1].word if i > 0 else ""
    return prev not in _DETERMINERS and prev not in {"at", "to", "on"}


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
