"""``rapport code`` streams session by session in worker processes: same table, in input
order, as coding everything in one process; a bad input anywhere leaves no output."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from cli_runner import Cli

from rapport.ingest import read_sessions
from rapport.pipeline import code_sessions, code_table, load_coders
from rapport.pipeline.coders import all_families

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ANNOMI = Path(__file__).resolve().parents[2] / "data" / "annomi" / "AnnoMI-simple.csv"


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_json(path, lines=True)


def _few_sessions(tmp_path: Path) -> Path:
    """Nine AnnoMI sessions in one CSV: enough to spread over two workers."""
    frame = pd.read_csv(ANNOMI)
    keep = sorted(frame["transcript_id"].unique())[:9]
    path = tmp_path / "nine.csv"
    frame[frame["transcript_id"].isin(keep)].to_csv(path, index=False)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_two_workers_write_the_one_process_table(cli: Cli, tmp_path: Path,
                                                 suffix: str) -> None:
    source = _few_sessions(tmp_path)
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    assert cli("code", source, "--out", one, "--workers", "1").exit_code == 0
    result = cli("code", source, "--out", two, "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "from 9 sessions" in result.output
    pd.testing.assert_frame_equal(_read(one), _read(two))
    # and both equal the table built in memory from the same sessions
    coders = load_coders("fast")
    expected = code_table(code_sessions([r.session for r in read_sessions([source])], coders),
                          all_families(coders))
    got = _read(two)
    assert list(got["session_id"]) == list(expected["session_id"])
    assert list(got.columns) == list(expected.columns)
    assert (got["therapist_behaviour"].fillna("") ==
            expected["therapist_behaviour"].fillna("").astype(str)).all()
    assert not list(tmp_path.glob(".*part"))


def test_a_bad_file_after_good_ones_leaves_no_output(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text((EXAMPLES / "rupture_repair.txt").read_text("utf-8"),
                                  encoding="utf-8")
    (folder / "b.txt").write_text("T: Hello\nC:\n", encoding="utf-8")  # empty turn
    out = tmp_path / "codes.csv"
    result = cli("code", folder, "--out", out, "--workers", "2")
    assert result.exit_code == 2
    assert "b.txt" in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_workers_below_one_is_an_input_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("code", EXAMPLES / "rupture_repair.txt", "--out", tmp_path / "c.csv",
                 "--workers", "0")
    assert result.exit_code == 2
    assert "--workers" in result.output


def test_english_variants_are_coded_like_english(cli: Cli, tmp_path: Path) -> None:
    """The language rule is applied once, in the pipeline: en-GB is English."""
    text = (EXAMPLES / "check_in.jsonl").read_text("utf-8")
    source = tmp_path / "gb.jsonl"
    source.write_text(text.replace('"language": "en"', '"language": "en-GB"', 1),
                      encoding="utf-8")
    assert '"en-GB"' in source.read_text("utf-8")
    out = tmp_path / "gb.csv"
    result = cli("code", source, "--out", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["therapist_behaviour"].notna().any()
    assert "English-only" not in result.output
