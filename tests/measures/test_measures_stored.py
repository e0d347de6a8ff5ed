"""Stored rows back to administrations: re-scored, fingerprint mismatches reported."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from rapport.measures import get_instrument
from rapport.measures.catalog import definition_version
from rapport.measures.stored import administrations


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
