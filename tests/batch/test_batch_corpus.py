"""The Parquet corpus input and partition planning."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pytest
from batch_helpers import Cli, code_table_of, read_table
from hypothesis import given
from hypothesis import strategies as st

from rapport.batch.plan import ReadOptions, plan_partitions
from rapport.errors import RapportInputError
from rapport.ingest import RoleMap, read_sessions
from rapport.ingest.parquet_corpus import read_corpus
from rapport.settings import get_settings


def corpus_frame(folder: Path) -> pd.DataFrame:
    """The sessions of ``folder`` as a Parquet corpus table, rows shuffled."""
    sessions = [r.session for r in read_sessions([folder])]
    rows = [{"session_id": s.id, "turn_index": t.index, "speaker": t.speaker,
             "role": t.role.value, "text": t.text, "start": t.start, "end": t.end}
            for s in sessions for t in s.turns]
    random.Random(7).shuffle(rows)
    return pd.DataFrame(rows)


def test_parquet_corpus_codes_like_the_source_files(cli: Cli, corpus: Path, tmp_path: Path,
                                                    scheduler: str) -> None:
    source = tmp_path / "corpus.parquet"
    corpus_frame(corpus).to_parquet(source, index=False, row_group_size=20)
    out = tmp_path / "out"
    result = cli("batch", source, "--out", out, "--scheduler", scheduler,
                 "--partition-size", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert "in 3 partitions" in result.output

    keys = ["session_id", "turn_index"]
    got = read_table(out, "utterances").sort_values(keys, ignore_index=True)
    expected = code_table_of(cli, [corpus], tmp_path / "code.parquet").sort_values(
        keys, ignore_index=True)
    pd.testing.assert_frame_equal(got, expected)
    assert set(read_table(out, "sessions")["input"]) == {str(source)}


def test_corpus_with_a_gap_in_turn_index_is_an_error(tmp_path: Path) -> None:
    frame = pd.DataFrame({"session_id": ["a", "a"], "turn_index": [0, 2],
                          "speaker": ["T", "C"], "role": ["therapist", "client"],
                          "text": ["How are you?", "Tired."]})
    path = tmp_path / "gap.parquet"
    frame.to_parquet(path)
    with pytest.raises(RapportInputError, match="turn_index should be 1") as info:
        read_corpus(path, roles=RoleMap(), settings=get_settings())
    assert info.value.code == "bad_index"


def test_corpus_without_text_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "notext.parquet"
    pd.DataFrame({"session_id": ["a"], "turn_index": [0], "speaker": ["T"]}).to_parquet(path)
    with pytest.raises(RapportInputError, match="missing column") as info:
        read_corpus(path, roles=RoleMap(), settings=get_settings())
    assert info.value.code == "missing_columns"


_cell = st.one_of(st.none(), st.text(max_size=12), st.integers(-2, 3), st.floats())


@given(rows=st.lists(st.fixed_dictionaries({
    "session_id": st.sampled_from(["a", "b"]), "turn_index": st.integers(-1, 4),
    "speaker": st.one_of(st.sampled_from(["T", "C", "Therapist", "Client"]), _cell),
    "role": st.one_of(st.sampled_from(["therapist", "client", "other", ""]), _cell),
    "text": st.one_of(st.sampled_from(["How are you?", "Fine."]), _cell),
    "start": st.one_of(st.none(), st.floats(-1, 100)),
}), min_size=1, max_size=8))
def test_corpus_reader_returns_sessions_or_a_clear_error(rows: list[dict[str, object]],
                                                         tmp_path_factory: pytest.TempPathFactory
                                                         ) -> None:
    frame = pd.DataFrame(rows)
    for column in ("speaker", "role", "text"):  # one Parquet type per column
        frame[column] = frame[column].map(lambda v: v if v is None else str(v))
    path = tmp_path_factory.mktemp("corpus") / "c.parquet"
    frame.to_parquet(path)
    try:
        sessions = read_corpus(path, roles=RoleMap(), settings=get_settings()).sessions
    except RapportInputError as exc:
        assert exc.where and str(path) in exc.where
        return
    assert {s.id for s in sessions} == set(frame["session_id"])
    assert sum(len(s.turns) for s in sessions) == len(frame)


def jsonl_corpus(path: Path, sessions: int) -> Path:
    """A Rapport JSONL corpus of two-turn sessions ``s0``, ``s1``, ..."""
    lines = []
    for k in range(sessions):
        lines.append(f'{{"rapport_format": "session", "version": 1, "id": "s{k}", '
                     '"speakers": [{"name": "T", "role": "therapist"}, '
                     '{"name": "C", "role": "client"}]}')
        lines += [f'{{"speaker": "T", "text": "How was week {k}?"}}',
                  '{"speaker": "C", "text": "Better, I want to keep going."}']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_multi_session_file_split_over_partitions_codes_like_rapport_code(
        cli: Cli, tmp_path: Path, scheduler: str) -> None:
    corpus = jsonl_corpus(tmp_path / "many.jsonl", 7)
    out = tmp_path / "out"
    result = cli("batch", corpus, "--out", out, "--scheduler", scheduler,
                 "--partition-size", "3", "--quiet")
    assert result.exit_code == 0, result.output
    assert "14 turns from 7 sessions in 3 partitions" in result.output
    pd.testing.assert_frame_equal(read_table(out, "utterances"),
                                  code_table_of(cli, [corpus], tmp_path / "code.parquet"))


def test_planning_splits_multi_session_files_and_is_deterministic(tmp_path: Path) -> None:
    corpus = jsonl_corpus(tmp_path / "many.jsonl", 5)
    single = tmp_path / "one.txt"
    single.write_text("T: Hi.\nC: Hello.\n", encoding="utf-8")
    plan = plan_partitions([corpus, single], ReadOptions(), partition_size=2)
    assert [[u.describe() for u in p.units] for p in plan] == [
        [{"input": str(corpus), "sessions": [0, 2]}],
        [{"input": str(corpus), "sessions": [2, 4]}],
        [{"input": str(corpus), "sessions": [4, 5]}, {"input": str(single),
                                                      "sessions": [0, None]}],
    ]
    assert plan == plan_partitions([corpus, single], ReadOptions(), partition_size=2)
    with pytest.raises(RapportInputError, match="below 1"):
        plan_partitions([single], ReadOptions(), partition_size=0)
