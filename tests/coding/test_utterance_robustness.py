"""The robustness set (issue 21): frozen files, complete codings, what the benchmark scores
is what ships, and the scoring itself."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score, f1_score

from rapport.coding.utterance.families import FAMILIES
from rapport.coding.utterance.robustness import (
    ROBUSTNESS_DIR,
    evaluate_robustness,
    load_coding,
    load_sessions,
    pass_agreement,
    predict,
    render,
    score_present,
)
from rapport.errors import RapportInputError

CODINGS = ("passes/A.csv", "passes/B.csv", "gold.csv")


def test_transcripts_and_codebook_are_the_frozen_ones() -> None:
    frozen = (ROBUSTNESS_DIR / "FROZEN.md").read_text()
    for name in ("sessions.csv", "codebook.md"):
        digest = hashlib.sha256((ROBUSTNESS_DIR / name).read_bytes()).hexdigest()
        assert re.search(rf"`{re.escape(name)}`.*sha256 `{digest}`", frozen), name


@pytest.mark.parametrize("name", CODINGS)
def test_each_coding_codes_every_turn_by_the_codebook(name: str) -> None:
    sessions = load_sessions()
    coding = load_coding(ROBUSTNESS_DIR / name, sessions)
    therapist = (sessions["role"] == "therapist").to_numpy()
    assert coding.loc[therapist, "therapist_behaviour"].notna().all()
    assert coding.loc[~therapist, "client_talk"].notna().all()
    assert coding.loc[therapist, "client_talk"].isna().all()
    for fam in FAMILIES:
        if fam.parent:  # a sub-type exactly where its parent was chosen
            parent, label = fam.parent
            assert (coding[fam.name].notna() == (coding[parent] == label)).all(), fam.name


def test_a_coding_that_misses_a_turn_or_invents_a_label_is_refused(tmp_path: Path) -> None:
    sessions = load_sessions()
    gold = pd.read_csv(ROBUSTNESS_DIR / "gold.csv", dtype=str, keep_default_na=False)
    short = tmp_path / "short.csv"
    gold.iloc[:-1].to_csv(short, index=False)
    with pytest.raises(RapportInputError, match="codes 623 turns, the transcripts have 624"):
        load_coding(short, sessions)
    odd = tmp_path / "odd.csv"
    gold.assign(client_talk=gold["client_talk"].replace("change", "changey")).to_csv(
        odd, index=False)
    with pytest.raises(RapportInputError, match=r"unknown client_talk label\(s\) \['changey'\]"):
        load_coding(odd, sessions)
    headless = tmp_path / "headless.csv"
    gold.drop(columns=["input_type"]).to_csv(headless, index=False)
    with pytest.raises(RapportInputError, match=r"no column\(s\) \['input_type'\]"):
        load_coding(headless, sessions)


def test_the_benchmark_scores_what_rapport_code_writes(tmp_path: Path) -> None:
    """Main families are never gated, so the heads' own labels are the command's codes,
    except client talk the pipeline's risk rule turned from ``change`` to ``neutral`` on a
    turn with a risk flag (the benchmark's last table scores that output too)."""
    cli = Cli()
    sessions = load_sessions()
    out = tmp_path / "codes.csv"
    cli("code", ROBUSTNESS_DIR / "sessions.csv", "--out", out, "--preset", "fast", code=0)
    written = pd.read_csv(out, dtype={"session_id": str})
    direct = predict("fast", sessions)
    assert list(written["session_id"]) == ["annomi-" + s for s in sessions["session_id"]]
    therapist = (sessions["role"] == "therapist").to_numpy()
    assert list(written.loc[therapist, "therapist_behaviour"]) == list(
        direct.loc[therapist, "therapist_behaviour"])
    risk = written[[c for c in written.columns if c.startswith("code_risk_")
                    and not c.endswith("_confidence")]].eq(1).any(axis=1).to_numpy()
    ruled = ~therapist & risk & (direct["client_talk"] == "change").to_numpy()
    assert (written.loc[ruled, "client_talk"] == "neutral").all()
    kept = ~therapist & ~ruled
    assert list(written.loc[kept, "client_talk"]) == list(direct.loc[kept, "client_talk"])


def test_pass_agreement_is_cohens_kappa() -> None:
    sessions = load_sessions()
    a = load_coding(ROBUSTNESS_DIR / "passes/A.csv", sessions)
    b = load_coding(ROBUSTNESS_DIR / "passes/B.csv", sessions)
    got = pass_agreement(a, b)
    both = a["client_talk"].notna()
    assert got["client_talk"]["n"] == int((sessions["role"] == "client").sum())
    assert got["client_talk"]["kappa"] == pytest.approx(
        cohen_kappa_score(a.loc[both, "client_talk"], b.loc[both, "client_talk"]), abs=5e-4)


LABELS = ("change", "neutral", "sustain")


@given(st.lists(st.tuples(st.sampled_from(LABELS), st.sampled_from(LABELS),
                          st.floats(0.34, 1.0)), min_size=1, max_size=60))
def test_score_present_counts_only_labels_that_occur(rows: list[tuple[str, str, float]]
                                                     ) -> None:
    truth, predicted, confidence = (list(c) for c in zip(*rows, strict=True))
    gold = pd.DataFrame({f.name: [None] * len(rows) for f in FAMILIES})
    gold["client_talk"] = truth
    direct = pd.DataFrame({"client_talk": predicted, "client_talk_confidence": confidence})
    got = score_present(gold, direct)
    assert set(got) == {"client_talk"}  # families nobody coded are left out
    present = sorted({*truth, *predicted})
    assert sorted(got["client_talk"]["per_class_f1"]) == present
    assert got["client_talk"]["macro_f1"] == pytest.approx(
        f1_score(truth, predicted, labels=present, average="macro", zero_division=0),
        abs=5e-4)


def test_the_tables_show_each_style_and_the_recomputed_figures() -> None:
    robustness = evaluate_robustness(("fast",))
    text = render(robustness, {})
    sessions = load_sessions()
    for style in sessions["style"].unique():
        assert f"\n| {style} | " in text
    assert "punctuation-free companion (sessions without punctuation): asr-1, asr-2." in text
    gold = load_coding(ROBUSTNESS_DIR / "gold.csv", sessions)
    direct = predict("fast", sessions)
    rows = gold["therapist_behaviour"].notna()
    f1 = f1_score(gold.loc[rows, "therapist_behaviour"], direct.loc[rows, "therapist_behaviour"],
                  average="macro")
    kappa = cohen_kappa_score(gold.loc[rows, "therapist_behaviour"],
                              direct.loc[rows, "therapist_behaviour"])
    assert f"| therapist_behaviour | {int(rows.sum())} | " in text
    assert f"| {f1:.3f} / {kappa:.3f} |" in text
