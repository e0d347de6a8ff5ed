"""deidentify_session: a valid new Session, consistent pseudonyms, consistent date shifts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.deid import deidentify_session, deidentify_sessions
from rapport.deid.dates import shift_date_text
from rapport.deid.session import date_offset
from rapport.domain import Role, Session


def _session() -> Session:
    return Session.build("maria-2024-05-01", [
        ("Dr. Lee", "therapist", "Hi Maria. How did March 3rd go?"),
        ("Maria", "client", ("Dr. Lee, my son Omar called. Darnell Washington came by on "
                            "04/12/2024, and then Darnell left for Fresno.")),
        ("Dr. Lee", "therapist", "Omar called? On March 3rd?"),
        ("Maria", "client", "Yes. My number is 555-867-5309, or (555) 867-5309 at work."),
        ("Jo", "client", "I hope Omar is okay. My mother is 94."),
    ], date=dt.date(2024, 5, 1), metadata={"file_name": "maria_smith.txt", "minutes": 50})


@pytest.fixture(scope="module")
def result() -> tuple[Session, Session, object]:
    original = _session()
    before = original.model_dump()
    new, report = deidentify_session(original, salt="study-7")
    assert original.model_dump() == before  # the input is never changed
    return original, new, report


def test_output_is_a_valid_session_with_the_same_turns(result) -> None:
    original, new, _ = result
    again = Session.model_validate(new.model_dump())
    assert again == new
    assert [t.index for t in new.turns] == [t.index for t in original.turns]
    assert [t.role for t in new.turns] == [t.role for t in original.turns]
    assert new.id != original.id and "maria" not in new.id


def test_speakers_become_role_pseudonyms(result) -> None:
    _, new, _ = result
    assert [(s.name, s.role) for s in new.speakers] == [
        ("[THERAPIST]", Role.THERAPIST), ("[CLIENT]", Role.CLIENT), ("[CLIENT_2]", Role.CLIENT)]
    assert new.turns[0].text.startswith("Hi [CLIENT].")
    assert new.turns[1].text.startswith("Dr. [THERAPIST], ")


def test_the_same_person_gets_the_same_pseudonym(result) -> None:
    _, new, _ = result
    texts = [t.text for t in new.turns]
    omar = re.search(r"my son (\[PERSON_\d\])", texts[1]).group(1)
    assert f"{omar} called?" in texts[2]
    assert f"I hope {omar} is okay" in texts[4]
    darnell = re.search(r"(\[PERSON_\d\]) came by", texts[1]).group(1)
    assert darnell != omar
    assert f"then {darnell} left" in texts[1]  # a first name alone maps to the full name


def test_phone_numbers_written_differently_are_one_pseudonym(result) -> None:
    _, new, _ = result
    assert "My number is [PHONE_1], or [PHONE_1] at work." in new.turns[3].text


def test_dates_shift_by_one_offset_and_keep_their_format_and_year(result) -> None:
    original, new, _ = result
    offset = date_offset(b"study-7", original.id)
    assert offset % 7 == 0 and offset != 0
    shifted = shift_date_text("March 3rd", offset)
    assert shifted is not None and shifted != "March 3rd"
    assert shifted in new.turns[0].text and shifted in new.turns[2].text
    numeric = re.search(r"on (\d\d/\d\d/2024)", new.turns[1].text)
    assert numeric is not None and numeric.group(1) != "04/12/2024"
    assert new.date is not None and new.date.year == 2024 and new.date != original.date


def test_nothing_identifying_is_left_and_ordinary_words_stay(result) -> None:
    _, new, _ = result
    text = " ".join(t.text for t in new.turns)
    for secret in ("Maria", "Lee", "Omar", "Darnell", "Washington", "Fresno", "867", "94",
                   "04/12", "Jo "):
        assert secret not in text
    assert "I hope" in text and "90+" in text


def test_metadata_strings_are_dropped_and_reported_by_key_only(result) -> None:
    _, new, report = result
    assert "file_name" not in new.metadata and new.metadata["minutes"] == 50
    assert report.metadata_dropped == ("file_name",)
    dumped = report.model_dump_json()
    assert "Omar" not in dumped and "maria" not in dumped.lower()
    assert report.counts["PERSON"] >= 5 and report.counts["AGE"] == 1
    assert report.turns == 5 and report.turns_changed == 5


def test_same_salt_links_sessions_and_no_salt_does_not() -> None:
    s = _session()
    a, _ = deidentify_session(s, salt="k")
    b, _ = deidentify_session(s, salt="k")
    c, _ = deidentify_session(s)
    assert a == b
    assert c.id != a.id


def test_several_sessions_share_one_random_key() -> None:
    a = Session.build("a", [("T", "therapist", "Hi Omar, since March 3rd?")])
    b = Session.build("b", [("T", "therapist", "Hi Omar, since March 3rd?")])
    (new_a, _), (new_b, _) = deidentify_sessions([a, b])
    # one key: the same date moves differently per session id, but both stay readable
    assert new_a.id != new_b.id
    assert "Omar" not in new_a.turns[0].text and "[PERSON_1]" in new_b.turns[0].text


_turn_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                     max_size=80) | st.sampled_from([
                         "Call 555-867-5309 on 2/30/2024", "Feb 30th, Dr. Lee", "the 31st",
                         "She is 104. My sister Jenna, Jenna!", "99-year-old @x_y u/abc"])


@settings(max_examples=25)
@given(st.lists(_turn_text, min_size=1, max_size=4))
def test_any_turn_texts_give_a_valid_session(texts: list[str]) -> None:
    session = Session.build("h", [("T" if i % 2 else "C", "therapist" if i % 2 else "client", t)
                                  for i, t in enumerate(texts)])
    new, report = deidentify_session(session, salt="h")
    assert Session.model_validate(new.model_dump()) == new
    assert len(new.turns) == len(texts) and report.turns == len(texts)


def test_empty_session() -> None:
    s = Session(id="empty", speakers=(), turns=())
    new, report = deidentify_session(s, salt="k")
    assert new.turns == () and report.counts == {}


@pytest.mark.parametrize(("text", "offset", "expected"), [
    ("March 3rd", 14, "March 17th"),
    ("04/12/2024", -7, "04/05/2024"),
    ("2015-06-20", 7, "2015-06-27"),
    ("12 January 2022", 21, "2 February 2022"),
    ("Nov. 3", 28, "Dec. 1"),
    ("Tuesday the 14th", 7, "Tuesday the 21st"),
    ("December 26th", 14, "January 9th"),
    ("June 2021", 35, "July 2021"),
    ("9/30", 7, "10/7"),
    ("Christmas Eve 2022", 7, None),
])
def test_shift_date_text(text: str, offset: int, expected: str | None) -> None:
    assert shift_date_text(text, offset) == expected
