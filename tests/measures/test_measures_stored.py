"""Stored rows back to administrations: stored scores used while their definition is
current (and equal to re-scoring), others re-scored, fingerprint mismatches reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.measures import get_instrument, list_instruments, score
from rapport.measures.catalog import definition_version
from rapport.measures.schema import Instrument
from rapport.measures.stored import (
    administrations,
    current_flags,
    current_score,
    scoring_fingerprint,
    stored_score,
)


@dataclass(frozen=True)
class Row:
    """A plain row shaped like the record's ResponseView."""

    id: int
    session_number: int | None
    instrument_id: str
    instrument_version: str
    answers: dict[str, Any] = field(default_factory=dict)


def test_rows_are_rescored_grouped_and_dated() -> None:
    phq2 = get_instrument("phq2")
    current = definition_version(phq2)
    rows = [Row(1, 1, "phq2", current, {"phq2_1": 1, "phq2_2": 2}),
            Row(2, 2, "phq2", "an-older-one", {"phq2_1": 0, "phq2_2": 1}),
            Row(3, None, "phq2", current, {"phq2_1": 0, "phq2_2": 0}),
            Row(4, 3, "retired-scale", "x", {})]
    grouped, warnings = administrations(rows, {1: dt.date(2026, 1, 6), 2: None})
    assert list(grouped) == ["phq2"]
    assert [(a.session, a.date, a.score.total) for a in grouped["phq2"]] == [
        (1, dt.date(2026, 1, 6), 3), (2, None, 1)]
    assert [w.split(":")[0] for w in warnings] == ["response 2", "response 3", "response 4"]
    assert "another PHQ-2 definition" in warnings[0]


def test_fingerprint_ignores_wording_but_not_keys() -> None:
    srs = get_instrument("srs")
    worded = srs.model_copy(update={"items": [i.model_copy(update={"text": "t"})
                                              for i in srs.items]})
    assert definition_version(worded) == definition_version(srs)
    arm5 = get_instrument("arm5")
    unreversed = arm5.model_copy(update={"items": [i.model_copy(update={"reverse": False})
                                                   for i in arm5.items]})
    assert definition_version(unreversed) != definition_version(arm5)


@dataclass(frozen=True)
class StoredRow(Row):
    """A row as recorded since migration 0005: the score's numbers kept beside it."""

    scores: dict[str, Any] = field(default_factory=dict)
    band: str | None = None
    in_clinical_range: bool | None = None
    scored_with: str | None = None


NAMES = [i.id for i in list_instruments()]


def _answer(instrument: Instrument) -> st.SearchStrategy[float | None]:
    if instrument.scale is None:
        given_ = st.sampled_from([float(o.value) for o in instrument.options])
    else:
        scale = instrument.scale
        steps = round((scale.max - scale.min) / scale.step)
        given_ = st.integers(0, steps).map(lambda n: round(scale.min + n * scale.step, 6))
    return st.one_of(st.none(), given_, given_, given_)  # some items left unanswered


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=25)
@given(data=st.data())
def test_a_stored_score_is_the_score_the_answers_give(name: str, data: st.DataObject) -> None:
    # What pages read instead of re-scoring must be what re-scoring gives, field by
    # field: the total, band, cut-off side, missing items, note and safety flags.
    instrument = get_instrument(name)
    answers = {item: data.draw(_answer(instrument)) for item in instrument.item_ids}
    if data.draw(st.booleans()):  # unanswered items may also be left out
        answers = {k: v for k, v in answers.items() if v is not None}
    scored = score(instrument, answers)
    row = StoredRow(1, 1, instrument.id, definition_version(instrument), answers,
                    scores={"total": scored.total, "subscales": dict(scored.subscales)},
                    band=scored.band, in_clinical_range=scored.in_clinical_range,
                    scored_with=scoring_fingerprint(instrument))
    kept = stored_score(instrument, row)
    assert kept is not None
    assert kept.model_dump() == scored.model_dump()
    assert current_flags(instrument, row) == scored.safety_flags


def test_a_score_stored_under_another_definition_is_scored_again() -> None:
    phq9 = get_instrument("phq9")
    answers = dict.fromkeys(phq9.item_ids, 1)
    row = StoredRow(1, 1, "phq9", definition_version(phq9), answers,
                    scores={"total": 0.0, "subscales": {}}, band="stale",
                    scored_with="another-definition")
    assert stored_score(phq9, row) is None
    assert current_score(phq9, row).model_dump() == score(phq9, answers).model_dump()
    # ...and a flag is read from the answers whatever the stored numbers say
    assert [f.item for f in current_flags(phq9, row)] == [phq9.item_ids[-1]]
