"""Businesses, regions, lone post codes, and places in caseless (speech-recogniser) text.

Where a person drinks, banks, shops and works identifies them as much as their street:
"Kessler Savings", "the Gresham Arms", "Tony's Slice House", "The Red Lion". So do regions
smaller than a state ("the Upper Peninsula", "the Berkshires", "the Wirral") and a ZIP or post
code said on its own ("anything in 94110", "here in LS6"). Speech recognisers write all of
these in lower case ("at greenleaf grocers", "in the cotswolds", "14 bellflower close"), where
the capital letters the written-text rules rely on are gone; the caseless rules here lean on
the head word ("grocers", "close"), the place cue before it ("at", "in") and the dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from rapport.deid.lexicon import (
    NOT_NAMES,
    RELATIONS,
    STATES_AND_COUNTRIES,
    TITLES,
    any_given_name,
    common_words,
    geonames_towns,
    towns,
    world_name_words,
)
from rapport.deid.spans import Candidate, IdType

#: Head words of business names: "Kessler Savings", "Pentre Motors", "Greenleaf Grocers".
BUSINESS_HEADS = (
    "bank", "savings", "credit union", "building society", "trust", "convenience", "motors",
    "auto", "auto repair", "repair", "repairs", "tire", "tires", "tyres", "dental", "grocers",
    "grocery", "groceries", "freight", "logistics", "cottages", "realty", "nails", "salon",
    "barbers", "barbershop", "books", "bookshop", "deli", "pizza", "pizzeria", "slice house",
    "arms", "lounge", "bar", "grill", "kitchen", "brewing", "brewery", "vapes", "cycles",
    "hardware", "fabrication", "steel", "insurance", "money transfer", "cleaners", "laundromat",
    "garage", "suites", "tea house", "coffee", "roasters", "montessori", "advice centre",
    "advice center", "tavern", "inn", "diner", "cafe", "café", "bakery", "pharmacy", "pub",
    "restaurant", "hotel", "motel", "market", "supermarket", "store", "stores", "shop",
    "boutique", "florist", "funeral home", "daycare", "nursery", "academy", "college",
    "university", "school", "elementary", "primary", "high school", "middle school",
    "hospital", "clinic", "medical center", "medical centre", "health center", "health centre",
    "church", "chapel", "mosque", "temple", "synagogue", "gurdwara", "library", "gym",
    "fitness", "center", "centre", "hall", "manor", "apartments", "towers", "estates",
    "warehouse", "plant", "mill", "factory", "farm", "ranch", "motors", "body works",
    "bodyworks", "plumbing", "electric", "construction", "landscaping", "storage", "rentals",
    "kennels", "vets", "veterinary", "fellowship", "ministries", "tabernacle", "baptist",
    "methodist", "lutheran", "presbyterian", "hospice", "rehab", "shelter", "prison", "jail",
    "park", "square", "plaza", "mall", "stadium", "arena", "zoo", "museum", "station",
    "airport", "cemetery", "lodge", "club", "casino", "cinema", "theatre", "theater")
#: Heads that name kinds of places people also talk about in general ("law school", "the
#: women's center", "convenience foods"): in caseless text they need a name word that is no
#: ordinary word ("at greystone university", "through harbourline bank").
WEAK_HEADS = frozenset({
    "bank", "trust", "convenience", "auto", "repair", "repairs", "books", "deli", "pizza",
    "bar", "kitchen", "coffee", "insurance", "garage", "suites", "market", "supermarket",
    "store", "stores", "shop", "college", "university", "school", "high school",
    "middle school", "primary", "center", "centre", "hall", "park", "square", "plaza", "mall",
    "station", "club", "farm", "ranch", "plant", "mill", "factory", "gym", "fitness",
    "library", "storage", "rentals", "electric", "construction", "church", "temple", "cinema",
    "theatre", "theater", "lodge", "inn", "cafe", "café", "pub", "restaurant", "hotel",
    "clinic", "hospital", "nursery", "daycare", "shelter", "rehab", "prison", "jail", "airport",
    "stadium", "arena", "zoo", "museum", "cemetery", "steel"})
#: Heads of regions smaller than a state: "the Outer Banks", "Hill Country", "the Panhandle".
REGION_HEADS = (
    "banks", "country", "panhandle", "peninsula", "coast", "shore", "lakes", "district",
    "empire", "delta", "highlands", "lowlands", "keys", "mountains", "range", "basin", "plains",
    "dales", "moors", "fens", "wolds", "valley", "hills", "heights", "islands", "forest",
    "downs", "riviera", "borders", "midlands", "peaks")
_CAP_HEADS = "|".join(sorted({h.title() for h in BUSINESS_HEADS + REGION_HEADS} | {
    "Credit Union", "Building Society"}, key=len, reverse=True))
_CAPWORD = r"(?:[A-Z][\w'’.-]*|&|and|of|on|at|the)"
#: Written text: capitalised words before a business or region head ("Lydgate Building
#: Society", "Sea Oats Cottages", "Outer Banks").
BUSINESS = re.compile(rf"(?<![\w-])[A-Z][\w'’.-]*(?:\s+{_CAPWORD}){{0,3}}?\s+(?:{_CAP_HEADS})"
                      r"(?![\w-])")
#: "at The Red Lion", "to The Dockside": a capital "The" mid-sentence opens a proper name.
THE_NAME = re.compile(r"(?<=[a-z,] )The\s+[A-Z][\w'’-]*(?:\s+(?:&|and|at|of|on)?\s*[A-Z][\w'’-]*)"
                      r"{0,3}")
#: "the Berkshires", "the Wirral", "the Kootenays": "the" and one capitalised word that is no
#: ordinary word, after a place cue.
_CUE = r"(?:in|to|from|up|down|around|near|across|through|on|visit|visiting|outside|into|of)"
THE_REGION = re.compile(rf"\b{_CUE}\s+the\s+(?P<v>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")
CAPE = re.compile(r"\bCape\s+[A-Z][a-z]+\b")
MOTORWAY = re.compile(r"\b(?:the|The)\s+(?P<v>[MA]\d{1,3})\b|\bthe\s+(?P<w>[ma]\d{1,3})\b")
#: A US ZIP code said on its own ("anything in 94110 is"); amounts and counts are not.
ZIP_ALONE = re.compile(r"(?<![\d$£€.,:/#-])\d{5}(?![\d,%:/-]|\.\d)")
_AMOUNT_AFTER = re.compile(r"\s*(?:dollars|bucks|pounds|euros|miles|steps|calories|people|"
                           r"views|followers|likes|hours|minutes|years|a year|per|k\b|grand|"
                           r"words|times|points|feet|square)", re.IGNORECASE)
#: A UK outward code after a place cue: "here in LS6", "flats in B29", "a club in L1".
OUTWARD = re.compile(r"\b(?i:in|near|around|from|to|of|round)\s+(?P<v>[A-Z]{1,2}\d{1,2}[A-Z]?)"
                     r"(?![\w-])|\b(?:in|near|around|from|round)\s+(?P<w>[a-z]{1,2}\d{1,2})(?![\w-])")
UK_POSTCODE_LOWER = re.compile(r"(?<![a-z0-9])[a-z]{1,2}\d[a-z\d]?\s\d[a-z]{2}(?![a-z0-9])")

#: Words before a head that make it generic ("the local bank", "a new gym").
_GENERIC = frozenset({
    "the", "a", "an", "my", "his", "her", "our", "their", "your", "this", "that", "these",
    "those", "local", "new", "old", "same", "other", "big", "small", "little", "nearest",
    "closest", "next", "main", "good", "bad", "whole", "nearby", "community", "public",
    "private", "food", "high", "middle", "elementary", "primary", "grocery", "corner",
    "gas", "police", "fire", "bus", "train", "one", "some", "any", "every", "no", "another",
    "first", "second", "last", "favorite", "favourite", "usual", "regular", "cheap", "nice",
    "dental", "medical", "mental", "health", "state", "county", "city", "town", "village",
    "of", "and", "at", "on", "in", "to", "is", "was", "it", "i", "we", "they", "he", "she",
    "you", "there", "here", "going", "went", "work", "working", "works", "home", "church",
    "school", "job", "day", "night", "car", "auto", "coffee", "pizza", "chinese", "mexican",
    "indian", "italian", "thai", "fast", "dollar", "pet", "book", "thrift", "charity", "vape",
    "liquor", "hardware", "tire", "nail", "hair", "shoe", "phone", "big-box", "outlet",
    "department", "drug", "convenience", "sports", "strip", "shopping", "super", "mega",
    "west", "east", "north", "south",
})
#: Words that end a business name's reach backwards: "every month through harbourline bank".
_FUNCTION = NOT_NAMES | frozenset({
    "through", "with", "from", "at", "to", "in", "on", "off", "by", "for", "of", "past",
    "across", "toward", "towards", "around", "into", "onto", "near", "behind", "over",
    "under", "after", "before", "during", "since", "until", "till", "every", "each", "all",
    "also", "very", "too", "more", "most", "much", "many", "few", "up", "down", "out", "about",
    "is", "are", "was", "were", "be", "been", "have", "has", "had", "do", "does", "did",
    "go", "went", "goes", "going", "called", "named", "like", "just", "still", "then"})
_LOWER_CUES = frozenset({"at", "to", "from", "in", "near", "outside", "behind", "into",
                         "through", "with", "by", "for", "of", "past", "across", "toward",
                         "towards", "around", "on", "off", "called", "down", "up", "over",
                         "out", "visit", "visiting"})
_STREET_HEADS = frozenset({"street", "st", "road", "rd", "avenue", "ave", "lane", "ln",
                           "drive", "dr", "boulevard", "blvd", "way", "court", "ct", "place",
                           "terrace", "close", "crescent", "parkway", "circle", "highway",
                           "row", "grove", "gardens"})
_WORD = re.compile(r"[a-z0-9][\w'’&.-]*")


def business_candidates(text: str) -> Iterator[Candidate]:
    """Businesses, regions and lone codes in written (cased) text."""
    for pattern, priority in ((BUSINESS, 40), (THE_NAME, 38), (CAPE, 42)):
        for m in pattern.finditer(text):
            start, end = m.span()
            while end > start and text[end - 1] in ".,'’":
                end -= 1
            words = text[start:end].split()
            if pattern is not THE_NAME and words[0].lower().rstrip(".,") in _NOT_START:
                continue
            yield Candidate(start, end, IdType.LOCATION, priority)
    for m in THE_REGION.finditer(text):
        words = m.group("v").lower().split()
        plural = words[-1].endswith("s") and words[-1][:-1] not in common_words()
        if all(w not in common_words() and w not in NOT_NAMES and w not in TITLES
               and w not in STATES_AND_COUNTRIES for w in words) or plural:
            yield Candidate(m.start("v"), m.end("v"), IdType.LOCATION, 37)
    yield from _code_candidates(text)


_NOT_START = NOT_NAMES | TITLES | frozenset({"the", "a", "an", "my", "our", "your", "his", "her",
                                             "their", "this", "that", "and", "but", "so",
                                             "we", "i", "yes", "no"})


def _code_candidates(text: str) -> Iterator[Candidate]:
    for m in ZIP_ALONE.finditer(text):
        if not _AMOUNT_AFTER.match(text, m.end()):
            yield Candidate(m.start(), m.end(), IdType.LOCATION, 44)
    for m in OUTWARD.finditer(text):
        group = "v" if m.group("v") else "w"
        yield Candidate(m.start(group), m.end(group), IdType.LOCATION, 44)
    for m in MOTORWAY.finditer(text):
        group = "v" if m.group("v") else "w"
        yield Candidate(m.start(group), m.end(group), IdType.LOCATION, 42)


@cache
def _lower_heads() -> tuple[frozenset[str], frozenset[str]]:
    """One-word and two-word heads, lower case."""
    heads = BUSINESS_HEADS + REGION_HEADS
    return (frozenset(h for h in heads if " " not in h),
            frozenset(h for h in heads if " " in h))


@cache
def _spoken_towns() -> frozenset[str]:
    """Towns that can be recognised in lower case with no cue: not words, not given names."""
    names = {t.lower() for t in towns()} | geonames_towns()
    return frozenset(t for t in names if t not in common_words() and t not in any_given_name()
                     and t not in world_name_words())


def spoken_place_candidates(text: str) -> Iterator[Candidate]:
    """Places in caseless text: businesses and regions by head word, streets and addresses,
    saints' places, possessive businesses after "at", known towns, lone codes."""
    if any(ch.isupper() for ch in text):
        return
    words = []
    for m in _WORD.finditer(text):
        word = m.group().rstrip(".,'’-")  # "pharmacy." ends a sentence, "insurance-" a false start
        if word:
            words.append((m.start(), m.start() + len(word), word.lower()))
    one, two = _lower_heads()
    for k, (_, _, word) in enumerate(words):
        pair = f"{word} {words[k + 1][2]}" if k + 1 < len(words) else ""
        if pair in two:
            yield from _named_head(words, k, k + 1, 36)
        elif word in one:
            yield from _named_head(words, k, k, 36)
        if word in _STREET_HEADS:
            yield from _street(words, k)
    yield from _saints_and_possessives(text)
    for m in CAPE_LOWER.finditer(text):
        yield Candidate(m.start(), m.end(), IdType.LOCATION, 42)
    for m in THE_REGION_LOWER.finditer(text):
        word = m.group("v")  # a plural no dictionary knows: "the berkshires", "the cotswolds"
        if (word not in common_words() and word[:-1] not in common_words()
                and word not in NOT_NAMES and word not in any_given_name()):
            yield Candidate(m.start("v"), m.end("v"), IdType.LOCATION, 37)
    yield from _towns_anywhere(words)
    yield from _code_candidates(text)
    for m in UK_POSTCODE_LOWER.finditer(text):
        yield Candidate(m.start(), m.end(), IdType.LOCATION, 45)


def _name_word(word: str) -> bool:
    """Can ``word`` be part of a business or region name ("pine", "greenleaf", "kessler")?"""
    return ("-" not in word and word not in _GENERIC and word not in _FUNCTION
            and word not in RELATIONS
            and word not in TITLES and not word.isdigit() and word not in STATES_AND_COUNTRIES)


def _named_head(words: list[tuple[int, int, str]], first_head: int, last_head: int,
                priority: int) -> Iterator[Candidate]:
    """ "at greenleaf grocers", "the westgate hotel", "the outer banks": one to three name
    words before the head, after a place cue. With "the" at least one of them must be no
    ordinary word ("the westgate hotel", not "the local bank"), unless it names a region."""
    k = first_head
    begin = k
    while begin > 0 and k - begin < 3 and _name_word(words[begin - 1][2]):
        begin -= 1
    if begin == k:
        head = " ".join(w for _, _, w in words[first_head:last_head + 1])
        if head in {"panhandle", "delta", "fens", "wolds", "dales"} and begin > 0 \
                and words[begin - 1][2] == "the":
            yield Candidate(words[first_head][0], words[last_head][1], IdType.LOCATION, 35)
        return
    before = words[begin - 1][2] if begin > 0 else ""
    article = before == "the"
    cue = words[begin - 2][2] if article and begin > 1 else before
    owned = words[begin][2].endswith(("'s", "’s")) and words[begin][2][:-2] not in RELATIONS
    if cue not in _LOWER_CUES and not (begin == 0 and not article) and not owned:
        return  # "khan's convenience" needs no cue
    names = [w.removesuffix("'s").removesuffix("’s") for _, _, w in words[begin:k]]
    head = " ".join(w for _, _, w in words[first_head:last_head + 1])
    region = head in REGION_HEADS
    if (article or head in WEAK_HEADS) and not region and all(
            w in common_words() or _is_number(w) for w in names):
        return
    if region and all(w in _GENERIC for w in names):
        return
    yield Candidate(words[begin][0], words[last_head][1], IdType.LOCATION, priority)


def _is_number(word: str) -> bool:
    return word in {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                    "ten", "twelve", "twenty", "hundred"}


def _street(words: list[tuple[int, int, str]], k: int) -> Iterator[Candidate]:
    """ "14 bellflower close", "on stockport road": name words before a street word."""
    begin = k
    while begin > 0 and k - begin < 3 and _name_word(words[begin - 1][2]):
        begin -= 1
    if begin == k:
        return
    before = words[begin - 1][2] if begin > 0 else ""
    if before.isdigit() and len(before) <= 5:
        yield Candidate(words[begin - 1][0], words[k][1], IdType.LOCATION, 44)
    elif before in {"on", "off", "at", "near", "along", "down", "up", "from", "to", "onto",
                    "past", "by", "of", "in"}:
        yield Candidate(words[begin][0], words[k][1], IdType.LOCATION, 42)


CAPE_LOWER = re.compile(r"\bcape\s+(?!and\b|of\b|or\b|the\b|is\b|was\b)[a-z]{3,}\b")
#: "up to the berkshires", "in the kootenays": "the" and a word no dictionary knows.
THE_REGION_LOWER = re.compile(r"\b(?:in|to|up|down|around|across|through|visit|visiting|from)"
                              r"\s+the\s+(?P<v>[a-z]{4,}s)\b")
_SAINT = re.compile(r"\b(?:st|saint)\.?\s+[a-z]+(?:['’]s)?(?![\w'’])")
_AT_POSSESSIVE = re.compile(r"\b(?:at|from|to|outside|behind)\s+(?P<v>[a-z][\w]*['’]s)(?![\w'’])")


def _saints_and_possessives(text: str) -> Iterator[Candidate]:
    for m in _SAINT.finditer(text):
        yield Candidate(m.start(), m.end(), IdType.LOCATION, 41)
    for m in _AT_POSSESSIVE.finditer(text):
        owner = m.group("v")[:-2]
        if owner not in RELATIONS and owner not in NOT_NAMES and owner not in common_words():
            yield Candidate(m.start("v"), m.end("v"), IdType.LOCATION, 35)


def _towns_anywhere(words: list[tuple[int, int, str]]) -> Iterator[Candidate]:
    """A known town that is no word and no given name, anywhere: "like pensacola"."""
    known = _spoken_towns()
    k = 0
    while k < len(words):
        for n in (3, 2, 1):
            if k + n <= len(words):
                phrase = " ".join(w for _, _, w in words[k:k + n])
                if phrase in known:
                    yield Candidate(words[k][0], words[k + n - 1][1], IdType.LOCATION, 33)
                    k += n - 1
                    break
        k += 1
