"""The YAML codebook parser: valid codebooks round-trip, and nothing but one clear input
error ever comes out of bad input (Hypothesis)."""

from __future__ import annotations

import string
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.workbench.codebook import (
    RESERVED_KEYS,
    codebook_from_data,
    parse_codebook,
    relationship_codebook,
)

names = st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True)
# Control and line-separator characters are left out: YAML itself folds them (a NEL
# becomes a space), which says nothing about our parser.
texts = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1,
                max_size=40).filter(lambda s: s.strip() != "")
code = st.fixed_dictionaries({
    "name": names, "speaker": st.sampled_from(["therapist", "client", "any"]),
    "definition": texts},
    optional={"rules": st.lists(texts, max_size=3), "examples": st.lists(texts, max_size=3)})
books = st.fixed_dictionaries({
    "name": texts, "labels": st.sampled_from(["single", "multi"]),
    "codes": st.lists(code, min_size=1, max_size=12, unique_by=lambda c: c["name"])})


@given(books)
def test_a_valid_codebook_round_trips_through_yaml(data: dict[str, Any]) -> None:
    book = parse_codebook(yaml.safe_dump(data, allow_unicode=True))
    assert [c.name for c in book.codes] == [c["name"] for c in data["codes"]]
    assert [c.speaker for c in book.codes] == [c["speaker"] for c in data["codes"]]
    assert [c.definition for c in book.codes] == [c["definition"].strip()
                                                 for c in data["codes"]]
    keys = [c.key for c in book.codes]
    assert len(set(keys)) == len(keys)
    assert not {k.lower() for k in keys} & RESERVED_KEYS


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["name", "labels", "codes", "speaker", "key", "definition", "rules", "examples"]),
        inner, max_size=5),
    max_leaves=20)


@given(yaml_values)
def test_any_data_is_a_codebook_or_one_input_error(data: Any) -> None:
    try:
        codebook_from_data(data)
    except RapportInputError as exc:
        assert exc.code == "bad_codebook" and exc.where.startswith("codebook")


@given(st.text(alphabet=string.printable, max_size=200))
def test_any_text_is_a_codebook_or_one_input_error(text: str) -> None:
    try:
        parse_codebook(text)
    except RapportInputError as exc:
        assert exc.code == "bad_codebook"


@pytest.mark.parametrize(("yaml_text", "where", "words"), [
    ("codes: []", "name", "non-empty"),
    ("name: x\ncodes: []", "codes", "non-empty list"),
    ("name: x\nlabels: many\ncodes: [{name: a, definition: d}]", "labels", "single or multi"),
    ("name: x\ncodes: [{name: A, definition: d}]", "codes[0].name", "not a code name"),
    ("name: x\ncodes: [{name: a}]", "codes[0].definition", "non-empty text"),
    ("name: x\ncodes: [{name: a, definition: d, key: j}]", "codes[0].key", "cannot be a key"),
    ("name: x\ncodes: [{name: a, definition: d, key: x}, {name: b, definition: d, key: x}]",
     "codes[1].key", "used by another code"),
    ("name: x\ncodes: [{name: a, definition: d}, {name: a, definition: e}]", "codes[1].name",
     "appears twice"),
    ("name: x\ncodes: [{name: a, definition: d, colour: red}]", "codes[0].colour",
     "not a field"),
    ("name: [x\n", "line", "not valid YAML"),
])
def test_errors_name_the_place_and_the_fix(yaml_text: str, where: str, words: str) -> None:
    with pytest.raises(RapportInputError) as caught:
        parse_codebook(yaml_text)
    assert where in caught.value.where and words in caught.value.what
    assert caught.value.fix


def test_rapports_codebook_has_a_key_per_code() -> None:
    book = relationship_codebook()
    assert len(book.codes) == 15 and len({c.key for c in book.codes}) == 15
    assert book.check_labels(["affirm"], "therapist") == ["affirm"]
    with pytest.raises(RapportInputError):
        book.check_labels(["affirm"], "client")
