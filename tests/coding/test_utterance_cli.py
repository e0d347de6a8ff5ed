"""`rapport train` / `rapport evaluate` task tables and the shipped coder end to end."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.cli.evaluate import EVALUATE_TASKS
from rapport.cli.train import TRAIN_TASKS
from rapport.coding.utterance import load_coder
from rapport.coding.utterance.features import turn_frame
from rapport.domain import Session
from rapport.errors import RapportInputError

TEXT = """Therapist: What brings you here today?
Client: My wife thinks I drink too much. Honestly I want to cut down.
Therapist: It sounds like you feel stuck between her worries and your habits.
Client: Yeah.
Therapist: Do you drink every day?
Client: Most days, after work.
"""


def _run(*args: str) -> object:
    return CliRunner().invoke(build_app(), list(args), prog_name="rapport")


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_unknown_task_or_preset_exits_2(command: str) -> None:
    result = _run(command, "nonsense")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "unknown task" in result.output  # type: ignore[attr-defined]
    result = _run(command, "utterance", "--preset", "turbo")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "unknown preset" in result.output  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", ["train", "evaluate"])
def test_the_live_preset_is_the_utterance_coders_only(command: str) -> None:
    result = _run(command, "relationship", "--preset", "live")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "unknown preset 'live' for relationship" in result.output  # type: ignore[attr-defined]
    from rapport.cli.train import run_task

    seen: list[str] = []
    run_task({"utterance": lambda preset, out: seen.append(preset) or ""}, "utterance",
             "live", None)
    assert seen == ["live"]


def test_task_tables_point_at_functions_with_the_documented_names() -> None:
    from rapport.coding.utterance import evaluation, training

    assert {"utterance", "relationship"} <= set(TRAIN_TASKS) == set(EVALUATE_TASKS)
    assert callable(training.train_cli) and callable(evaluation.evaluate_cli)


def test_shipped_fast_model_codes_sensibly() -> None:
    coder = load_coder("fast")
    session = Session.build("s", [
        ("T", "therapist", "What brings you here today?"),
        ("C", "client", "My doctor says I should stop smoking."),
        ("T", "therapist", "It sounds like you feel stuck."),
        ("C", "client", "I really want to quit for my daughter."),
    ])
    codes = coder.code_session(session)
    assert codes[0].label("therapist_behaviour") == "question"
    assert codes[0].label("question_type") == "open"
    assert codes[2].label("therapist_behaviour") == "reflection"
    # the decision rule trades probability for macro-F1 (rare sustain talk), so check
    # that change talk is the most probable reading rather than the emitted label
    frame = turn_frame(session)
    probs = coder.predict_proba_arrays(frame["session"].to_numpy(), frame["role"].to_numpy(),
                                       frame["text"].tolist())["client_talk"]
    assert probs[3].argmax() == coder.heads["client_talk"].labels.index("change")
    assert all(c.source == "utterance-fast@1.0" for tc in codes for c in tc.codes)


def test_unknown_preset_refused_by_loader() -> None:
    with pytest.raises(RapportInputError, match="unknown preset"):
        load_coder("turbo")


def test_rapport_code_carries_every_family(tmp_path: Path) -> None:
    # only this box's coder: other coders in the registry are tested by their owners
    transcript = tmp_path / "s.txt"
    transcript.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "codes.csv"
    result = _run("code", str(transcript), "--out", str(out), "--preset", "fast",
                  "--coders", "utterance")
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    table = pd.read_csv(out)
    for column in ("therapist_behaviour", "therapist_behaviour_confidence", "question_type",
                   "reflection_type", "input_type", "client_talk", "client_talk_confidence"):
        assert column in table.columns
    assert table.loc[0, "therapist_behaviour"] == "question"
    assert table["client_talk"].notna().sum() == 3
