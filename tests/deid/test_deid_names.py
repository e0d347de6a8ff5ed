"""Names and places in new text: census lexicons, speech-recogniser (lower-case) names and
places, person frames, generated towns; and the ordinary words that must stay."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.deid import find_identifiers
from rapport.deid.lexicon import (
    NOT_NAMES,
    STATES_AND_COUNTRIES,
    ambiguous_names,
    census_given_names,
    census_name_words,
    common_words,
    geonames_towns,
    given_names,
    surnames,
    towns,
)


def found(text: str) -> list[tuple[str, str]]:
    return [(s.type.value, s.text) for s in find_identifiers(text)]


POSITIVES = [
    # census given names, in either case
    ("Rosalyn keeps asking about the kids.", "PERSON", "Rosalyn"),
    ("honestly marquita is the only one who gets it", "PERSON", "marquita"),
    # a lower-case name no list knows, in a person's frame
    ("my cousin chidinma is staying with us", "PERSON", "chidinma"),
    ("a guy called zeddy sold it to him", "PERSON", "zeddy"),
    ("me and okwudili went to the game", "PERSON", "okwudili"),
    ("my brother in law babatunde drove", "PERSON", "babatunde"),
    ("my boss chuck yelled at me", "PERSON", "chuck"),
    # an unknown capitalised word in a frame only people fill
    ("I told Ingibjorg everything.", "PERSON", "Ingibjorg"),
    ("Me and Tyrique fought again.", "PERSON", "Tyrique"),
    ("Oghenekaro's mom called the school.", "PERSON", "Oghenekaro"),
    ("Zebulun from group sent a card.", "PERSON", "Zebulun"),
    ("Joy from my old job reached out.", "PERSON", "Joy"),
    # a census surname alone, and titles in lower case
    ("Kowalski from HR called me in.", "PERSON", "Kowalski"),
    ("i saw mr. henderson at the store", "PERSON", "henderson"),
    ("dr. brown gave me some muscle relaxants", "PERSON", "brown"),
    # places: generated towns, lower-case places after a cue
    ("Kalamazoo was where it all started.", "LOCATION", "Kalamazoo"),
    ("we moved to tallahassee when i was twelve", "LOCATION", "tallahassee"),
    ("she lives in invercargill now", "LOCATION", "invercargill"),
    ("my mom still lives in south philly", "LOCATION", "south philly"),
    # a given name after a place cue: a place after "in" or a motion verb, else a person
    ("She lives in Florence now.", "LOCATION", "Florence"),
    ("We moved to Austin.", "LOCATION", "Austin"),
    ("I got a text from Rosalyn last night.", "PERSON", "Rosalyn"),
    ("I left it in Omar's car.", "PERSON", "Omar"),
]


@pytest.mark.parametrize(("text", "kind", "value"), POSITIVES)
def test_new_names_and_places_are_found(text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(text)


NEGATIVES = [
    "your mom's gonna help you out as well",
    "have you ever heard of something called tai chi",
    "it's called nicotinic stomatitis",
    "you know, just mature, et cetera, and i hate to see it",
    "i really don't want any stds and i don't like wondering",
    "I'm hungry and McDonald's is very convenient.",
    "I sold my Honda last month.",
    "I went to Puerto Rico for my cousin's wedding.",
    "not feeling confident around reading and writing",
    "my mom will call you tomorrow",
    "my dad may come to the next one",
    "I guess I'm hoping for some grace from them.",
    "That's the will of God, my mom would say.",
    "The bill from the hospital came today.",
    "There's hope from the start, I think.",
    "Somebody nearby is OD-ing and I get pinged.",
    "Uh-huh and I kind of go along.",
    "Anything else happening with Methamphetamine in your life?",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_words_in_name_frames_are_left_alone(text: str) -> None:
    assert found(text) == []


def test_name_words_are_names_only_in_a_names_context() -> None:
    assert ("PERSON", "Grace") in found("Grace from the office brought me soup.")
    assert found("I guess I'm hoping for some grace from them.") == []
    assert ("PERSON", "Will") in found("Will from work covered for me.")
    assert found("I will from now on, I promise.") == []


# Ordinary words that no name list holds: they must never become names after a relation.
_PLAIN = sorted(common_words() - given_names() - census_given_names() - census_name_words()
                - ambiguous_names() - surnames())
_TOWNS = {t.lower() for t in towns()} | geonames_towns()
_NAMES = sorted(n for n in census_given_names() - _TOWNS - NOT_NAMES - STATES_AND_COUNTRIES
                if n.isalpha())


@given(st.sampled_from(_PLAIN))
def test_an_ordinary_word_after_a_relation_is_not_a_name(word: str) -> None:
    text = f"my cousin {word} the"
    assert not [s for s in find_identifiers(text) if s.type.value == "PERSON"
                and s.text == word], text


@given(st.sampled_from(_NAMES))
def test_every_census_given_name_is_found_after_told(name: str) -> None:
    text = f"I told {name.title()} about it."
    assert any(s.type.value == "PERSON" and name.title() in s.text
               for s in find_identifiers(text)), text


def test_generated_lexicons_agree_with_each_other() -> None:
    """The builder's split by the dictionary holds in the committed files."""
    words = common_words()
    assert len(census_given_names()) > 4000 and len(surnames()) > 15000
    assert not (census_given_names() - given_names()) & words
    assert census_name_words() <= words
    assert not surnames() & words
    assert not {"will", "may", "hope", "grace", "bill", "frank", "mark"} & (
        census_given_names() | census_name_words())
    assert "penrith" in geonames_towns() and "mobile" not in geonames_towns()
