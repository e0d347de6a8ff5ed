"""From stored responses back to scored administrations (no database code here).

The record hands over plain rows (anything with the attributes of :class:`StoredResponse`,
e.g. ``rapport.store.responses.ResponseView``); they are re-scored with the current
definitions so progress always uses one scoring, and a response stored under another
definition fingerprint is reported, never silently mixed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from rapport.errors import RapportInputError
from rapport.measures.alerts import Administration
from rapport.measures.catalog import definition_version, get_instrument
from rapport.measures.scoring import score


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
        if response.instrument_version != definition_version(instrument):
            warnings.append(f"response {response.id}: stored under another "
                            f"{instrument.short_name} definition; re-scored with the current one")
        grouped.setdefault(instrument.id, []).append(Administration(
            session=response.session_number, date=dates.get(response.session_number),
            score=score(instrument, response.answers, where=f"response {response.id}")))
    return grouped, warnings
