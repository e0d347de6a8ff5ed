"""Risk first: in the terminal, the JSON document, the HTML report and the code table."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from cli_runner import Cli

from rapport.pipeline import analyze, load_stored
from rapport.risk.codes import RISK_CODES

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "missed_risk.txt"


def test_analyze_puts_risk_first_and_reads_the_replies(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    html = tmp_path / "a.html"
    result = Cli()("analyze", EXAMPLE, "--json", out, "--html", html)
    assert result.exit_code == 0, result.output
    assert result.output.index("Risk language") < result.output.index("Turn-taking")
    doc = json.loads(out.read_text("utf-8"))
    risk = doc["risk"]
    assert risk["checked"] is True and risk["model"].startswith("risk@")
    turns = {t["turn_index"]: t for t in risk["turns"]}
    assert {3, 7} <= set(turns)
    assert turns[7]["state"] == "urgent"
    assert {c["name"] for c in turns[7]["codes"]} >= {"risk_suicidal_ideation",
                                                       "risk_suicide_plan"}
    assert all(turns[i]["response"]["kind"] == "moved_on" for i in (3, 7))
    evidence = turns[3]["evidence"]
    text = doc["turns"][3]["text"]
    assert text[evidence["start"]:evidence["end"]] == evidence["text"]
    # a risk turn never counts as change talk, and never is a strength
    assert doc["turns"][7]["codes"]["client_talk"]["value"] != "change"
    kinds = {m["kind"] for m in doc["sections"]["profile"]["moments"]}
    assert "risk_not_followed_up" in kinds
    page = html.read_text("utf-8")
    assert page.index('id="risk"') < page.index('id="section-turn_taking"')


def test_the_code_table_has_the_ten_risk_columns(tmp_path: Path) -> None:
    out = tmp_path / "codes.csv"
    assert Cli()("code", EXAMPLE, "--out", out).exit_code == 0
    table = pd.read_csv(out)
    for code in RISK_CODES:
        assert f"code_{code}" in table.columns and f"code_{code}_confidence" in table.columns
    assert table.loc[7, "code_risk_suicide_plan"] == 1
    assert pd.isna(table.loc[0, "code_risk_suicide_plan"])  # therapist turn: not applicable


def test_not_checked_is_never_no_risk(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    assert Cli()("analyze", EXAMPLE, "--json", out, "--coders", "utterance",
                 "--quiet").exit_code == 0
    doc = json.loads(out.read_text("utf-8"))
    assert doc["risk"]["checked"] is False and "not checked for risk" in doc["risk"]["note"]
    # a document stored before risk was checked
    from rapport.ingest import load_sessions

    (session,) = load_sessions(EXAMPLE).sessions
    old = json.loads(analyze(session).to_json())
    old.pop("risk")
    stored = load_stored(json.dumps(old))
    (risk,) = [c for c in stored.computed if c.name == "risk"]
    assert risk.result.checked is False and "not checked for risk" in (risk.result.note or "")
