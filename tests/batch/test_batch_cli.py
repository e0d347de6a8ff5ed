"""``rapport batch`` end to end: the real CLI on a real Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import dask
import duckdb
import pandas as pd
import pytest
from batch_helpers import Cli, code_table_of, read_table

from rapport.batch.tables import metric_keys

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_local_cluster_tables_match_rapport_code_and_analyze(cli: Cli, corpus: Path,
                                                             tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = cli("batch", corpus, "--out", out, "--workers", "2", "--partition-size", "2")
    assert result.exit_code == 0, result.output
    assert "86 turns from 5 sessions in 3 partitions" in result.output

    utterances = read_table(out, "utterances")
    expected = code_table_of(cli, [corpus], tmp_path / "code.parquet")
    pd.testing.assert_frame_equal(utterances, expected)

    sessions = read_table(out, "sessions").set_index("session_id")
    assert list(sessions.index) == list(dict.fromkeys(expected["session_id"]))
    analyzed = cli("analyze", corpus / "rupture_repair.txt", "--json", tmp_path / "r.json",
                   "--quiet")
    assert analyzed.exit_code == 0, analyzed.output
    metrics = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["metrics"]
    assert set(metrics) == set(metric_keys())
    row = sessions.loc["rupture_repair"]
    for key, value in metrics.items():
        assert row[key] == pytest.approx(value, nan_ok=True) if value is not None \
            else pd.isna(row[key])
    assert row["models"] == ("utterance-fast@1.0 relationship-fast@2.1 risk@1.0 "
                             "empathy-fast@1.1")
    assert row["input"] == str(corpus / "rupture_repair.txt")

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] is True
    assert manifest["models"] == ["empathy-fast@1.1", "relationship-fast@2.1", "risk@1.0",
                                  "utterance-fast@1.0"]
    assert [p["name"] for p in manifest["partitions"]] == [
        "part-00000", "part-00001", "part-00002"]
    assert manifest["tables"]["utterances"]["rows"] == len(expected)


def test_duckdb_reads_every_table(cli: Cli, corpus: Path, tmp_path: Path,
                                  scheduler: str) -> None:
    out = tmp_path / "out"
    result = cli("batch", corpus, "--out", out, "--scheduler", scheduler,
                 "--partition-size", "1", "--quiet")
    assert result.exit_code == 0, result.output
    con = duckdb.connect()
    turns = con.execute(
        f"SELECT session_id, count(*) FROM read_parquet('{out}/utterances/*.parquet') "
        "GROUP BY session_id ORDER BY session_id").fetchall()
    assert turns == [("check-in", 10), ("first-session", 31), ("rupture_repair", 36),
                     ("week1", 4), ("week2", 5)]
    share = con.execute(
        'SELECT "turn_taking.therapist_word_share" FROM '
        f"read_parquet('{out}/sessions/*.parquet') WHERE session_id = 'week1'").fetchone()
    assert share is not None and 0 < share[0] < 1
    assert con.execute(f"SELECT count(*) FROM read_parquet('{out}/errors/*.parquet')"
                       ).fetchone() == (0,)


def test_a_bad_file_is_skipped_with_its_reason(cli: Cli, corpus: Path, tmp_path: Path,
                                               scheduler: str) -> None:
    secret = "my brother Tobias hit me"
    (corpus / "unlabelled.txt").write_text(f"{secret}\nand nobody knows\n", encoding="utf-8")
    (corpus / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    out = tmp_path / "out"
    result = cli("batch", corpus, tmp_path / "missing.vtt", "--out", out,
                 "--scheduler", scheduler, "--partition-size", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert "3 input(s) skipped" in result.output
    errors = read_table(out, "errors").set_index("input")
    assert errors.loc[str(corpus / "unlabelled.txt"), "code"] == "no_labels"
    assert errors.loc[str(corpus / "broken.parquet"), "code"] == "bad_parquet"
    assert errors.loc[str(tmp_path / "missing.vtt"), "code"] == "not_found"
    assert set(errors["level"]) == {"error"}
    assert all("fix:" in m for m in errors["message"])
    assert not errors["message"].str.contains("Tobias").any()
    assert sorted(read_table(out, "sessions")["session_id"]) == [
        "check-in", "first-session", "rupture_repair", "week1", "week2"]


def test_rerun_skips_finished_partitions_and_redoes_the_rest(cli: Cli, corpus: Path,
                                                             tmp_path: Path,
                                                             scheduler: str) -> None:
    out = tmp_path / "out"
    args = ["batch", corpus, "--out", out, "--scheduler", scheduler, "--partition-size", "1",
            "--quiet"]
    assert cli(*args).exit_code == 0
    first = read_table(out, "utterances")
    parts = sorted((out / "utterances").glob("*.parquet"))
    stamps = {p.name: p.stat().st_mtime_ns for p in parts}
    # an interrupted run: partition 3's last part was never renamed into place
    (out / "sessions" / "part-00003.parquet").unlink()
    (out / "sessions" / ".part-00003.parquet.tmp123").write_bytes(b"half")

    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "(4 already done)" in result.output
    after = {p.name: p.stat().st_mtime_ns for p in sorted((out / "utterances").glob("*"))}
    assert {k: v for k, v in after.items() if k != "part-00003.parquet"} == {
        k: v for k, v in stamps.items() if k != "part-00003.parquet"}
    assert after["part-00003.parquet"] != stamps["part-00003.parquet"]
    assert not list((out / "sessions").glob(".part-*"))
    pd.testing.assert_frame_equal(read_table(out, "utterances"), first)
    assert len(read_table(out, "sessions")) == 5


def test_rerun_with_other_inputs_is_refused(cli: Cli, corpus: Path, tmp_path: Path,
                                            scheduler: str) -> None:
    out = tmp_path / "out"
    assert cli("batch", corpus / "week1.txt", "--out", out, "--scheduler", scheduler,
               "--quiet").exit_code == 0
    result = cli("batch", corpus / "week2.txt", "--out", out, "--scheduler", scheduler,
                 "--quiet")
    assert result.exit_code == 2
    assert "other inputs, options or preset" in result.output
    assert read_table(out, "sessions")["session_id"].tolist() == ["week1"]


def test_unreachable_scheduler_is_a_clear_error(cli: Cli, corpus: Path,
                                                tmp_path: Path) -> None:
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
            result = cli("batch", corpus, "--out", tmp_path / "out", "--scheduler",
                     "tcp://127.0.0.1:9", "--quiet")
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.output


def test_local_cluster_options_with_a_scheduler_are_refused(cli: Cli, corpus: Path,
                                                            tmp_path: Path) -> None:
    result = cli("batch", corpus, "--out", tmp_path / "out", "--scheduler",
                 "tcp://127.0.0.1:9", "--workers", "2", "--quiet")
    assert result.exit_code == 2
    assert "--workers and --dashboard are for the local cluster" in result.output
    assert not (tmp_path / "out").exists()
