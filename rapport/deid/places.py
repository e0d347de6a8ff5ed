"""Places below state level: addresses, post codes, named facilities and towns.

States, provinces and countries are kept (Safe Harbor allows them). A town is recognised
from its shape in speech ("I live in Dayton", "we moved to Lubbock"), a facility from its
head word ("Lincoln Elementary", "St. Mary's Hospital"), an address from its street word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from itertools import pairwise

from rapport.deid.businesses import business_candidates, spoken_place_candidates
from rapport.deid.dates import MONTHS
from rapport.deid.lexicon import (
    NOT_NAMES,
    SPEECH_VERBS,
    STATES_AND_COUNTRIES,
    TITLES,
    ambiguous_names,
    any_given_name,
    census_given_names,
    common_words,
    geonames_towns,
    given_names,
    towns,
)
from rapport.deid.spans import Candidate, IdType

_CAP = r"[A-Z][\w'’.&-]*"
_CAPNUM = r"[A-Z0-9][\w'’.&-]*"
_STREET = (r"(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Dr\.?|Boulevard|Blvd\.?|"
           r"Way|Court|Ct\.?|Place|Pl\.?|Terrace|Close|Crescent|Parkway|Pkwy\.?|Circle|"
           r"Highway|Hwy\.?|Row|Grove|Gardens)")
_UNIT = r"(?:,?\s+(?:Apt\.?|Apartment|Unit|Suite|Flat|#)\s*[\w-]+)?"
ADDRESS = re.compile(
    rf"(?<![\w-])\d{{1,5}}[A-Z]?\s+(?:{_CAPNUM}\s+){{0,3}}{_STREET}(?![\w]){_UNIT}")
STREET = re.compile(
    r"(?<![\w-])(?:[A-Z][\w'’-]*\s+|\d+(?:st|nd|rd|th)\s+){1,3}"
    r"(?:Street|Road|Avenue|Lane|Drive|Boulevard|Way|Court|Terrace|Crescent|Parkway)(?!\w)")
ROUTE = re.compile(r"\b(?:Route|Highway|Hwy\.?|Interstate|I-)\s?\d{1,3}\b")
_FACILITY = (r"(?:Hospital|Clinic|Medical Center|Medical Centre|Health Center|Health Centre|"
             r"Behavioral Health|Behavioural Health|Elementary(?: School)?|Middle School|"
             r"High School|Primary School|School|Academy|College|University|Mall|Park|Square|"
             r"Church|Cathedral|Mosque|Synagogue|Temple|Center|Centre|Library|Prison|Jail|"
             r"Motel|Hotel|Inn|Airport|Station|Plaza|Heights|Village|County|Hospice|"
             r"River|Creek|Bay|Beach|Valley|Hills?|Lodge|Shelter|Market|Cemetery|Funeral Home|"
             r"Stadium|Arena|Zoo|Museum|Gym|Pharmacy|Pub|Tavern|Restaurant|Cafe|Café|Diner|"
             r"Bakery|Store|Supermarket|Institute|Hall|Apartments|Estates|Manor|Towers|Baptist|"
             r"Methodist|Lutheran|Presbyterian|Episcopal|Pentecostal|Chapel|Tabernacle|"
             r"Fellowship|Ministries|Rehab|Recovery Center|Treatment Center|Correctional)")
FACILITY = re.compile(rf"(?<![\w-])(?:St\.?\s+|Saint\s+)?(?:{_CAP}\s+){{1,3}}{_FACILITY}(?!\w)")
FACILITY_NUMBERED = re.compile(r"\b(?:Motel|Super|Studio|Days Inn|Station)\s+\d{1,3}\b")
LAKE = re.compile(rf"\b(?:Lake|Mount|Mt\.|Fort|Port|Lake of the)\s+{_CAP}(?:\s+{_CAP})?")
UK_POSTCODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![A-Za-z0-9])")
ZIP = re.compile(r"(?i:\b(?:zip|zipcode|zip code|postcode|postal code|post code)\b)"
                 r"(?:\s+(?:is|was|code|it's|:))*[\s:,]*(?P<v>\d{5}(?:-\d{4})?)\b"
                 r"|(?:,\s*[A-Z]{2}|\b(?:[A-Z][a-z]+))\s+(?P<w>\d{5}(?:-\d{4})?)\b")
_PLACE_CUE = (r"(?:in|from|to|near|outside|around|at|visit|visiting|towards|toward|leave|left|"
              r"into|between|and|through|past|across|via|on)")
CUED_PLACE = re.compile(
    rf"\b{_PLACE_CUE}\s+(?:the\s+)?(?P<v>{_CAP}(?:\s+{_CAP}){{0,2}}"
    rf"(?:\s+of\s+{_CAP}(?:\s+{_CAP})?)?)")
#: "St. Louis", "St Ives": a saint's name not after another capitalised word is a place.
SAINT_PLACE = re.compile(r"(?<![A-Z][a-z]\s)(?<![A-Z][a-z][a-z]\s)(?<![A-Z][a-z]{3}\s)"
                         r"(?<![A-Za-z])\bSt\.?\s+[A-Z][a-z]+(?:['’]s)?")
_LEADING = re.compile(r"^(?:The|A|An|My|Our|This|That)\s+")


def _cands(pattern: re.Pattern[str], text: str, priority: int,
           group: str | int = 0) -> Iterator[Candidate]:
    for m in pattern.finditer(text):
        start, end = m.span(group)
        if start < 0:
            continue
        while end > start and text[end - 1] in ".,'’":
            end -= 1  # sentence punctuation after a name is not part of it
        lead = _LEADING.match(text[start:end])
        if lead:
            start += lead.end()
        if start < end and not _starts_plainly(text[start:end]):
            yield Candidate(start, end, IdType.LOCATION, priority)


_FUNCTION_WORDS = frozenset({"i", "the", "a", "an", "my", "our", "this", "that", "and", "but",
                             "so", "then", "when", "we", "she", "he", "they", "you", "it", "if",
                             "yes", "no", "oh", "well", "okay", "ok", "because", "or"})


def _starts_plainly(phrase: str) -> bool:
    """A shaped match ("Good Samaritan Hospital") is rejected only for a function word."""
    first = phrase.split(maxsplit=1)[0].lower().rstrip(".,") if phrase.split() else ""
    return phrase.lower() in STATES_AND_COUNTRIES or first in _FUNCTION_WORDS


def _is_plain(phrase: str) -> bool:
    """States, countries and non-place words are not locations to remove."""
    words = phrase.lower().rstrip(".").split()
    if phrase.lower() in STATES_AND_COUNTRIES or (words and words[0].title() in MONTHS):
        return True
    return bool(words) and (words[0] in NOT_NAMES or words[0] in TITLES)


#: Cues after which a single given name is still a place ("in Florence", "outside Marion");
#: after the others ("from", "to", "near", "visit") it is a person ("never near Jake").
_PLACE_ONLY_CUES = frozenset({"in", "outside", "into", "through", "across", "via"})
_WEAK_CUES = frozenset({"to", "and", "between", "towards", "toward", "on"})
#: "unit 12", "apartment 4C", "my apartment is 4C": the flat is part of an address.
UNIT = re.compile(r"\b(?i:unit|apt\.?|apartment|flat|suite)(?:\s+(?:number|no\.?|is))*\s+#?"
                  r"(?P<v>\d{1,4}[A-Za-z]?|[A-Z]\d{0,3})\b")
_MOTION = frozenset({"moved", "move", "moving", "went", "go", "going", "goes", "drove", "drive",
                     "driving", "flew", "fly", "flying", "came", "come", "coming", "back", "trip",
                     "relocated", "commute", "way", "bus", "train", "ran", "walked",
                     "nurse", "work", "works", "worked", "working", "job", "shift", "staying",
                     "stayed", "live", "lives", "lived", "met", "shopping", "shop", "volunteer",
                     "bartend", "bartended", "waitress", "waited", "served", "cashier",
                     "clerk", "intern", "interned", "manager", "bouncer", "cook", "server",
                     "took", "take", "taken", "brought", "bring", "headed", "heading",
                     "walk", "transferred", "sent", "admitted", "flown", "driven"})
#: "at O'Malley's", "at Denny's": a capitalised possessive after "at" names a business.
_AT_POSSESSIVE = re.compile(r"\b[Aa]t\s+(?P<v>[A-Z][\w'’]*['’]s)(?!\w)")


@cache
def _hand_names() -> frozenset[str]:
    return given_names() | ambiguous_names()


@cache
def _people() -> frozenset[str]:
    """Every listed given name, words or not (a union of large sets: built once)."""
    return any_given_name() | ambiguous_names()


def _cued_places(text: str, ner_places: frozenset[tuple[int, int]]) -> Iterator[Candidate]:
    names = _hand_names()
    for m in CUED_PLACE.finditer(text):
        cue = m.group(0).split()[0].lower()
        before = text[:m.start()].split()
        prev = before[-1].lower().strip(",.") if before else ""
        if cue in _WEAK_CUES:
            agreed = any(s < m.end("v") and m.start("v") < e for s, e in ner_places)
            if not agreed and prev not in _MOTION and not (cue == "at" and prev in {
                    "works", "work", "worked", "working", "nurse", "job", "shift", "staying"}):
                continue
        phrase = re.split(r"(?<=[a-z'’])\.\s", m.group("v"))[0]
        words = phrase.split()
        # Stop at the first word that cannot be part of a place name ("to Canada Mark").
        keep: list[str] = []
        for w in words:
            bare = w.rstrip(".,'’s").lower()
            if bare in NOT_NAMES or bare in STATES_AND_COUNTRIES or bare in TITLES:
                break
            keep.append(w)
        if not keep:
            continue
        phrase = " ".join(keep).rstrip(".")
        possessive = phrase.endswith(("'s", "’s"))
        if possessive:
            phrase = phrase[:-2]
        first = phrase.split()[0].rstrip(".,").lower()
        if len(keep) == 1 and (first in names or first in census_given_names()) and (
                possessive or (cue not in _PLACE_ONLY_CUES and prev not in _MOTION)):
            continue  # "from Rosalyn", "in Omar's car": a person; "in Florence", "moved to
            # Austin": a place
        if phrase.isupper() and len(phrase) <= 3 and m.group(0).split()[0].lower() != "at":
            continue  # acronyms ("in CBT") except businesses after "at" ("at CVS")
        if _is_plain(phrase) or phrase.lower() in STATES_AND_COUNTRIES:
            continue
        yield Candidate(m.start("v"), m.start("v") + len(phrase), IdType.LOCATION, 34)


#: Speech-recogniser places are lower-case: "we moved to tallahassee", "she lives in leeds".
_LOWER_CUED = re.compile(r"(?<![\w-])(?P<cue>in|from|near|outside|around|to|into)\s+"
                         r"(?P<a>[a-z][a-z’'-]*[a-z])(?:\s+(?P<b>[a-z]+))?(?![\w’'])")
_LOWER_WEAK = frozenset({"to", "into"})


@cache
def _lower_towns() -> frozenset[str]:
    return frozenset(t.lower() for t in towns()) | geonames_towns()


def _lowercase_places(text: str) -> Iterator[Candidate]:
    """A lower-case known town, or a word no dictionary or name list knows, after a place cue
    ("in fresno", "from south philly"); after "to" only with a motion verb ("moved to")."""
    people = _people()
    for m in _LOWER_CUED.finditer(text):
        if m.group("cue") in _LOWER_WEAK:
            before = text[:m.start()].split()
            if not before or before[-1].lower().strip(",.") not in _MOTION:
                continue
        first, second = m.group("a"), m.group("b")
        # "hosting in edison": after "in" a given name is a town, unless it owns something
        # ("in priya's car") or speaks.
        if _stutter(first):
            continue  # "in the-the", "or-or", "sup-supporting": speech, not a place
        named_town = (m.group("cue") in {"in", "outside", "into"} and first in people
                      and first not in STATES_AND_COUNTRIES
                      and not first.endswith(("'s", "’s")) and first not in common_words()
                      and ((second or "") not in SPEECH_VERBS or second == "and"))
        if second and f"{first} {second}" in _lower_towns():
            yield Candidate(m.start("a"), m.end("b"), IdType.LOCATION, 33)
        elif named_town or (first in _lower_towns() and first not in common_words()) or (
                len(first) >= 4 and first.replace("-", "").isalpha()
                and first not in common_words()
                and first not in people and first not in NOT_NAMES
                and first not in STATES_AND_COUNTRIES):
            end = m.end("b") if second and second in _lower_towns() else m.end("a")
            yield Candidate(m.start("a"), end, IdType.LOCATION, 33)
        elif second and first in _COMPASS and (second in _lower_towns() or (
                second not in common_words() and second not in NOT_NAMES)):
            yield Candidate(m.start("a"), m.end("b"), IdType.LOCATION, 33)  # "in upper marlowe"


def _stutter(word: str) -> bool:
    """A hyphenated repeat or false start ("the-the", "sup-supporting"), or two ordinary
    words joined ("check-in")."""
    parts = [p for p in re.split(r"[-–]", word) if p]
    if len(parts) < 2:
        return False
    if any(b.startswith(a) for a, b in pairwise(parts)):
        return True
    return len(parts) == 2 and all(p in common_words() for p in parts)


_COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                      "southwest", "downtown", "uptown", "central", "upstate", "midtown",
                      "upper", "lower", "little", "great", "old", "new", "greater", "port",
                      "fort", "mount", "lake", "saint", "st"})


def place_candidates(text: str, ner_places: frozenset[tuple[int, int]] = frozenset(),
                     ) -> Iterator[Candidate]:
    """Every rule-based location candidate in ``text``.

    ``ner_places`` are the statistical model's place spans: a capitalised word after a weak
    cue ("to", "at", "and") counts as a place only when the model or a motion verb agrees.
    """
    yield from _cands(ADDRESS, text, 44)
    yield from _cands(STREET, text, 42)
    yield from _cands(ROUTE, text, 42)
    yield from _cands(FACILITY, text, 42)
    yield from _cands(FACILITY_NUMBERED, text, 42)
    yield from _cands(LAKE, text, 42)
    yield from _cands(UK_POSTCODE, text, 45)
    for m in ZIP.finditer(text):
        group = "v" if m.group("v") else "w"
        yield Candidate(m.start(group), m.end(group), IdType.LOCATION, 45)
    yield from _cued_places(text, ner_places)
    yield from _cands(UNIT, text, 41, "v")
    yield from _cands(SAINT_PLACE, text, 41)
    yield from _town_candidates(text)
    yield from _geonames_candidates(text)
    yield from _lowercase_places(text)
    for m in _AT_POSSESSIVE.finditer(text):
        yield Candidate(m.start("v"), m.end("v"), IdType.LOCATION, 35)
    if any(ch.isupper() for ch in text):
        yield from business_candidates(text)
    else:
        yield from spoken_place_candidates(text)


@cache
def _town_pattern() -> re.Pattern[str]:
    names = [re.escape(t) for t in towns() if t.lower() not in given_names()
             and t.lower() not in ambiguous_names()]
    return re.compile(r"(?<![\w-])(?:" + "|".join(names) + r")(?![\w-])")


#: A run of capitalised words: where a generated town name can start and end.
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:[ ][A-Z][\w'’.-]*){0,4}")


def _geonames_candidates(text: str) -> Iterator[Candidate]:
    """Towns from the generated GeoNames list, longest first within a capitalised run.

    Looked up word by word rather than as one huge regular expression, which would be slow.
    """
    known = geonames_towns()
    for run in _CAPITALISED_RUN.finditer(text):
        words = [(m.start() + run.start(), m.end() + run.start())
                 for m in re.finditer(r"\S+", run.group())]
        i = 0
        while i < len(words):
            for j in range(min(len(words), i + 4), i, -1):
                start, end = words[i][0], words[j - 1][1]
                while end > start and text[end - 1] in ".,'’":
                    end -= 1
                if text[start:end].lower() in known:
                    yield Candidate(start, end, IdType.LOCATION, 36)
                    i = j - 1
                    break
            i += 1


def _town_candidates(text: str) -> Iterator[Candidate]:
    """Known towns anywhere ("Atlanta area"); those that are also given names need a cue."""
    for m in _town_pattern().finditer(text):
        start = m.start() + 4 if m.group().startswith("the ") else m.start()
        yield Candidate(start, m.end(), IdType.LOCATION, 36)


def is_reportable_place(phrase: str) -> bool:
    """Filter for statistical-NER place spans: drop states, countries and plain words."""
    return not _is_plain(phrase) and phrase[:1].isupper()
