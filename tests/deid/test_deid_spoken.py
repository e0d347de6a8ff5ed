"""Issue-19 recognisers: businesses, regions, lone codes, keyword-less numbers and handles,
day-of-month, and text written as speech recognisers write it (lower case or all capitals)."""

from __future__ import annotations

import pytest

from rapport.deid import find_identifiers
from rapport.deid.finder import caseless_view


def found(text: str, known: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    return [(s.type.value, s.text) for s in find_identifiers(text, known_names=known)]


POSITIVES = [
    ("I'm a teller at Copperline Savings now.", "LOCATION", "Copperline Savings"),
    ("He drinks at The Anchor & Crown after work.", "LOCATION", "The Anchor & Crown"),
    ("We drove down the Outer Banks last spring.", "LOCATION", "Outer Banks"),
    ("We went up to the Berkshires for a week.", "LOCATION", "Berkshires"),
    ("Anything in 60629 is cheaper than here.", "LOCATION", "60629"),
    ("Here in LS6 it's students all night.", "LOCATION", "LS6"),
    ("i work at greenleaf grocers in woolwich", "LOCATION", "greenleaf grocers"),
    ("he lives at 14 bellflower close now", "LOCATION", "14 bellflower close"),
    ("good we went out to cape cod", "LOCATION", "cape cod"),
    ("we're up in the cotswolds most weekends", "LOCATION", "cotswolds"),
    ("The top one says CF-2024-118734 and I don't know why.", "ID", "CF-2024-118734"),
    ("they kept reading back hlb7734021 to me", "ID", "hlb7734021"),
    ("Her main is brookieee.xo and she follows it.", "HANDLE", "brookieee.xo"),
    ("i'm QuietFox_77 on there", "HANDLE", "QuietFox_77"),
    ("The worst night was the 12th.", "DATE", "12th"),
    ("The 15th, for Diwali.", "DATE", "15th"),
    ("i haven't seen her since may 2022", "DATE", "may 2022"),
    ("she started there in september", "DATE", "september"),
    ("my new job starts on the first at the depot", "DATE", "first"),
    ("the plate was rkt 482 i think", "PLATE", "rkt 482"),
    ("MY DAD VIKRAM WANTS ME HOME", "PERSON", "VIKRAM"),
    ("mama says my cousin raghav is coming", "PERSON", "raghav"),
    ("Wrecked. Ciarán has the flu.", "PERSON", "Ciarán"),
    ("Rose, his second wife, didn't come.", "PERSON", "Rose"),
    ("her name is joy and she's the nurse", "PERSON", "joy"),
]


@pytest.mark.parametrize(("text", "kind", "value"), POSITIVES)
def test_each_new_kind_is_found(text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(text)


NEGATIVES = [
    "I went to the local bank and the grocery store.",
    "she wants to get into law school",
    "It cost 45000 dollars and took 10000 steps.",
    "things are going fine.well, you know",
    "See you at 3 p.m. on Tuesday.",
    "It was the 2nd time this week, on the first day.",
    "you may be right about that",
    "this may be hard to hear",
    "we go to the-the fairs and-and stuff",
    "I have hope, and faith in God.",
    "i will try i promise",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_look_alikes_stay(text: str) -> None:
    assert found(text) == []


def test_all_capitals_are_read_in_lower_case_with_offsets_kept() -> None:
    text = "MY SISTER ISHA KNOWS. THE LEASE STARTS ON THE 1ST."
    assert caseless_view(text) == text.lower()
    assert caseless_view("Mixed Case stays") == "Mixed Case stays"
    assert found(text) == [("PERSON", "ISHA"), ("DATE", "1ST")]


def test_a_speaker_name_matches_in_caseless_speech_but_not_after_a_determiner() -> None:
    assert found("destiny how's the new place", ("Dr. Castro", "Destiny")) == [
        ("PERSON", "destiny")]
    assert found("i guess it's my destiny", ("Dr. Castro", "Destiny")) == []
