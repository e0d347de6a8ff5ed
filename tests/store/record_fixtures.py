"""A small, hand-written analysis document shaped like ``rapport analyze --json``."""

from __future__ import annotations

import json
from dataclasses import dataclass

PLANTED_NAME = "Zebedee Marchbanks"
PLANTED_SENTENCE = "my sister took the blue violin to Lisbon"


def document_json(*, metrics: dict[str, float | None] | None = None,
                  text: str = PLANTED_SENTENCE) -> str:
    doc = {
        "schema_version": "1.0", "rapport_version": "0.1.0",
        "session": {"id": "s1", "date": None, "language": "en", "metadata": {}},
        "speakers": [{"name": "T", "role": "therapist"}, {"name": "C", "role": "client"}],
        "turns": [
            {"index": 0, "role": "therapist", "speaker": "T", "text": "How was the week?",
             "words": 4, "codes": {}},
            {"index": 1, "role": "client", "speaker": "C", "text": text, "words": 8,
             "codes": {"disclosure": {"value": True, "confidence": 0.9,
                                      "evidence": [text], "source": "demo@1"}}},
        ],
        "models": ["demo@1"],
        "metrics": {"listening.ratio": 0.75, "talk.client_share": 0.5}
        if metrics is None else metrics,
        "sections": {}, "warnings": [],
    }
    return json.dumps(doc)


@dataclass(frozen=True)
class People:
    admin: str = "ada"
    therapist: str = "tom"
    other_therapist: str = "tess"
    supervisor: str = "sam"
    researcher: str = "rita"


def rotated(store, key_file, folder, admin):  # type: ignore[no-untyped-def]
    """Rotate ``store``'s key (read from ``key_file``) to a new one written in ``folder``,
    as ``admin``, checking nothing is left under the old key; the store opened with the
    new key (the caller disposes of it)."""
    from rapport.store.crypto import Cipher, read_key_file, write_key_file
    from rapport.store.database import Store
    from rapport.store.keys import remaining_with_key, rotate_keys

    old = Cipher(read_key_file(key_file))
    new = Cipher(write_key_file(folder / "new.key"))
    with store.transaction(admin) as tx:
        rotate_keys(tx, old, new)
        assert remaining_with_key(tx, old) == 0
    return Store(store.url, key_file=folder / "new.key")
