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
