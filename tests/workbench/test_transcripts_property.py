"""Uploaded transcripts for coding projects: whatever the bytes, reading them gives
sessions that have therapist or client turns, or the one input error naming the file
(Hypothesis; no record needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.workbench.transcripts import (
    MAX_SESSIONS,
    SpeakerNames,
    TranscriptFile,
    read_transcripts,
    transcript_units,
)

NAMES = st.sampled_from(["a.txt", "b.srt", "c.vtt", "d.csv", "e.json", "f.jsonl", "g"])
SPEAKERS = st.sampled_from(["Therapist", "Client", "Counselor", "Maya", "T", "C", ""])
LINES = st.lists(st.tuples(SPEAKERS, st.text(max_size=40)), max_size=8).map(
    lambda turns: "\n".join(f"{who}: {text}" if who else text for who, text in turns))


def _check(files: list[TranscriptFile]) -> None:
    try:
        sessions = read_transcripts(files, speakers=SpeakerNames(client=("Maya",)))
    except RapportInputError as exc:
        assert exc.where and exc.code  # one error: where, and a machine code
        assert any(f.name in exc.where for f in files) or exc.where == "files"
        return
    assert len(sessions) <= MAX_SESSIONS
    for session in sessions:
        assert any(t.role in (Role.THERAPIST, Role.CLIENT) for t in session.turns)
    units = transcript_units(sessions, first_position=1)
    assert [u.label for u in units] == [f"transcript {i}" for i in range(1, len(units) + 1)]
    assert all(u.session_id is None and len(u.turns) == len(s.turns)
               for u, s in zip(units, sessions, strict=True))


@given(name=NAMES, data=st.binary(max_size=300))
def test_any_bytes_are_sessions_or_one_error(name: str, data: bytes) -> None:
    _check([TranscriptFile(name=name, data=data)])


@given(name=NAMES, text=LINES)
def test_any_labelled_text_is_sessions_or_one_error(name: str, text: str) -> None:
    _check([TranscriptFile(name=name, data=text.encode())])


def test_a_file_over_the_size_limit_is_refused() -> None:
    from rapport.settings import get_settings

    with pytest.raises(RapportInputError) as caught:
        read_transcripts([TranscriptFile(name="big.txt", data=b"Therapist: hello there\n")],
                         settings=get_settings(max_file_bytes=10))
    assert caught.value.code == "too_large" and caught.value.where == "big.txt"
