"""Hypothesis properties of scoring over every bundled instrument."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.measures import get_instrument, list_instruments, score
from rapport.measures.schema import Instrument

NAMES = [i.id for i in list_instruments()]


def _value(instrument: Instrument) -> st.SearchStrategy[float]:
    if instrument.scale is None:
        return st.sampled_from([float(o.value) for o in instrument.options])
    scale = instrument.scale
    steps = round((scale.max - scale.min) / scale.step)
    return st.integers(0, steps).map(lambda n: round(scale.min + n * scale.step, 6))


# 12 instruments x examples each: fewer per instrument keeps the box fast.
@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30)
@given(data=st.data())
def test_total_stays_in_range(name: str, data: st.DataObject) -> None:
    instrument = get_instrument(name)
    answers = {item: data.draw(_value(instrument)) for item in instrument.item_ids}
    result = score(instrument, answers)
    low, high = instrument.total_range
    assert result.total is not None
    assert low - 1e-9 <= result.total <= high + 1e-9
    for name_, value in result.subscales.items():
        members = len(instrument.subscales[name_])
        assert value is not None
        assert instrument.value_range[0] * members <= value <= instrument.value_range[1] * members


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=30)
@given(data=st.data())
def test_total_is_monotonic_in_each_answer(name: str, data: st.DataObject) -> None:
    instrument = get_instrument(name)
    answers = {item: data.draw(_value(instrument)) for item in instrument.item_ids}
    item = data.draw(st.sampled_from(instrument.items))
    higher = data.draw(_value(instrument).filter(lambda v: v > answers[item.id]))
    before = score(instrument, answers).total
    after = score(instrument, {**answers, item.id: higher}).total
    assert before is not None and after is not None
    if item.reverse:
        assert after < before
    else:
        assert after > before


@given(st.lists(st.one_of(st.none(), st.integers(-2, 7), st.floats(allow_nan=True)),
                min_size=10, max_size=10))
def test_k10_either_scores_or_rejects_clearly(values: list[float | None]) -> None:
    from rapport.errors import RapportInputError

    k10 = get_instrument("k10")
    try:
        result = score(k10, dict(zip(k10.item_ids, values, strict=True)))
    except RapportInputError as err:
        assert err.fix
        return
    missing = sum(v is None for v in values)
    assert (result.total is None) == (missing > 1)


@given(st.text(max_size=60))
def test_answer_text_parses_or_rejects_clearly(text: str) -> None:
    from rapport.errors import RapportInputError
    from rapport.measures.answers import parse_answer_text

    phq2 = get_instrument("phq2")
    try:
        answers = parse_answer_text(phq2, text)
    except RapportInputError as err:
        assert err.fix
        return
    assert set(answers) == set(phq2.item_ids)


@given(st.binary(max_size=200), st.sampled_from([".json", ".csv"]))
def test_answer_files_parse_or_reject_clearly(data: bytes, suffix: str) -> None:
    import tempfile
    from pathlib import Path

    from rapport.errors import RapportInputError
    from rapport.measures.answers import read_answers_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"answers{suffix}"
        path.write_bytes(data)
        try:
            read_answers_file(get_instrument("gad2"), path)
        except RapportInputError as err:
            assert err.fix
