"""Reading codings: any bytes give a table or one clear input error (Hypothesis)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.research.codings import align, label_of, normalise_keys, read_table

CELLS = st.one_of(st.text(max_size=6), st.integers(-3, 30).map(str),
                  st.sampled_from(["", "0", "1.0", "1.5", "NaN", "-1", "s1", '"', ","]))
ROWS = st.lists(st.lists(CELLS, min_size=1, max_size=4), max_size=8)
HEADERS = st.lists(st.sampled_from(["session_id", "turn_index", "question_type", "role",
                                    "x", ""]), min_size=1, max_size=4)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(header=HEADERS, rows=ROWS)
def test_any_csv_reads_or_fails_with_an_input_error(tmp_path: Path, header: list[str],
                                                    rows: list[list[str]]) -> None:
    path = tmp_path / "coding.csv"
    lines = [",".join(header)] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        frame = normalise_keys(read_table(path), str(path))
    except RapportInputError as exc:
        assert exc.fix
        return
    assert frame["session_id"].map(type).eq(str).all()
    if "turn_index" in frame:
        assert (frame["turn_index"] >= 0).all()
        assert not frame.duplicated(["session_id", "turn_index"]).any()


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()))
def test_label_of_gives_text_or_none(value: object) -> None:
    label = label_of(value)
    assert label is None or (isinstance(label, str) and label == label.strip() and label)
    if isinstance(value, float) and not math.isnan(value) and value.is_integer():
        assert label == str(int(value))


def test_the_same_label_across_file_types() -> None:
    assert {label_of(v) for v in (1, 1.0, True, "1", " 1 ")} == {"1"}
    assert {label_of(v) for v in (None, float("nan"), "", pd.NA)} == {None}


def test_partial_alignment_counts_both_sides(tmp_path: Path) -> None:
    a = pd.DataFrame({"session_id": ["s", "s", "t"], "turn_index": [0, 1, 0], "c": [1, 2, 3]})
    b = pd.DataFrame({"session_id": ["s", "u"], "turn_index": [1, 0], "c": [2, 9]})
    aligned = align(a, b, where_a="a", where_b="b", allow_partial=True)
    assert (aligned.only_in_a, aligned.only_in_b, len(aligned.joined)) == (2, 1, 1)
    assert aligned.joined[["c@a", "c@b"]].iloc[0].tolist() == [2, 2]
    with pytest.raises(RapportInputError, match="2 of the 3 utterances in a"):
        align(a, b, where_a="a", where_b="b", allow_partial=False)
