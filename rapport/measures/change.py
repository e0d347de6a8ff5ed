"""Reliable and clinically significant change (Jacobson & Truax 1991).

``RC = (x2 - x1) / S_diff`` with ``S_diff = sqrt(2 * SE**2)``, ``SE = SD * sqrt(1 - r)``; a
change is reliable when it reaches ``1.96 * S_diff`` points, or the published threshold
where the instrument has one (PHQ-9: 6, GAD-7: 4). Categories:

* recovered: reliable improvement and crossed the cut-off out of the clinical range;
* improved: reliable improvement only;
* unchanged: no reliable change;
* deteriorated: reliable worsening.

The category is the published total-based method and nothing else. Where the later
administration carries an urgent item flag (PHQ-9 item 9 above zero, or left blank),
:func:`with_safety_caveat` adds ``safety_caveat`` beside it, and :func:`change_words` (what
every view prints) then says the change holds *on the total* only and names the flag,
never "recovered": a total that crossed the cut-off says nothing about an endorsed
suicide item.

Differences are computed exactly (:mod:`rapport.measures.exact`), so a change of exactly
the threshold is reliable. Where an instrument also has a convention for a *clinically
meaningful* change (WHO-5: 10 percentage points), ``meaningful`` says whether it was
reached, beside the reliable change and never instead of it.

>>> from rapport.measures.catalog import get_instrument
>>> classify_change(get_instrument("phq9"), 18, 8).category
'recovered'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rapport.measures.exact import exact
from rapport.measures.schema import Instrument, ReliableChange
from rapport.measures.scoring import SafetyFlag, in_clinical_range

Category = Literal["recovered", "improved", "unchanged", "deteriorated"]


class Change(BaseModel):
    """The change between two totals of one instrument."""

    model_config = ConfigDict(frozen=True)

    before: float
    after: float
    difference: float
    improvement: float
    rci: float | None
    min_raw_change: float | None
    reliable: bool | None
    category: Category | None
    note: str | None = None
    #: ``True``/``False`` where the instrument has a meaningful-change convention.
    meaningful: bool | None = None
    meaningful_points: float | None = None
    #: Set when the later administration carries an urgent item flag, e.g. "PHQ-9 item 9
    #: endorsed (2): follow up". ``category`` keeps its total-based meaning; views show
    #: this caveat beside it and never call such a change "recovered".
    safety_caveat: str | None = Field(default=None, description=(
        "Set when the later administration carries an urgent item flag, e.g. 'PHQ-9 item 9 "
        "endorsed (2): follow up'. The category stays total-based; never show it as "
        "'recovered' without this caveat."))


class Criteria(BaseModel):
    """Jacobson-Truax cut-offs a, b and c for clinically significant change."""

    model_config = ConfigDict(frozen=True)

    a: float
    b: float
    c: float


def criteria(*, clinical_mean: float, clinical_sd: float, normal_mean: float,
             normal_sd: float, higher_is_worse: bool = True) -> Criteria:
    """Criteria a (2 SD beyond the clinical mean), b (within 2 SD of the normal mean), c.

    >>> c = criteria(clinical_mean=19.7, clinical_sd=7.7, normal_mean=4.7, normal_sd=4.8)
    >>> round(c.a, 1), round(c.b, 1), round(c.c, 2)
    (4.3, 14.3, 10.46)
    """
    sign = 1 if higher_is_worse else -1
    a = clinical_mean - sign * 2 * clinical_sd
    b = normal_mean + sign * 2 * normal_sd
    c = (clinical_sd * normal_mean + normal_sd * clinical_mean) / (clinical_sd + normal_sd)
    return Criteria(a=a, b=b, c=c)


def classify_change(instrument: Instrument, before: float, after: float, *,
                    reliable_change: ReliableChange | None = None) -> Change:
    """Classify the change from ``before`` to ``after`` (totals on the instrument's scale).

    ``reliable_change`` overrides the instrument's own threshold, e.g. with a clinic's
    locally computed one.
    """
    rc = reliable_change or instrument.reliable_change
    exact_difference = exact(after) - exact(before)
    difference = float(exact_difference)
    improvement = -difference if instrument.direction == "higher_is_worse" else difference
    meaningful = instrument.meaningful_change
    extra = ({} if meaningful is None else {
        "meaningful": abs(exact_difference) >= exact(meaningful.points),
        "meaningful_points": meaningful.points})
    if rc is None:
        return Change(before=before, after=after, difference=difference,
                      improvement=improvement, rci=None, min_raw_change=None, reliable=None,
                      category=None,
                      note=f"{instrument.short_name} has no reliable-change threshold",
                      **extra)
    reliable = abs(exact_difference) >= exact(rc.min_raw_change)
    category: Category
    if not reliable:
        category = "unchanged"
    elif improvement < 0:
        category = "deteriorated"
    elif in_clinical_range(instrument, before) and in_clinical_range(instrument, after) is False:
        category = "recovered"
    else:
        category = "improved"
    return Change(before=before, after=after, difference=difference, improvement=improvement,
                  rci=difference / rc.s_diff, min_raw_change=rc.min_raw_change,
                  reliable=reliable, category=category, **extra)


#: How a category reads when the administration carries an urgent item flag: a statement
#: about the total only (never "recovered").
_ON_THE_TOTAL: dict[str, str] = {
    "recovered": "improved on the total, across the cut-off",
    "improved": "improved on the total",
    "unchanged": "no reliable change on the total",
    "deteriorated": "deteriorated on the total",
}


def safety_caveat(instrument: Instrument, flags: Iterable[SafetyFlag]) -> str | None:
    """The caveat for a change whose later administration carries these urgent item
    flags, naming each item by number (None without flags), e.g. ``PHQ-9 item 9 endorsed
    (2): follow up``."""
    named = [f"{instrument.short_name} item {flag.item_number} "
             + (f"endorsed ({flag.value:g})" if flag.reason == "answered" and flag.value
                is not None else "not answered")
             for flag in flags]
    return "; ".join(named) + ": follow up" if named else None


def with_safety_caveat(instrument: Instrument, change: Change,
                       flags: Iterable[SafetyFlag]) -> Change:
    """``change`` with :func:`safety_caveat` of ``flags`` (unchanged without flags)."""
    caveat = safety_caveat(instrument, flags)
    return change if caveat is None else change.model_copy(update={"safety_caveat": caveat})


def change_words(change: Change, *, no_category: str | None = None) -> str | None:
    """The category as every view prints it: the category itself, or, with a safety
    caveat, the total-based reading and the caveat (``improved on the total, across the
    cut-off — PHQ-9 item 9 endorsed (2): follow up``). ``no_category``: the words for an
    instrument without a reliable-change threshold.

    >>> from rapport.measures.catalog import get_instrument
    >>> change_words(classify_change(get_instrument("phq9"), 18, 8))
    'recovered'
    """
    words = change.category or no_category
    if change.safety_caveat is None:
        return words
    on_total = _ON_THE_TOTAL.get(change.category or "", words or "change on the total")
    return f"{on_total} — {change.safety_caveat}"
