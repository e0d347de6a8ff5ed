"""From stored responses back to scored administrations (no database code here).

The record hands over plain rows (anything with the attributes of :class:`StoredResponse`,
e.g. ``rapport.store.responses.ResponseView``). A response keeps, from the moment it was
recorded, its total and subscales, its band and which side of the cut-off it lies on,
together with :func:`scoring_fingerprint` of the definition that scored it. While the
bundled definition still has that fingerprint the stored numbers are used as they are
(pages never re-score on each view); a response stored under another definition, or
before the numbers were kept, is re-scored with the current one, so progress always uses
one scoring, and a response stored under another definition is reported, never silently
mixed in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from rapport.errors import RapportInputError
from rapport.measures.alerts import Administration
from rapport.measures.catalog import definition_version, get_instrument
from rapport.measures.exact import exact
from rapport.measures.schema import Instrument
from rapport.measures.scoring import SafetyFlag, Score, safety_flags, score

_FINGERPRINTS: dict[int, tuple[Instrument, str, str]] = {}


class StoredResponse(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def session_number(self) -> int | None: ...
    @property
    def instrument_id(self) -> str: ...
    @property
    def instrument_version(self) -> str: ...
    @property
    def answers(self) -> dict[str, Any]: ...


def _fingerprints(instrument: Instrument) -> tuple[str, str]:
    """(definition_version, scoring_fingerprint), computed once per definition object
    (hashing a definition costs more than using a stored score)."""
    known = _FINGERPRINTS.get(id(instrument))
    if known is None or known[0] is not instrument:
        version = definition_version(instrument)
        bands = instrument.model_dump(mode="json", include={
            "bands", "cut_off", "direction", "scaled"})
        digest = hashlib.sha256(repr((version, sorted(bands.items()))).encode()).hexdigest()
        known = (instrument, version, digest[:16])
        _FINGERPRINTS[id(instrument)] = known
    return known[1], known[2]


def scoring_fingerprint(instrument: Instrument) -> str:
    """A short fingerprint of everything a stored score depends on: how the items add up
    (:func:`~rapport.measures.catalog.definition_version`) and the bands, cut-off and
    scaling read from the total. Stored beside a response's numbers."""
    return _fingerprints(instrument)[1]


def stored_score(instrument: Instrument, response: Any) -> Score | None:
    """The response's score from its stored numbers, or None when they were not stored
    under the current definition (then re-score). Only the risk items are looked at in
    the answers: a safety flag is derived from its answer every time it is read."""
    if getattr(response, "scored_with", None) != scoring_fingerprint(instrument):
        return None
    scores = response.scores
    total = scores.get("total")
    answers: dict[str, float | None] = {
        item: (None if response.answers.get(item) is None
               else float(response.answers[item])) for item in instrument.item_ids}
    missing = [item for item, value in answers.items() if value is None]
    prorated = total is not None and bool(missing)
    note = None
    if total is None:
        note = (f"{len(missing)} item(s) unanswered; {instrument.short_name} allows "
                f"{instrument.missing.max_missing}, so there is no total")
    elif prorated:
        note = f"{len(missing)} item(s) unanswered; total estimated by the missing-item rule"
    # Built without validation: every field comes from a score validated when it was made.
    return Score.model_construct(
        instrument=instrument.id, answers=answers,
        total=None if total is None else float(total),
        subscales=dict(scores.get("subscales") or {}), missing=missing, prorated=prorated,
        band=response.band, in_clinical_range=response.in_clinical_range,
        scaled_total=(None if total is None or instrument.scaled is None
                      else float(exact(total) * exact(instrument.scaled.factor))),
        safety_flags=safety_flags(instrument, answers), note=note)


def current_flags(instrument: Instrument, response: Any) -> list[SafetyFlag]:
    """The response's safety flags: its risk items read now, or, when its stored numbers
    are not current, the answers scored (and so checked) now."""
    if getattr(response, "scored_with", None) == scoring_fingerprint(instrument):
        return safety_flags(instrument, {item: response.answers.get(item)
                                         for item in instrument.item_ids})
    return score(instrument, response.answers, where=f"response {response.id}").safety_flags


def current_score(instrument: Instrument, response: Any) -> Score:
    """The stored score when it is current, else the answers scored now."""
    return (stored_score(instrument, response)
            or score(instrument, response.answers, where=f"response {response.id}"))


def administrations(responses: Iterable[StoredResponse],
                    dates: Mapping[int, dt.date | None]
                    ) -> tuple[dict[str, list[Administration]], list[str]]:
    """``instrument id -> [Administration]`` and warnings (no client text in them)."""
    grouped: dict[str, list[Administration]] = {}
    warnings: list[str] = []
    for response in responses:
        try:
            instrument = get_instrument(response.instrument_id)
        except RapportInputError:
            warnings.append(f"response {response.id}: unknown instrument "
                            f"{response.instrument_id!r}; left out")
            continue
        if response.session_number is None:
            warnings.append(f"response {response.id}: no session number; left out")
            continue
        if response.instrument_version != _fingerprints(instrument)[0]:
            warnings.append(f"response {response.id}: stored under another "
                            f"{instrument.short_name} definition; re-scored with the current one")
        grouped.setdefault(instrument.id, []).append(Administration(
            session=response.session_number, date=dates.get(response.session_number),
            score=current_score(instrument, response)))
    return grouped, warnings
