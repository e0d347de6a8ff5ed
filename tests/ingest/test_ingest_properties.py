"""Property tests: importers never fail with anything but our input error; JSONL round-trips."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.domain import Role, Session, Speaker, Turn, is_backchannel
from rapport.errors import RapportInputError
from rapport.ingest import ImportResult, RoleMap, parse_bytes
from rapport.ingest.jsonl import dump_sessions

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORMATS = [None, "text", "vtt", "srt", "whisper", "csv", "jsonl"]
NAMES = {"text": "s.txt", "vtt": "s.vtt", "srt": "s.srt", "whisper": "s.json", "csv": "s.csv",
         "jsonl": "s.jsonl"}
ROLES = RoleMap(therapist=("Dr. Lee", "SPEAKER_00"),
                client=("Jordan", "Maya", "SPEAKER_01", "SPEAKER_02"))
# the first few hundred bytes of each example: valid input to mutate
SEEDS = {fmt: (EXAMPLES / name).read_bytes()[:1500] for fmt, name in (
    ("text", "rupture_repair.txt"), ("vtt", "poor_listening.vtt"),
    ("srt", "good_listening.srt"), ("csv", "first_session.csv"), ("jsonl", "check_in.jsonl"))}
SEEDS["whisper"] = (b'{"segments": [{"start": 0, "end": 1.5, "text": " Hi.", "speaker": '
                    b'"SPEAKER_00"}, {"start": 2, "end": 3, "text": " Hello.", "speaker": '
                    b'"SPEAKER_01"}]}')
FAST = settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])


def import_or_error(data: bytes, fmt: str | None, name: str) -> ImportResult | None:
    """Parse; our input error is an accepted answer, anything else fails the test."""
    try:
        result = parse_bytes(data, name=name, fmt=fmt, roles=ROLES)
    except RapportInputError as err:
        assert err.where
        assert err.fix
        return None
    for session in result.sessions:
        assert session.turns
        assert {Role.THERAPIST, Role.CLIENT} <= {s.role for s in session.speakers}
        assert all(t.text.strip() for t in session.turns)
    return result


@FAST
@given(data=st.binary(max_size=400), fmt=st.sampled_from(FORMATS))
def test_random_bytes_give_a_session_or_our_error(data: bytes, fmt: str | None) -> None:
    import_or_error(data, fmt, NAMES.get(fmt or "text", "s.txt"))


@FAST
@given(text=st.text(max_size=300), fmt=st.sampled_from(FORMATS))
def test_random_text_gives_a_session_or_our_error(text: str, fmt: str | None) -> None:
    import_or_error(text.encode("utf-8", "surrogatepass"), fmt, "s.txt")


@st.composite
def near_valid(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid example with a few edits: cut, inserted junk, swapped or duplicated lines."""
    fmt = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[fmt])
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["cut", "insert", "byte", "swap", "truncate"]))
        if edit == "cut":
            del data[at:at + draw(st.integers(1, 40))]
        elif edit == "insert":
            junk = draw(st.sampled_from([b"-->", b":", b"\n", b"\n\n", b'"', b"{", b"}",
                                         b"[", b",", b"<v ", b">", b"\xff", b"\x00", b"\t",
                                         b"99:99:99", b"NaN", b"[00:00:01]", b"\\"]))
            data[at:at] = junk
        elif edit == "byte" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif edit == "swap":
            lines = bytes(data).split(b"\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            data = bytearray(b"\n".join(lines))
        else:
            del data[at:]
    return fmt, bytes(data)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(case=near_valid(), forced=st.booleans())
def test_near_valid_inputs_give_a_session_or_our_error(case: tuple[str, bytes],
                                                       forced: bool) -> None:
    fmt, data = case
    import_or_error(data, fmt if forced else None, NAMES[fmt])


_WORDS = st.sampled_from(["I", "feel", "tired", "work", "my", "sister", "okay", "so",
                          "what", "happened", "mm-hmm", "yeah", "really", "today", "and"])
_UTTERANCE = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)
_ROLE_TURNS = st.lists(st.tuples(st.sampled_from(["T", "C"]), _UTTERANCE), min_size=2,
                       max_size=30).filter(lambda ts: {r for r, _ in ts} == {"T", "C"})


@FAST
@given(turns=_ROLE_TURNS)
def test_plain_text_keeps_every_turn_as_written(turns: list[tuple[str, str]]) -> None:
    text = "".join(f"{who}: {said}\n" for who, said in turns)
    (session,) = parse_bytes(text.encode(), name="s.txt").sessions
    assert [(t.speaker, t.text) for t in session.turns] == turns


@FAST
@given(turns=_ROLE_TURNS)
def test_csv_rows_are_turns(turns: list[tuple[str, str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([("speaker", "text"), *turns])
    (session,) = parse_bytes(buf.getvalue().encode(), name="s.csv").sessions
    assert [(t.speaker, t.text) for t in session.turns] == turns


@FAST
@given(turns=_ROLE_TURNS)
def test_srt_merges_exactly_the_consecutive_cues_of_one_speaker(
        turns: list[tuple[str, str]]) -> None:
    cues = [f"{i}\n00:00:{i:02d},000 --> 00:00:{i:02d},500\n{who}: {said}\n"
            for i, (who, said) in enumerate(turns, 1)]
    (session,) = parse_bytes("\n".join(cues).encode(), name="s.srt").sessions
    merged: list[tuple[str, str]] = []
    for who, said in turns:
        if merged and merged[-1][0] == who:
            merged[-1] = (who, f"{merged[-1][1]} {said}")
        else:
            merged.append((who, said))
    assert [(t.speaker, t.text) for t in session.turns] == merged


_NAME = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                max_size=20).filter(str.strip)
_META = st.dictionaries(st.text(max_size=10), st.none() | st.booleans() | st.integers()
                        | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
                        max_size=4)


@st.composite
def sessions(draw: st.DrawFn, sid: str) -> Session:
    names = draw(st.lists(_NAME, min_size=2, max_size=4, unique=True))
    roles = [Role.THERAPIST, Role.CLIENT, *draw(st.lists(st.sampled_from(list(Role)),
                                                         min_size=len(names) - 2,
                                                         max_size=len(names) - 2))]
    speakers = [Speaker(name=n, role=r) for n, r in zip(names, roles, strict=True)]
    count = draw(st.integers(2, 12))
    timed = draw(st.booleans())
    clock = 0.0
    turns = []
    for i in range(count):
        who = speakers[i % 2] if i < 2 else draw(st.sampled_from(speakers))
        text = draw(st.text(min_size=1, max_size=60).filter(str.strip))
        start = end = None
        if timed:
            start = clock + draw(st.floats(0, 5))
            end = start + draw(st.floats(0, 20))
            clock = end
        turns.append(Turn(index=i, speaker=who.name, role=who.role, text=text, start=start,
                          end=end, backchannel=draw(st.booleans()) or is_backchannel(text)))
    return Session(id=sid, speakers=tuple(speakers), turns=tuple(turns),
                   date=draw(st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1))),
                   language=draw(st.sampled_from(["en", "es", "und"])),
                   metadata=draw(_META))


@FAST
@given(corpus=st.integers(1, 3).flatmap(
    lambda n: st.tuples(*[sessions(f"session-{k}") for k in range(n)])))
def test_jsonl_dump_then_parse_gives_the_same_sessions(corpus: tuple[Session, ...]) -> None:
    text = dump_sessions(corpus)
    result = parse_bytes(text.encode("utf-8"), name="corpus.jsonl")
    assert result.format == "jsonl"
    assert result.sessions == list(corpus)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                               max_size=3),
    max_leaves=12)


@FAST
@given(segments=st.lists(st.dictionaries(
    st.sampled_from(["start", "end", "text", "speaker", "words"]), _JSON), max_size=5),
    language=_JSON)
def test_whisper_json_with_wrong_types_gives_our_error(segments: list[dict[str, object]],
                                                       language: object) -> None:
    doc = {"segments": segments, "language": language}
    import_or_error(json.dumps(doc).encode(), "whisper", "s.json")


@FAST
@given(header=st.dictionaries(st.sampled_from(
    ["rapport_format", "version", "id", "speakers", "language", "date", "metadata"]), _JSON),
    turns=st.lists(st.dictionaries(st.sampled_from(
        ["speaker", "text", "start", "end", "index", "backchannel"]), _JSON), max_size=4))
def test_jsonl_with_wrong_types_gives_our_error(header: dict[str, object],
                                                turns: list[dict[str, object]]) -> None:
    header = {"rapport_format": "session", "version": 1, **header}
    lines = [json.dumps(header), *(json.dumps(t) for t in turns)]
    import_or_error("\n".join(lines).encode(), None, "s.jsonl")
