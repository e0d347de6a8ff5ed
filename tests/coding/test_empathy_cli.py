"""End to end through the real CLI: the empathy columns of ``rapport code`` in every table
format, the codes and the session figure of ``rapport analyze``, and training errors."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_runner import Cli

SESSION = """Therapist: What would you like to focus on today?
Client: My dad died in March and I haven't been sleeping since.
Therapist: I'm so sorry. It sounds like you've been carrying a lot on your own.
Client: Yeah.
Therapist: What have the nights been like?
Client: Long. I just lie there.
"""
COLUMNS = ("empathy_er", "empathy_ip", "empathy_ex", "empathy", "empathy_confidence")


def _read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".jsonl":
        return pd.read_json(path, lines=True)
    return pd.read_parquet(path)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
def test_code_writes_numbers_on_therapist_turns_and_nothing_elsewhere(
        tmp_path: Path, suffix: str) -> None:
    transcript = tmp_path / "week3.txt"
    transcript.write_text(SESSION, encoding="utf-8")
    out = tmp_path / f"codes{suffix}"
    Cli(checked=True)("code", transcript, "--out", out, "--coders", "empathy")
    table = _read(out)
    assert set(COLUMNS) <= set(table.columns)
    therapist = table["role"] == "therapist"
    for column in (*COLUMNS, "empathy_er_confidence"):
        values = table[column]
        assert values[therapist].notna().all(), column
        assert values[~therapist].isna().all(), column  # empty on client turns
        assert pd.api.types.is_float_dtype(values), column
    rated = table[therapist]
    assert rated["empathy"].between(0, 6).all()
    assert rated["empathy"].round(6).tolist() == (
        rated["empathy_er"] + rated["empathy_ip"] + rated["empathy_ex"]).round(6).tolist()
    assert rated["empathy_confidence"].between(0, 1).all()
    # "I'm so sorry. It sounds like ..." rates above the opening agenda question
    assert rated["empathy"].iloc[1] > rated["empathy"].iloc[0]


def test_analyze_reports_the_codes_and_the_session_figure(tmp_path: Path) -> None:
    transcript = tmp_path / "week3.txt"
    transcript.write_text(SESSION, encoding="utf-8")
    doc_path = tmp_path / "report.json"
    Cli(checked=True)("analyze", transcript, "--json", doc_path, "--quiet")
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    assert "empathy-fast@1.1" in doc["models"]  # the default preset's model
    turns = doc["turns"]
    assert set(turns[2]["codes"]) >= {"empathy_er", "empathy_ip", "empathy_ex", "empathy"}
    assert turns[2]["codes"]["empathy"]["source"] == "empathy-fast@1.1"
    assert not any(name.startswith("empathy") for name in turns[1]["codes"])
    metric = next(m for m in doc["sections"]["profile"]["metrics"] if m["key"] == "empathy")
    values = [float(turns[i]["codes"]["empathy"]["value"]) for i in (0, 2, 4)]
    assert metric["n"] == 3
    assert metric["value"] == pytest.approx(sum(values) / 3)
    assert doc["metrics"]["profile.empathy"] == pytest.approx(metric["value"])
    assert metric["evidence"][0]["turn_index"] == 2  # the highest turn first


def test_train_with_a_missing_gold_file_writes_nothing(tmp_path: Path) -> None:
    result = Cli()("train", "empathy", "--gold", tmp_path / "nowhere.jsonl",
                   "--out", tmp_path / "model")
    assert result.exit_code == 2
    assert "gold file not found" in result.output and "fix:" in result.output
    assert not (tmp_path / "model").exists()


def test_evaluate_refuses_an_unknown_preset() -> None:
    result = Cli()("evaluate", "empathy", "--preset", "slow")
    assert result.exit_code == 2
    assert "unknown preset" in result.output
