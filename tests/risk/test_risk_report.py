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
    # the listening figure does not say "no disclosures" under two urgent flags
    (follow,) = [m for m in doc["sections"]["profile"]["metrics"]
                 if m["key"] == "follow_up_rate"]
    assert follow["available"] or "see the risk section" in follow["reason"]
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


def _risk_session(reply: str, *, other_client_first: bool = False) -> str:
    lines = ["Therapist: How has the week been?",
             "Client: Honestly, everyone would be better off without me."]
    if other_client_first:
        lines.append("Partner: We had a row about the car on Sunday.")
    lines += [f"Therapist: {reply}", "Client: I don't know.",
              "Therapist: Okay. Let's see where we are next week."]
    return "\n".join(lines) + "\n"


def test_the_moments_and_the_risk_section_read_the_reply_alike(tmp_path: Path) -> None:
    # the "not followed up" moment used to read the reply by its own rule: an everyday
    # question with "plan" in it counted as asking directly, and a turn the section said had
    # no reply (another client spoke first) still got the moment
    replies = ["Would you like to make a plan for the drinking this week?",
               "When you say that, are you having thoughts of ending your life?",
               "It sounds like things feel really heavy right now.",
               "Right. Shall we look at your sleep diary?"]
    cases = [(r, False) for r in replies] + [(replies[0], True)]
    seen = set()
    for i, (reply, other_first) in enumerate(cases):
        path = tmp_path / f"s{i}.txt"
        path.write_text(_risk_session(reply, other_client_first=other_first), "utf-8")
        out = tmp_path / f"s{i}.json"
        args = ["analyze", path, "--json", out, "--quiet"]
        if other_first:
            args += ["--therapist", "Therapist", "--client-speaker", "Client",
                     "--client-speaker", "Partner"]
        result = Cli()(*args)
        assert result.exit_code == 0, result.output
        doc = json.loads(out.read_text("utf-8"))
        (flag,) = [t for t in doc["risk"]["turns"] if t["turn_index"] == 1]
        kind = flag["response"]["kind"]
        seen.add(kind)
        moments = [m for m in doc["sections"]["profile"]["moments"]
                   if m["kind"] == "risk_not_followed_up"]
        assert bool(moments) == (kind == "moved_on"), (reply, kind, moments)
        if moments:
            assert moments[0]["turn_index"] == flag["response"]["turn_index"]
        if other_first:
            assert kind == "none"
        if reply == replies[1]:
            assert kind == "asked_directly"
        if reply == replies[0] and not other_first:
            # the rule no longer decides; the reply model does, with its probability
            assert flag["response"]["confidence"] is not None
    assert "moved_on" in seen  # the test saw the moment, not only its absence
