"""JSONL speakers with ``"role": null`` (a transcribed recording): the flags decide."""

from __future__ import annotations

import json

import pytest

from rapport.errors import RapportInputError
from rapport.ingest import RoleMap, parse_bytes

HEADER = {"rapport_format": "session", "version": 1, "id": "rec",
          "speakers": [{"name": "SPEAKER_1", "role": None}, {"name": "SPEAKER_2", "role": None}],
          "metadata": {"suggested_roles": "SPEAKER_1=client, SPEAKER_2=therapist"}}
TURNS = [{"speaker": "SPEAKER_1", "text": "It was a hard week.", "start": 0.5, "end": 2.0},
         {"speaker": "SPEAKER_2", "text": "What made it hard?", "start": 2.4, "end": 3.6}]


def data(header: dict[str, object] = HEADER) -> bytes:
    return "\n".join(json.dumps(x) for x in [header, *TURNS]).encode()


def test_without_flags_the_suggestion_is_offered_not_applied() -> None:
    with pytest.raises(RapportInputError) as caught:
        parse_bytes(data(), name="rec.jsonl")
    assert caught.value.code == "unknown_speaker"
    assert "--client-speaker SPEAKER_1 --therapist SPEAKER_2" in (caught.value.fix or "")
    assert "suggested" in (caught.value.fix or "")


def test_flags_settle_the_roles() -> None:
    result = parse_bytes(data(), name="rec.jsonl",
                         roles=RoleMap(therapist=("SPEAKER_1",), client=("SPEAKER_2",)))
    (session,) = result.sessions
    assert [s.role.value for s in session.speakers] == ["therapist", "client"]
    assert session.metadata["suggested_roles"] == HEADER["metadata"]["suggested_roles"]  # type: ignore[index]


def test_without_a_suggestion_the_generic_fix_is_given() -> None:
    header = {**HEADER, "metadata": {}}
    with pytest.raises(RapportInputError) as caught:
        parse_bytes(data(header), name="rec.jsonl")
    assert "suggested" not in (caught.value.fix or "")
    assert "--therapist SPEAKER_1" in (caught.value.fix or "")


def test_an_unknown_role_is_still_refused() -> None:
    header = {**HEADER, "speakers": [{"name": "SPEAKER_1", "role": "boss"},
                                     {"name": "SPEAKER_2", "role": None}]}
    with pytest.raises(RapportInputError, match="each speaker needs"):
        parse_bytes(data(header), name="rec.jsonl")
