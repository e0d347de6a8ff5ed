"""A small record for workbench tests: a therapist (tom) with a client whose session has a
timed, model-coded analysis; tom's supervisor (sam); another therapist (tess); a
researcher (rita). Helpers live here, fixtures in conftest.py."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from rapport.store.analyses import store_analysis
from rapport.store.clients import add_client
from rapport.store.consents import ConsentKind, add_consent
from rapport.store.database import Store
from rapport.store.permissions import UserRole
from rapport.store.users import add_user, link_supervision

DAY = dt.date(2026, 1, 6)
#: (role, text, model codes) of the invented session; times are 2 s per turn.
TURNS = [
    ("therapist", "Is it okay if we look at the week together?", ["seek_collaboration"]),
    ("client", "I guess. I don't really know what to say.", ["withdrawal"]),
    ("therapist", "You came even though it was hard, that took effort.", ["affirm"]),
    ("client", "I felt so ashamed after the party.", ["emotional_disclosure"]),
    ("therapist", "Many people feel that way after a night like that.", ["normalize"]),
    ("client", "Maybe. This is pointless though.", []),
    ("therapist", "It sounds like this feels pointless right now; say more?", []),
    ("client", "Okay.", []),
]


def document(turns: list[tuple[str, str, list[str]]] = TURNS, *, timed: bool = True) -> str:
    from rapport.coding.relationship.codes import CODES_BY_ROLE
    from rapport.domain import Role

    out = []
    for i, (role, text, codes) in enumerate(turns):
        own = CODES_BY_ROLE[Role(role)]
        out.append({"index": i, "role": role, "speaker": "T" if role == "therapist" else "C",
                    "text": text, "words": len(text.split()),
                    "start": 2.0 * i if timed else None, "end": 2.0 * i + 1.5 if timed else None,
                    "codes": {c: {"value": c in codes, "confidence": 0.8, "evidence": [],
                                  "source": "relationship@test"} for c in own}})
    return json.dumps({
        "schema_version": "1.0", "rapport_version": "0.1.0",
        "session": {"id": "s1", "date": None, "language": "en", "metadata": {}},
        "speakers": [{"name": "T", "role": "therapist"}, {"name": "C", "role": "client"}],
        "turns": out, "models": ["relationship@test"], "metrics": {}, "sections": {},
        "warnings": []})


@dataclass(frozen=True)
class Record:
    store: Store


def populate(store: Store) -> Record:
    with store.transaction(None, interface="system") as tx:
        add_user(tx, "ada", UserRole.ADMIN)
    with store.transaction("ada", interface="system") as tx:
        for name, role in (("tom", UserRole.THERAPIST), ("tess", UserRole.THERAPIST),
                           ("sam", UserRole.SUPERVISOR), ("rita", UserRole.RESEARCHER)):
            add_user(tx, name, role)
        link_supervision(tx, "sam", "tom")
    with store.transaction("tom", interface="system") as tx:
        add_client(tx, "C-001", identity={"name": "Person One"})
        for kind in (ConsentKind.ANALYSIS, ConsentKind.RESEARCH):
            add_consent(tx, "C-001", kind, given_on=DAY)
        store_analysis(tx, "C-001", 1, document(), session_date=DAY)
        store_analysis(tx, "C-001", 2, document(TURNS[:4], timed=False), session_date=DAY)
    return Record(store)
