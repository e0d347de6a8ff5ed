"""The risk coder's outputs never move when its code is made faster (issue 17).

``data/risk_reference.json`` holds what the shipped coder said, before the speed-ups, on
the frozen evaluation items and on AnnoMI client turns (``risk_reference.py``); every
decision, evidence string and probability (6 decimals) must be the same today.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from risk_reference import REFERENCE, outputs

from rapport.risk import rules


@pytest.fixture(scope="module")
def now() -> dict[str, object]:
    return json.loads(json.dumps(outputs(), sort_keys=True))


@pytest.fixture(scope="module")
def before() -> dict[str, object]:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


def test_every_flag_and_probability_on_the_evaluation_items_is_unchanged(
        now: dict[str, object], before: dict[str, object]) -> None:
    assert now["eval_items"] == before["eval_items"]
    # the reference holds flags as well as clear turns
    decided = before["eval_items"]["decided"]  # type: ignore[index]
    assert any(decided) and not all(decided)


def test_every_code_of_the_annomi_turns_is_unchanged(now: dict[str, object],
                                                     before: dict[str, object]) -> None:
    assert now["annomi"] == before["annomi"]
    assert before["annomi"]  # the reference is not empty


@given(st.text(alphabet=st.sampled_from(list("aZ9 '’-.,!?\n\tİßé0_ÀDontimI")), max_size=80))
def test_the_fast_normalisation_equals_the_reference_one(text: str) -> None:
    assert rules.normalise(text) == rules.normalise_reference(text)


@given(st.text(max_size=60))
def test_the_fast_normalisation_equals_the_reference_one_on_any_text(text: str) -> None:
    assert rules.normalise(text) == rules.normalise_reference(text)
