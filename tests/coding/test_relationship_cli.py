"""End to end: the relationship codes appear in ``rapport code`` and, with evidence, in
``rapport analyze``."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.coding.relationship.codes import ALL_CODES

SESSION = """Therapist: What would you like to focus on today?
Client: Dunno. Whatever.
Therapist: That's okay. It's entirely up to you what we talk about.
Client: Honestly, this is a waste of time. You never listen.
Therapist: Thank you for telling me. I'd like to hear what I've been getting wrong.
Client: I just feel so ashamed all the time.
"""


def test_codes_in_the_table_and_evidence_in_the_analysis(tmp_path: Path) -> None:
    # only this box's coder runs, so another coder's model being retrained cannot fail it
    transcript = tmp_path / "week5.txt"
    transcript.write_text(SESSION, encoding="utf-8")
    runner, app = CliRunner(), build_app()

    table_path = tmp_path / "codes.csv"
    result = runner.invoke(app, ["code", str(transcript), "--out", str(table_path),
                                 "--coders", "relationship"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(table_path)
    for code in ALL_CODES:
        assert {f"code_{code}", f"code_{code}_confidence"} <= set(table.columns)
    assert table["code_emphasize_autonomy"].tolist()[2] == 1
    assert table["code_emotional_disclosure"].tolist()[5] == 1
    confidence = table["code_emotional_disclosure_confidence"].dropna()
    assert len(confidence) == 3  # the three client turns
    assert confidence.between(0, 1).all()
    # a client code is empty on therapist turns, and the reverse
    assert pd.isna(table["code_withdrawal"][0])
    assert pd.isna(table["code_affirm"][1])

    doc_path = tmp_path / "report.json"
    result = runner.invoke(app, ["analyze", str(transcript), "--json", str(doc_path),
                                 "--quiet", "--coders", "relationship"])
    assert result.exit_code == 0, result.output
    turns = json.loads(doc_path.read_text(encoding="utf-8"))["turns"]
    disclosure = turns[5]["codes"]["emotional_disclosure"]
    assert disclosure["value"] is True
    assert any("ashamed" in e for e in disclosure["evidence"])
    assert disclosure["source"] == "relationship-fast@2.1"  # the default preset
    autonomy = turns[2]["codes"]["emphasize_autonomy"]
    assert any("up to you" in e for e in autonomy["evidence"])


def test_train_with_a_missing_gold_file_is_one_clear_error(tmp_path: Path) -> None:
    runner, app = CliRunner(), build_app()
    missing = tmp_path / "nowhere.jsonl"
    result = runner.invoke(app, ["train", "relationship", "--gold", str(missing),
                                 "--out", str(tmp_path / "model")])
    assert result.exit_code == 2
    assert "gold file not found" in result.output and "fix:" in result.output
    assert not (tmp_path / "model").exists()  # nothing written
    other = runner.invoke(app, ["train", "risk", "--gold", str(missing)])
    assert other.exit_code == 2
    assert "--gold is for the utterance, relationship or empathy task" in other.output
