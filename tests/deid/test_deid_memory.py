"""The session's own knowledge: a name found once is found everywhere, with its short forms."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rapport.deid import deidentify_session, find_identifiers_session
from rapport.deid.memory import SessionNames, is_short_form
from rapport.domain import Session


def people(texts: list[str], known: tuple[str, ...] = ()) -> list[list[str]]:
    return [[s.text for s in spans if s.type.value == "PERSON"]
            for spans in find_identifiers_session(texts, known_names=known)]


def test_a_name_found_in_one_turn_is_found_in_every_turn_in_any_case() -> None:
    texts = ["My brother Siddharth flew in on Friday.",
             "honestly siddharth never listens",
             "WHY DOES SIDDHARTH ALWAYS DO THIS",
             "Sid keeps saying we should move."]
    assert people(texts) == [["Siddharth"], ["siddharth"], ["SIDDHARTH"], ["Sid"]]


def test_nicknames_from_the_nicknames_table_and_from_the_name_itself() -> None:
    texts = ["My sister Margaret runs the choir.", "Peggy is a force of nature.",
             "My daughter Oluwadamilare moved out.", "Dami won't speak to me.",
             "Grandma Winifred is in a home.", "Winnie hates it there."]
    assert people(texts) == [["Margaret"], ["Peggy"], ["Oluwadamilare"], ["Dami"],
                             ["Winifred"], ["Winnie"]]


def test_without_the_full_name_in_the_session_short_forms_are_not_guessed() -> None:
    assert people(["Seun won't speak to me."]) == [[]]
    assert people(["Seun won't speak to me."], ("Dr. Hargreaves", "Oluwaseun")) == [["Seun"]]


def test_a_name_that_is_a_word_counts_only_where_it_is_a_name() -> None:
    texts = ["So Faith moved out.", "Have you talked with Faith since?",
             "I still have faith in the marriage."]
    assert people(texts) == [["Faith"], ["Faith"], []]


def test_short_forms_share_the_full_names_pseudonym() -> None:
    session = Session.build("s", [
        ("Dr. Halvorsen", "therapist", "How is it having your brother Siddharth around?"),
        ("Priyanka", "client", "Sid keeps saying we should move. Everyone calls me Priya."),
        ("Dr. Halvorsen", "therapist", "And Margaret? Does Peggy help?")])
    new, _ = deidentify_session(session, salt="test")
    assert [t.text for t in new.turns] == [
        "How is it having your brother [PERSON_1] around?",
        "[PERSON_1] keeps saying we should move. Everyone calls me [CLIENT].",
        "And [PERSON_2]? Does [PERSON_2] help?"]


def test_a_word_joined_to_a_name_by_and_is_a_name() -> None:
    assert people(["Raelynn and Bexley came over with pizza."]) == [["Raelynn", "Bexley"]]


def test_owner_prefers_the_full_name() -> None:
    book = SessionNames(names={"siddharth", "sid", "priyanka"})
    assert book.owner("sid") == "siddharth"
    assert book.owner("priya") == "priyanka"
    assert book.owner("table") is None


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=5, max_size=14),
       st.integers(min_value=3, max_value=12))
def test_the_start_of_a_longer_name_is_a_short_form(name: str, cut: int) -> None:
    short = name[:cut]
    assert is_short_form(short, name) == (len(name) >= len(short) + 2)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12))
def test_a_short_form_is_never_longer_than_its_name_less_two(name: str) -> None:
    assert not is_short_form(name + "xyz", name)
