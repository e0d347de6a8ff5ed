"""Scoring one administration: validation, reverse keys, missing items, bands, safety flags.

>>> from rapport.measures.catalog import get_instrument
>>> result = score(get_instrument("phq9"), dict(zip(get_instrument("phq9").item_ids,
...                                                 [1, 1, 2, 1, 0, 1, 1, 0, 0])))
>>> result.total, result.band, result.in_clinical_range
(7.0, 'Mild depression', False)

A risk item answered above zero (PHQ-9 item 9) always yields a safety flag. No argument,
setting or definition field can switch that off, on purpose: it is the one output that
must reach the clinician whatever else they chose to see.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict

from rapport.errors import RapportInputError
from rapport.measures.schema import Instrument

Answers = Mapping[str, float | int | None]


class SafetyFlag(BaseModel):
    """An urgent flag from a risk item; the message never repeats the item's wording."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    item: str
    value: float
    message: str


class Score(BaseModel):
    """The result of scoring one administration."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    answers: dict[str, float | None]
    total: float | None
    subscales: dict[str, float | None]
    missing: list[str]
    prorated: bool
    band: str | None
    in_clinical_range: bool | None
    scaled_total: float | None
    safety_flags: list[SafetyFlag]
    note: str | None = None


def _round_half_up(value: float) -> float:
    # Python's round() rounds halves to even; scoring manuals round them up.
    return float(math.floor(value + 0.5))


def check_answers(instrument: Instrument, answers: Answers, *, where: str = "answers"
                  ) -> dict[str, float | None]:
    """Validate every answer; any unknown item or out-of-range value rejects them all."""
    known = set(instrument.item_ids)
    unknown = [key for key in answers if key not in known]
    if unknown:
        raise RapportInputError(
            f"{unknown[0]!r} is not an item of {instrument.short_name}", where=where,
            fix=f"use the item ids {instrument.item_ids[0]} ... {instrument.item_ids[-1]}",
            code="unknown_item")
    checked: dict[str, float | None] = {}
    for item_id in instrument.item_ids:
        value = answers.get(item_id)
        if value is None:
            checked[item_id] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise RapportInputError(f"answer to {item_id} is not a number", where=where,
                                    fix="give numbers only", code="bad_answer")
        checked[item_id] = float(value)
        if not _allowed(instrument, float(value)):
            raise RapportInputError(
                f"answer {value:g} to {item_id} is out of range", where=where,
                fix=f"{instrument.short_name} answers are {_allowed_text(instrument)}",
                code="answer_out_of_range")
    return checked


def _allowed(instrument: Instrument, value: float) -> bool:
    if instrument.scale is None:
        return value in {float(option.value) for option in instrument.options}
    scale = instrument.scale
    if not scale.min <= value <= scale.max:
        return False
    steps = (value - scale.min) / scale.step
    return abs(steps - round(steps)) < 1e-6


def _allowed_text(instrument: Instrument) -> str:
    if instrument.scale is None:
        return ", ".join(str(option.value) for option in instrument.options)
    scale = instrument.scale
    return f"{scale.min:g} to {scale.max:g} in steps of {scale.step:g}"


def _keyed(instrument: Instrument, item_id: str, value: float) -> float:
    low, high = instrument.value_range
    return low + high - value if instrument.item(item_id).reverse else value


def _combine(instrument: Instrument, values: list[float | None]) -> tuple[float | None, bool]:
    """Total of some items under the missing-item rule; returns (total, prorated)."""
    answered = [value for value in values if value is not None]
    n_missing = len(values) - len(answered)
    if n_missing > instrument.missing.max_missing or not answered:
        return None, False
    if instrument.scoring == "mean":
        return sum(answered) / len(answered), n_missing > 0
    if n_missing == 0:
        return float(sum(answered)), False
    if instrument.missing.method != "prorate":
        return None, False
    estimate = sum(answered) * len(values) / len(answered)
    return (_round_half_up(estimate) if instrument.missing.round_total else estimate), True


def band_of(instrument: Instrument, total: float) -> str | None:
    """The label of the band holding ``total``; None where the scoring text gives none."""
    for band in instrument.bands:
        if band.min <= total <= band.max:
            return band.label
    return None


def in_clinical_range(instrument: Instrument, total: float) -> bool | None:
    """Whether ``total`` lies on the clinical side of the cut-off (None: no cut-off)."""
    if instrument.cut_off is None:
        return None
    if instrument.direction == "higher_is_worse":
        return total >= instrument.cut_off.value
    return total < instrument.cut_off.value


def score(instrument: Instrument, answers: Answers, *, where: str = "answers") -> Score:
    """Score one administration (item id -> value; a missing or None value is unanswered)."""
    checked = check_answers(instrument, answers, where=where)
    keyed = {key: (None if value is None else _keyed(instrument, key, value))
             for key, value in checked.items()}
    missing = [key for key, value in checked.items() if value is None]
    total, prorated = _combine(instrument, list(keyed.values()))
    subscales = {name: _combine(instrument, [keyed[key] for key in members])[0]
                 for name, members in instrument.subscales.items()}
    flags = [SafetyFlag(instrument=instrument.id, item=item.id, value=value,
                        message=f"{instrument.short_name} {item.id} answered {value:g} (> 0): "
                                "urgent - review risk with the client today")
             for item in instrument.items
             if item.risk_item and (value := checked[item.id]) is not None and value > 0]
    note = None
    if total is None:
        note = (f"{len(missing)} item(s) unanswered; {instrument.short_name} allows "
                f"{instrument.missing.max_missing}, so there is no total")
    elif prorated:
        note = f"{len(missing)} item(s) unanswered; total estimated by the missing-item rule"
    return Score(
        instrument=instrument.id, answers=checked, total=total, subscales=subscales,
        missing=missing, prorated=prorated,
        band=None if total is None else band_of(instrument, total),
        in_clinical_range=None if total is None else in_clinical_range(instrument, total),
        scaled_total=(None if total is None or instrument.scaled is None
                      else total * instrument.scaled.factor),
        safety_flags=flags, note=note)


def answers_from_list(instrument: Instrument, values: list[float | None]
                      ) -> dict[str, float | None]:
    """Pair values given in item order with the item ids; the count must match."""
    if len(values) != len(instrument.items):
        raise RapportInputError(
            f"{len(values)} answers given, {instrument.short_name} has {len(instrument.items)} "
            "items", where="answers",
            fix="give one value per item in order; leave a value empty for an unanswered item",
            code="answer_count")
    return dict(zip(instrument.item_ids, values, strict=True))
