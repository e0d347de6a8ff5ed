"""A CSV read session by session (``iter_sessions(..., stream=True)``, issue 17): the same
sessions and warnings as reading it whole; sessions come out before the rest of the file
is read; a file that cannot be streamed is read whole and reported as before."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.ingest import RoleMap, iter_sessions, read_sessions
from rapport.ingest.csv_stream import open_csv_stream
from rapport.settings import Settings, get_settings

ANNOMI = Path(__file__).resolve().parents[2] / "data" / "annomi" / "AnnoMI-simple.csv"
HEADER = "transcript_id,interlocutor,utterance_text,timestamp\n"


def _annomi_rows(key: str, n: int = 2) -> str:
    return "".join(f"{key},{'therapist' if k % 2 == 0 else 'client'},turn {k} of {key},"
                   f"00:00:{k:02d}\n" for k in range(n))


def _write(tmp_path: Path, text: str, name: str = "corpus.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _stream(path: Path, **kwargs: object) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.session.id, r.warnings)
            for r in iter_sessions([path], stream=True, **kwargs)]  # type: ignore[arg-type]


def test_annomi_streamed_equals_annomi_read_whole() -> None:
    assert open_csv_stream(ANNOMI, roles=RoleMap(), fmt=None, encoding=None,
                           settings=get_settings()) is not None
    streamed = list(iter_sessions([ANNOMI], stream=True))
    whole = read_sessions([ANNOMI])
    assert [r.session for r in streamed] == [r.session for r in whole]
    assert [r.warnings for r in streamed] == [r.warnings for r in whole]


def test_sessions_before_a_bad_row_come_out_before_its_error(tmp_path: Path) -> None:
    bad = "c,nobody,what is this,00:00:09\n"  # an interlocutor that is neither role
    path = _write(tmp_path, HEADER + _annomi_rows("a") + _annomi_rows("b")
                  + _annomi_rows("c") + bad.replace("c,", "d,"))
    stream = iter_sessions([path], stream=True)
    # every session but the last read is yielded (one is held back for the warnings that
    # only the end of the input decides)
    assert next(stream).session.id == "annomi-a"
    assert next(stream).session.id == "annomi-b"
    with pytest.raises(RapportInputError) as info:
        next(stream)
    assert info.value.where == f"{path}:8"
    assert "nobody" in str(info.value)
    # read whole, the same file gives no session at all, and the same error
    with pytest.raises(RapportInputError) as whole:
        next(iter_sessions([path]))
    assert whole.value.where == info.value.where


def test_split_up_sessions_are_read_whole(tmp_path: Path) -> None:
    rows = [HEADER, *_annomi_rows("a", 2).splitlines(True), *_annomi_rows("b").splitlines(True),
            "a,therapist,back to a,00:00:05\n"]
    text = "".join(rows)
    path = _write(tmp_path, text)
    assert open_csv_stream(path, roles=RoleMap(), fmt=None, encoding=None,
                           settings=get_settings()) is None
    streamed = _stream(path)
    assert [sid for sid, _ in streamed] == ["annomi-a", "annomi-b"]
    assert streamed == [(r.session.id, r.warnings) for r in read_sessions([path])]
    assert len(next(iter_sessions([path], stream=True)).session.turns) == 3


@pytest.mark.parametrize("data", [
    "speaker,text\nA,hi\n".encode("cp1252") + "B,caf\u00e9\n".encode("cp1252"),  # not UTF-8
    b"speaker,text\nA,\"unclosed\nB,hello\n",                                  # bad quoting
    b"speaker,text\n",                                                          # no rows
    b"speaker,text\nA,hi\x01there\n",                                          # binary
])
def test_files_the_index_pass_doubts_give_the_whole_file_error(tmp_path: Path,
                                                              data: bytes) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    assert open_csv_stream(path, roles=RoleMap(), fmt=None, encoding=None,
                           settings=get_settings()) is None
    with pytest.raises(RapportInputError) as streamed:
        list(iter_sessions([path], stream=True))
    with pytest.raises(RapportInputError) as whole:
        list(iter_sessions([path]))
    assert str(streamed.value) == str(whole.value)


def test_a_streamed_file_is_not_held_to_the_file_size_limit(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + _annomi_rows("a") + _annomi_rows("b"))
    small = Settings(max_file_bytes=50)
    with pytest.raises(RapportInputError, match="over the limit"):
        list(iter_sessions([path], settings=small))
    assert [r.session.id for r in iter_sessions([path], settings=small, stream=True)] == \
        ["annomi-a", "annomi-b"]


def test_an_over_long_line_is_still_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "speaker,text\nA," + "x" * 200 + "\n")
    with pytest.raises(RapportInputError, match="over the limit") as info:
        list(iter_sessions([path], settings=Settings(max_line_chars=100), stream=True))
    assert info.value.where == f"{path}:2"


def test_unmatched_role_flag_warning_comes_with_the_last_session(tmp_path: Path) -> None:
    text = "session_id,speaker,text\ns1,Lee,hello\ns1,Maya,hi\ns2,Lee,again\ns2,Maya,yes\n"
    path = _write(tmp_path, text)
    roles = RoleMap(therapist=("Lee",), client=("Maya", "Mya"))
    streamed = _stream(path, roles=roles)
    whole = [(r.session.id, r.warnings) for r in read_sessions([path], roles=roles)]
    assert [sid for sid, _ in streamed] == ["s1", "s2"]
    assert not any("Mya" in w for w in streamed[0][1])
    assert any("Mya" in w for w in streamed[1][1])
    assert set(streamed[1][1]) == set(whole[1][1])


_names = st.sampled_from(["Lee", "Maya", "Sam"])
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=1, max_size=30).filter(lambda t: t.strip() != "")


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(st.lists(st.tuples(_names, _text), min_size=1, max_size=5),
                         min_size=1, max_size=5),
       with_ids=st.booleans(), shuffle=st.randoms(use_true_random=False))
def test_streamed_equals_whole_on_any_generic_csv(tmp_path: Path,
                                                  sessions: list[list[tuple[str, str]]],
                                                  with_ids: bool, shuffle: object) -> None:
    rows = [(f"s{k}" if with_ids else "", who, text)
            for k, turns in enumerate(sessions) for who, text in turns]
    if with_ids and len(rows) > 2:
        shuffle.shuffle(rows)  # type: ignore[attr-defined]  # split-up sessions too
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["session_id", "speaker", "text"])
    writer.writerows(rows)
    path = _write(tmp_path, buffer.getvalue(), "gen.csv")
    roles = RoleMap(therapist=("Lee",), client=("Maya",), other=("Sam",))
    try:
        whole = [(r.session, r.warnings) for r in read_sessions([path], roles=roles)]
    except RapportInputError as exc:
        with pytest.raises(RapportInputError) as info:
            list(iter_sessions([path], roles=roles, stream=True))
        assert info.value.code == exc.code
        return
    streamed = [(r.session, r.warnings) for r in iter_sessions([path], roles=roles,
                                                                stream=True)]
    assert [s for s, _ in streamed] == [s for s, _ in whole]
    assert {w for _, ws in streamed for w in ws} == {w for _, ws in whole for w in ws}
