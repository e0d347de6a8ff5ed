"""Made-up demo clients whose scores show each progress pattern (no real client data).

* ``demo-recovery``: PHQ-9 18 -> 7 over six sessions (reliable improvement and crossing
  the cut-off = recovered); a steady session check-in.
* ``demo-not-on-track``: PHQ-9 12 -> 19 (reliable deterioration; no reliable improvement
  by session 6).
* ``demo-safety``: PHQ-9 item 9 answered 1 at sessions 3 and 4 (urgent safety flags); the
  session-3 flag is acknowledged by the therapist (:func:`demo_acknowledgements`), the
  session-4 flag is left open.
* ``demo-rupture``: session check-in 44, 45, 44, 45, then 33 (rupture), then 45 (repair).

Used by the tests and the docs; ``rapport measures demo`` stores them in the record
(:func:`demo_sessions` and :func:`demo_records` give the plain rows).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from rapport.measures.alerts import Administration
from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import score

_START = dt.date(2026, 1, 6)


class DemoSession(NamedTuple):
    client: str
    number: int
    date: dt.date
    attendance: str  # the record's words: attended, cancelled, no-show


class DemoAcknowledgement(NamedTuple):
    """An invented acknowledgement of a demo client's safety flag."""

    client: str
    instrument: str
    session: int
    item: str
    action: str
    note: str


class DemoRecord(NamedTuple):
    client: str
    instrument: str
    session: int
    date: dt.date
    answers: dict[str, float | None]


def _spread(instrument_id: str, total: int, *, fixed: dict[str, int] | None = None
            ) -> dict[str, float | None]:
    """Answers that add up to ``total``, filling items in order (deterministic)."""
    instrument = get_instrument(instrument_id)
    low, high = instrument.value_range
    answers: dict[str, float | None] = {key: float(value) for key, value in (fixed or {}).items()}
    remaining = total - sum(value or 0 for value in answers.values())
    free = [key for key in instrument.item_ids if key not in answers]
    remaining -= int(low) * len(free)
    for key in free:
        value = min(int(high - low), max(remaining, 0))
        answers[key] = low + value
        remaining -= value
    if remaining:
        raise ValueError(f"{total} is out of range for {instrument_id}")
    return {key: answers[key] for key in instrument.item_ids}


_PLAN: dict[str, dict[str, list[int]]] = {
    "demo-recovery": {"phq9": [18, 16, 13, 11, 9, 7], "checkin": [42, 43, 44, 44, 45, 46]},
    "demo-not-on-track": {"phq9": [12, 13, 14, 15, 17, 19]},
    "demo-safety": {"phq9": [14, 13, 12, 11]},
    "demo-rupture": {"checkin": [44, 45, 44, 45, 33, 45, 46]},
}


def demo_records() -> list[DemoRecord]:
    """Every demo administration as a plain row (weekly sessions from 6 January 2026)."""
    rows: list[DemoRecord] = []
    for client, plan in _PLAN.items():
        for instrument_id, totals in plan.items():
            for number, total in enumerate(totals, 1):
                fixed = ({"phq9_9": 1} if client == "demo-safety" and number in (3, 4) else
                         {"phq9_9": 0} if instrument_id == "phq9" else None)
                rows.append(DemoRecord(client, instrument_id, number,
                                       _START + dt.timedelta(weeks=number - 1),
                                       _spread(instrument_id, total, fixed=fixed)))
    return rows


def demo_acknowledgements() -> list[DemoAcknowledgement]:
    """The demo's acknowledged flag (demo-safety, session 3); session 4's stays open."""
    return [DemoAcknowledgement(
        "demo-safety", "phq9", 3, "phq9_9", "assessed",
        "Invented demo note: asked directly in session 3; passive thoughts, no plan or "
        "intent; safety plan written together and a check-in call agreed.")]


def demo_sessions() -> list[DemoSession]:
    """The sessions the demo records belong to, plus a no-show and a cancellation."""
    seen = sorted({(r.client, r.session, r.date) for r in demo_records()})
    rows = [DemoSession(client, number, date, "attended") for client, number, date in seen]
    rows.append(DemoSession("demo-rupture", 8, _START + dt.timedelta(weeks=7), "no-show"))
    rows.append(DemoSession("demo-not-on-track", 7, _START + dt.timedelta(weeks=6),
                            "cancelled"))
    return rows


def demo_administrations() -> dict[str, dict[str, list[Administration]]]:
    """``client -> instrument -> [Administration]``, scored."""
    result: dict[str, dict[str, list[Administration]]] = {}
    for row in demo_records():
        instrument = get_instrument(row.instrument)
        admin = Administration(session=row.session, date=row.date,
                               score=score(instrument, row.answers))
        result.setdefault(row.client, {}).setdefault(row.instrument, []).append(admin)
    return result
