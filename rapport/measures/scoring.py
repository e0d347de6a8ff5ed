"""Scoring one administration: validation, reverse keys, missing items, bands, safety flags.

>>> from rapport.measures.catalog import get_instrument
>>> result = score(get_instrument("phq9"), dict(zip(get_instrument("phq9").item_ids,
...                                                 [1, 1, 2, 1, 0, 1, 1, 0, 0])))
>>> result.total, result.band, result.in_clinical_range
(7.0, 'Mild depression', False)

A risk item (PHQ-9 item 9) answered above zero, or left unanswered, always yields a
safety flag. No argument, setting or definition field can switch that off, on purpose: it
is the one output that must reach the clinician whatever else they chose to see.

Totals are computed exactly (:mod:`rapport.measures.exact`): visual-analogue answers in
tenths add up to exactly their decimal sum before any cut-off is compared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rapport.errors import RapportInputError
from rapport.measures.exact import exact
from rapport.measures.schema import Instrument, Item

Answers = Mapping[str, float | int | None]
FlagReason = Literal["answered", "unanswered"]


class SafetyFlag(BaseModel):
    """An urgent flag from a risk item: answered above zero, or not answered at all.

    ``item`` is the item id (a key for software); ``message`` names the item in words
    (its number and ``alert_label``), never by its id."""

    model_config = ConfigDict(frozen=True)

    instrument: str
    item: str
    item_number: int
    reason: FlagReason
    value: float | None
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


def _round_half_up(value: Fraction | float) -> Fraction:
    # Python's round() rounds halves to even; scoring manuals round them up.
    return Fraction(math.floor(exact(value) + Fraction(1, 2)))


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
    given, low = exact(value), exact(scale.min)
    if not low <= given <= exact(scale.max):
        return False
    return ((given - low) / exact(scale.step)).denominator == 1  # on the scale's grid


def _allowed_text(instrument: Instrument) -> str:
    if instrument.scale is None:
        return ", ".join(str(option.value) for option in instrument.options)
    scale = instrument.scale
    return f"{scale.min:g} to {scale.max:g} in steps of {scale.step:g}"


def _keyed(instrument: Instrument, item_id: str, value: float) -> Fraction:
    low, high = instrument.value_range
    given = exact(value)
    return exact(low) + exact(high) - given if instrument.item(item_id).reverse else given


def _combine(instrument: Instrument, values: list[Fraction | None]
             ) -> tuple[Fraction | None, bool]:
    """Exact total of some items under the missing-item rule; returns (total, prorated)."""
    answered = [value for value in values if value is not None]
    n_missing = len(values) - len(answered)
    if n_missing > instrument.missing.max_missing or not answered:
        return None, False
    if instrument.scoring == "mean":
        return sum(answered, Fraction(0)) / len(answered), n_missing > 0
    if n_missing == 0:
        return sum(answered, Fraction(0)), False
    if instrument.missing.method != "prorate":
        return None, False
    estimate = sum(answered, Fraction(0)) * len(values) / len(answered)
    return (_round_half_up(estimate) if instrument.missing.round_total else estimate), True


def band_of(instrument: Instrument, total: float | Fraction) -> str | None:
    """The label of the band holding ``total``; None where the scoring text gives none."""
    value = exact(total)
    for band in instrument.bands:
        if exact(band.min) <= value <= exact(band.max):
            return band.label
    return None


def in_clinical_range(instrument: Instrument, total: float | Fraction) -> bool | None:
    """Whether ``total`` lies on the clinical (concern, positive-screen) side of the
    cut-off, compared exactly (None: no cut-off)."""
    if instrument.cut_off is None:
        return None
    value, cut = exact(total), exact(instrument.cut_off.value)
    if instrument.direction == "higher_is_worse":
        return value >= cut
    return value < cut


def cut_off_words(instrument: Instrument, in_range: bool) -> str:
    """The words for a total's side of the cut-off: a screener's cut-off gives a positive
    or negative *screen*, an alliance measure's is an *alert threshold* (SRS: below 36),
    and only an outcome measure's marks a *clinical range*."""
    if instrument.kind == "screener":
        return "positive screen" if in_range else "negative screen"
    if instrument.kind == "alliance":
        below = instrument.direction == "higher_is_better"
        concern, fine = ("below", "at or above") if below else ("at or above", "below")
        return f"{concern if in_range else fine} the alert threshold"
    return "clinical range" if in_range else "non-clinical range"


def band_or_side(instrument: Instrument, band: str | None, in_range: bool | None
                 ) -> str | None:
    """What a "band" column shows for a total: its band, or, for an instrument without
    bands, its side of the cut-off in the instrument's own words (PHQ-2 ``positive
    screen``, SRS ``below the alert threshold``); None with neither."""
    if band:
        return band
    return None if in_range is None else cut_off_words(instrument, in_range)


def cut_off_title(instrument: Instrument) -> str:
    """What the instrument's cut-off is called (see :func:`cut_off_words`)."""
    return {"screener": "screening cut-off", "alliance": "alert threshold"}.get(
        instrument.kind, "clinical cut-off")


def _option_words(instrument: Instrument, value: float) -> str:
    label = next((o.label for o in instrument.options if o.value == value and o.label), None)
    return f"{value:g} ({label})" if label else f"{value:g}"


def safety_flags(instrument: Instrument, answers: Mapping[str, float | None]
                 ) -> list[SafetyFlag]:
    """A flag for every risk item answered above zero or left unanswered. Takes no
    options, by design: nothing can switch a flag off."""
    flags = []
    for item in instrument.items:
        if not item.risk_item:
            continue
        flags += _flag_of(instrument, item, answers.get(item.id))
    return flags


def _flag_of(instrument: Instrument, item: Item, value: float | None) -> list[SafetyFlag]:
    words = f"{instrument.short_name} {instrument.item_in_words(item.id)}"
    number = instrument.item_number(item.id)
    if value is None:
        return [SafetyFlag(instrument=instrument.id, item=item.id, item_number=number,
                           reason="unanswered", value=None,
                           message=f"{words} not answered — ask directly")]
    if value > 0:
        return [SafetyFlag(instrument=instrument.id, item=item.id, item_number=number,
                           reason="answered", value=value,
                           message=f"{words} answered {_option_words(instrument, value)}: "
                                   "urgent — review risk with the client today")]
    return []


def score(instrument: Instrument, answers: Answers, *, where: str = "answers") -> Score:
    """Score one administration (item id -> value; a missing or None value is unanswered)."""
    checked = check_answers(instrument, answers, where=where)
    keyed = {key: (None if value is None else _keyed(instrument, key, value))
             for key, value in checked.items()}
    missing = [key for key, value in checked.items() if value is None]
    total, prorated = _combine(instrument, list(keyed.values()))
    subscales = {name: _float(_combine(instrument, [keyed[key] for key in members])[0])
                 for name, members in instrument.subscales.items()}
    note = None
    if total is None:
        note = (f"{len(missing)} item(s) unanswered; {instrument.short_name} allows "
                f"{instrument.missing.max_missing}, so there is no total")
    elif prorated:
        note = f"{len(missing)} item(s) unanswered; total estimated by the missing-item rule"
    return Score(
        instrument=instrument.id, answers=checked, total=_float(total), subscales=subscales,
        missing=missing, prorated=prorated,
        band=None if total is None else band_of(instrument, total),
        in_clinical_range=None if total is None else in_clinical_range(instrument, total),
        scaled_total=(None if total is None or instrument.scaled is None
                      else float(total * exact(instrument.scaled.factor))),
        safety_flags=safety_flags(instrument, checked), note=note)


def require_answered(instrument: Instrument, result: Score, *, where: str = "answers"
                     ) -> None:
    """Refuse to store an administration with no item answered: it is a questionnaire
    not given, not a score, and once stored it would block the session's real one."""
    if all(value is None for value in result.answers.values()):
        raise RapportInputError(
            f"no item of the {instrument.short_name} is answered", where=where,
            fix="answer at least one item (nothing was stored)", code="no_answers")


def _float(value: Fraction | None) -> float | None:
    # The float nearest the exact value: 25.0 for 0 + 6.6 + 9.7 + 8.7, not 24.999...
    return None if value is None else float(value)


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
