"""The instrument-definition schema: one YAML file per questionnaire, validated here.

A definition says how to *score* an instrument: its items, response options, reverse keys,
subscales, missing-item rule, bands, clinical cut-off, reliable-change threshold, direction,
LOINC codes, licence and copyright line. Free instruments carry their item text; licensed
ones carry none (``text: null``) and get it from a user's text pack (see
:mod:`rapport.measures.textpack`). ``docs/measures.md`` documents every field.
"""

from __future__ import annotations

import math
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Direction = Literal["higher_is_worse", "higher_is_better"]
Kind = Literal["outcome", "screener", "alliance"]


class _Strict(BaseModel):
    """Unknown keys are errors: a typo in a definition must not be silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One response option: the stored value and, where the text is bundled, its label."""

    value: int
    label: str | None = None
    loinc_answer: str | None = None


class Scale(_Strict):
    """A continuous response (visual-analogue line), e.g. 0-10 in steps of 0.1."""

    min: float
    max: float
    step: float = Field(default=1.0, gt=0)


class Item(_Strict):
    """One scored item. A ``risk_item`` answered above zero, or left unanswered, raises an
    urgent safety flag. ``alert_label`` is how alerts name the item in words (default: its
    text); alerts never show the item id."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    text: str | None = None
    alert_label: str | None = None
    low_anchor: str | None = None
    high_anchor: str | None = None
    reverse: bool = False
    loinc: str | None = None
    risk_item: bool = False


class MissingRule(_Strict):
    """How many items may be missing, and how the total is then estimated.

    ``prorate``: total = sum of answered items x items / answered, rounded half up when
    ``round_total`` (the K10 rule of the PMHC-MDS). A mean-scored instrument takes the
    mean of the answered items. More missing items than ``max_missing`` gives no total.
    """

    max_missing: int = Field(default=0, ge=0)
    method: Literal["prorate", "none"] = "none"
    round_total: bool = True
    source: str | None = None


class Band(_Strict):
    """A labelled score range, inclusive at both ends."""

    min: float
    max: float
    label: str


class CutOff(_Strict):
    """The boundary of the clinical (or concern) range, on the total's scale.

    With ``higher_is_worse`` a total at or above ``value`` is in the clinical range; with
    ``higher_is_better`` a total below ``value`` is.
    """

    value: float
    meaning: str
    source: str


class ReliableChange(_Strict):
    """Either a published raw threshold or reliability + clinical SD (Jacobson & Truax 1991)."""

    threshold: float | None = Field(default=None, gt=0)
    reliability: float | None = Field(default=None, gt=0, lt=1)
    sd: float | None = Field(default=None, gt=0)
    source: str

    @model_validator(mode="after")
    def _one_way(self) -> Self:
        has_pair = self.reliability is not None and self.sd is not None
        if self.threshold is None and not has_pair:
            raise ValueError("give either threshold or both reliability and sd")
        return self

    @property
    def s_diff(self) -> float:
        """Standard error of a difference; from the threshold when one is published."""
        if self.threshold is not None:
            return self.threshold / 1.96
        assert self.sd is not None and self.reliability is not None
        se = self.sd * math.sqrt(1 - self.reliability)
        return math.sqrt(2 * se**2)

    @property
    def min_raw_change(self) -> float:
        """The smallest change in points that counts as reliable."""
        return self.threshold if self.threshold is not None else 1.96 * self.s_diff


class MeaningfulChange(_Strict):
    """A convention for a *clinically meaningful* change, shown beside (never instead of)
    the reliable change, e.g. WHO-5: 10 percentage points."""

    points: float = Field(gt=0)
    label: str
    source: str


class AllianceSettings(_Strict):
    """Alert settings of an alliance measure (see docs/measures.md, section rules)."""

    drop_alert_points: float = Field(gt=0)
    rupture_min_drop: float = Field(ge=0)
    source: str


class Quote(_Strict):
    text: str
    source: str
    translation: str | None = None


class Licence(_Strict):
    """``free``: text bundled; ``licensed``: scoring only, text from a text pack;
    ``project``: written by the Rapport project."""

    kind: Literal["free", "licensed", "project"]
    status: str
    quotes: list[Quote] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list)


class Copyright(_Strict):
    required_line: str | None = None
    citation: str | None = None
    other_lines: list[str] = Field(default_factory=list)


class Loinc(_Strict):
    panel: str | None = None
    total: str | None = None


class ScaledScore(_Strict):
    """A second presentation of the total, e.g. WHO-5 percentage = raw x 4."""

    factor: float
    label: str


class Instrument(_Strict):
    """A complete instrument definition (one bundled YAML file)."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str
    short_name: str
    version: str
    kind: Kind
    validated: bool
    assesses: str
    direction: Direction
    stem: str | None = None
    instruction: str | None = None
    options: list[Option] = Field(default_factory=list)
    scale: Scale | None = None
    items: list[Item] = Field(min_length=1)
    scoring: Literal["sum", "mean"] = "sum"
    subscales: dict[str, list[str]] = Field(default_factory=dict)
    missing: MissingRule = MissingRule()
    bands: list[Band] = Field(default_factory=list)
    bands_source: str | None = None
    cut_off: CutOff | None = None
    reliable_change: ReliableChange | None = None
    meaningful_change: MeaningfulChange | None = None
    alliance: AllianceSettings | None = None
    scaled: ScaledScore | None = None
    loinc: Loinc = Loinc()
    licence: Licence
    copyright: Copyright = Copyright()
    text_source: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.scale is None) == (not self.options):
            raise ValueError("give exactly one of options (a list) or scale")
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        for name, members in self.subscales.items():
            unknown = sorted(set(members) - set(ids))
            if unknown:
                raise ValueError(f"subscale {name!r} names unknown items {unknown}")
        if self.missing.max_missing >= len(ids):
            raise ValueError("missing.max_missing must leave at least one answered item")
        if self.kind == "alliance" and self.alliance is None:
            raise ValueError("an alliance measure needs an 'alliance' block")
        if self.licence.kind == "licensed" and any(item.text for item in self.items):
            raise ValueError("a licensed instrument must not bundle item text")
        low, high = self.total_range
        for band in self.bands:
            if band.min > band.max or band.min < low or band.max > high:
                raise ValueError(f"band {band.label!r} lies outside {low}-{high}")
        return self

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    @property
    def value_range(self) -> tuple[float, float]:
        """Lowest and highest value one item can take."""
        if self.scale is not None:
            return self.scale.min, self.scale.max
        values = [option.value for option in self.options]
        return float(min(values)), float(max(values))

    @property
    def total_range(self) -> tuple[float, float]:
        low, high = self.value_range
        if self.scoring == "mean":
            return low, high
        return low * len(self.items), high * len(self.items)

    @property
    def needs_text_pack(self) -> bool:
        return any(item.text is None for item in self.items)

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def item_number(self, item_id: str) -> int:
        """The item's position on the form, from 1."""
        return self.item_ids.index(item_id) + 1

    def item_in_words(self, item_id: str) -> str:
        """How alerts name an item: its number and its ``alert_label`` or text, never its
        id, e.g. ``item 9 (thoughts that you would be better off dead, ...)``."""
        item = self.item(item_id)
        words = item.alert_label or (item.text[:1].lower() + item.text[1:] if item.text
                                     else None)
        number = self.item_number(item_id)
        return f"item {number} ({words})" if words else f"item {number}"
