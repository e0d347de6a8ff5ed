"""``rapport code`` in flat memory (issue 17): the input is read only a bounded number of
batches ahead of the writer, the risk encoder is loaded before the workers fork (they
share its pages), and a CSV broken at its end still leaves no output."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from cli_runner import Cli

from rapport.coding import onnx_session
from rapport.ingest import ReadSession, iter_sessions
from rapport.pipeline import load_coders
from rapport.pipeline.stream import BATCH, LOOK_AHEAD, coded_tables, preload_models
from rapport.risk.encoder import get_encoder

ANNOMI = Path(__file__).resolve().parents[2] / "data" / "annomi" / "AnnoMI-simple.csv"


def _tiny_corpus(tmp_path: Path, sessions: int) -> Path:
    rows = [(f"s{k:03d}", who, text) for k in range(sessions)
            for who, text in (("therapist", "How are you today?"), ("client", "Fine."))]
    path = tmp_path / "tiny.csv"
    pd.DataFrame(rows, columns=["transcript_id", "interlocutor", "utterance_text"]
                 ).to_csv(path, index=False)
    return path


def test_two_workers_read_a_bounded_number_of_sessions_ahead(tmp_path: Path) -> None:
    workers = 2
    total = (LOOK_AHEAD * workers + 4) * BATCH
    path = _tiny_corpus(tmp_path, total)
    pulled = 0

    def counted() -> Iterator[ReadSession]:
        nonlocal pulled
        for item in iter_sessions([path], stream=True):
            pulled += 1
            yield item

    tables = coded_tables(counted(), load_coders("fast"), workers=workers)
    count, first = next(tables)
    assert count == BATCH
    # the parent is one of the two workers: one process is forked, not two (each costs
    # its own working memory)
    assert len(multiprocessing.active_children()) == workers - 1
    assert first["session_id"].iloc[0] == "annomi-s000"
    # the first table is back once LOOK_AHEAD batches per worker were sent (and the
    # session held back for end-of-input warnings read): not the whole corpus
    assert pulled <= LOOK_AHEAD * workers * BATCH + 1 < total
    assert sum(n for n, _ in tables) + count == total
    assert pulled == total


def test_the_risk_encoder_is_loaded_before_the_workers_fork() -> None:
    coders = load_coders("fast")
    get_encoder.cache_clear()
    preload_models(coders)
    assert get_encoder.cache_info().currsize == 1


def test_a_csv_broken_at_its_end_leaves_no_output(cli: Cli, tmp_path: Path) -> None:
    frame = pd.read_csv(ANNOMI)
    keep = sorted(frame["transcript_id"].unique())[:5]
    path = tmp_path / "five.csv"
    frame[frame["transcript_id"].isin(keep)].to_csv(path, index=False)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    bad = lines[-1].replace(",client,", ",nobody,").replace(",therapist,", ",nobody,")
    path.write_text("".join([*lines, bad]), encoding="utf-8")
    out = tmp_path / "codes.csv"
    result = cli("code", path, "--out", out, "--workers", "2")
    assert result.exit_code == 2, result.output
    assert f"five.csv:{len(lines) + 1}" in result.output
    assert "nobody" in result.output
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_sorted_csv_is_coded_as_when_read_whole(cli: Cli, tmp_path: Path) -> None:
    """The same bytes whether the CSV is streamed (sorted) or read whole (its sessions'
    rows split up, so the stream declines it): streaming changes nothing in the table."""
    frame = pd.read_csv(ANNOMI)
    keep = sorted(frame["transcript_id"].unique())[:3]
    part = frame[frame["transcript_id"].isin(keep)]
    sorted_path, split_path = tmp_path / "sorted.csv", tmp_path / "split.csv"
    part.to_csv(sorted_path, index=False)
    # move the first session's last row to the end: the same sessions, rows split up
    first = part[part["transcript_id"] == keep[0]]
    pd.concat([part.drop(first.index[-1]), first.iloc[[-1]]]).to_csv(split_path, index=False)
    streamed, whole = tmp_path / "streamed.csv", tmp_path / "whole.csv"
    cli("code", sorted_path, "--out", streamed, "--workers", "2", code=0)
    cli("code", split_path, "--out", whole, "--workers", "1", code=0)
    got = pd.read_csv(streamed).drop(columns=["source_file"], errors="ignore")
    expected = pd.read_csv(whole).drop(columns=["source_file"], errors="ignore")
    pd.testing.assert_frame_equal(got, expected)


def test_the_workers_share_one_lock_for_large_encoder_runs_while_coding(tmp_path: Path
                                                                        ) -> None:
    path = _tiny_corpus(tmp_path, 3 * BATCH)
    coders = load_coders("fast")
    tables = coded_tables(iter_sessions([path], stream=True), coders, workers=2)
    next(tables)
    # set in the parent before the fork, so the forked worker holds the same lock
    assert onnx_session._large_run_lock is not None
    for _ in tables:
        pass
    assert onnx_session._large_run_lock is None
    # one process codes alone: no lock to wait on
    list(coded_tables(iter_sessions([path], stream=True), coders, workers=1))
    assert onnx_session._large_run_lock is None
