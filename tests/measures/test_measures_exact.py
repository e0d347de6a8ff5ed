"""Exact totals before any cut-off (issue 15, item 5): visual-analogue answers in tenths add
up to exactly their decimal sum; "SRS 36" is not "below 36"; a drop of exactly 1.0 is a
drop. Properties over the whole answer grid, then the real CLI on a real record."""

from __future__ import annotations

from fractions import Fraction

import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.measures import Administration, alliance_alerts, get_instrument, score
from rapport.measures.catalog import list_instruments
from rapport.measures.schema import Instrument
from rapport.store.database import Store

ORS, SRS = get_instrument("ors"), get_instrument("srs")
cli = Cli()


def _tenths() -> st.SearchStrategy[list[int]]:
    return st.lists(st.integers(0, 100), min_size=4, max_size=4)


def _exact_value(instrument: Instrument) -> st.SearchStrategy[Fraction]:
    if instrument.scale is None:
        return st.sampled_from([Fraction(o.value) for o in instrument.options])
    scale = instrument.scale
    steps = round((scale.max - scale.min) / scale.step)
    return st.integers(0, steps).map(
        lambda n: Fraction(str(scale.min)) + n * Fraction(str(scale.step)))


def test_the_reviewers_example_totals_25_and_is_not_clinical() -> None:
    result = score(ORS, dict(zip(ORS.item_ids, [0, 6.6, 9.7, 8.7], strict=True)))
    assert result.total == 25.0 and result.in_clinical_range is False
    srs36 = score(SRS, dict(zip(SRS.item_ids, [9.7, 8.7, 8.9, 8.7], strict=True)))
    assert srs36.total == 36.0 and srs36.in_clinical_range is False  # not "below 36"


@given(_tenths())
def test_vas_totals_are_the_exact_decimal_sum(tenths: list[int]) -> None:
    exact_total = Fraction(sum(tenths), 10)
    for instrument, cut in ((ORS, 25), (SRS, 36)):
        answers = dict(zip(instrument.item_ids, [t / 10 for t in tenths], strict=True))
        result = score(instrument, answers)
        assert result.total == float(exact_total)
        assert result.in_clinical_range is (exact_total < cut)


@given(st.lists(st.integers(0, 100), min_size=3, max_size=3),
       st.integers(0, 100))
def test_sets_at_exactly_the_cut_off_are_never_below_it(three: list[int], _: int) -> None:
    # complete three ORS lines to a total of exactly 25.0 where possible
    last = 250 - sum(three)
    if not 0 <= last <= 100:
        return
    answers = dict(zip(ORS.item_ids, [t / 10 for t in [*three, last]], strict=True))
    assert score(ORS, answers).in_clinical_range is False


@pytest.mark.parametrize("instrument_id", [i.id for i in list_instruments()])
@given(data=st.data())
def test_every_total_is_exact_on_every_instrument(instrument_id: str,
                                                  data: st.DataObject) -> None:
    instrument = get_instrument(instrument_id)
    values = [data.draw(_exact_value(instrument)) for _ in instrument.items]
    low, high = instrument.value_range
    keyed = [Fraction(str(low)) + Fraction(str(high)) - v if item.reverse else v
             for item, v in zip(instrument.items, values, strict=True)]
    total = sum(keyed, Fraction(0))
    if instrument.scoring == "mean":
        total /= len(keyed)
    result = score(instrument, dict(zip(instrument.item_ids, [float(v) for v in values],
                                        strict=True)))
    assert result.total == float(total)
    if instrument.cut_off is not None:
        cut = Fraction(str(instrument.cut_off.value))
        clinical = total >= cut if instrument.direction == "higher_is_worse" else total < cut
        assert result.in_clinical_range is clinical


@given(st.lists(st.integers(10, 100), min_size=4, max_size=4), st.integers(0, 3))
def test_a_drop_of_exactly_one_point_is_a_drop(before: list[int], line: int) -> None:
    after = list(before)
    after[line] -= 10  # one line exactly 1.0 lower
    admins = [Administration(session=s, score=score(SRS, dict(zip(
        SRS.item_ids, [t / 10 for t in tenths], strict=True))))
        for s, tenths in ((1, before), (2, after))]
    drops = [a for a in alliance_alerts(SRS, admins) if a.rule == "alliance.drop"]
    assert [(a.session, a.numbers["drop"]) for a in drops] == [(2, 1.0)]


def test_stored_vas_totals_are_exact_in_progress(clinic: Store) -> None:
    cli("measures", "record", "C-1", "ors", "-s", "1", "-a", "0,6.6,9.7,8.7", "--as", "tom",
        code=0)
    for session, answers in ((1, "9.6,8.5,9.1,9.1"), (2, "9.6,8.5,9.1,8.1"),
                             (3, "9.7,8.7,8.9,8.7")):
        cli("measures", "record", "C-1", "srs", "-s", str(session), "-a", answers,
            "--as", "tom", code=0)
    ors = cli("progress", "C-1", "--instrument", "ors", "--no-chart", "--as", "tom").stdout
    row = next(line for line in ors.splitlines() if line.strip().startswith("1 "))
    assert row.split()[2] == "25" and "non-clinical range" in row
    srs = cli("progress", "C-1", "--instrument", "srs", "--no-chart", "--as", "tom").stdout
    # 36.3 -> 35.3 is a drop of exactly 1.0; 36.0 is not below the alert threshold 36
    assert "SRS fell 1 points since the previous session (36.3 -> 35.3" in srs
    assert "SRS 36 is below" not in srs and "SRS 35.3 is below the alert threshold 36" in srs
    row3 = next(line for line in srs.splitlines() if line.strip().startswith("3 "))
    assert "at or above the alert threshold" in row3
