"""Utterance-family gold from the workbench: a project coded with the ``rapport-utterance``
codebook, its gold export, and `rapport train utterance --gold FILE` (the real CLI)
learning from it; a gold of another codebook is one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from cli_runner import Cli
from workbench_world import DAY, Record, document

from rapport.coding.utterance.gold import GOLD_CODES, code_of, gold_frames
from rapport.errors import RapportInputError
from rapport.store.analyses import store_analysis
from rapport.store.coding import finish_unit, show_project
from rapport.workbench.codebook import load_codebook
from rapport.workbench.exports import gold_jsonl
from rapport.workbench.projects import ProjectRequest, code_turn, create_project
from rapport.workbench.state import project_state

#: (code, what a turn carrying it says), cycled through the sessions.
THERAPIST = [("question_open", "What brings you here today?"),
             ("question_closed", "Did you drink last night?"),
             ("reflection_simple", "You drank last night."),
             ("reflection_complex", "Part of you wants this to change, and part is afraid."),
             ("input_advice", "You could try cutting down on weekdays first."),
             ("input_information", "Most people sleep better within two weeks of stopping."),
             ("other", "Good morning, thanks for coming in.")]
CLIENT = [("change", "I really want to stop, I need to."),
          ("sustain", "Drinking helps me relax, I don't see the problem."),
          ("neutral", "I had toast for breakfast.")]


def _session(seed: int) -> list[tuple[str, str, list[str]]]:
    turns: list[tuple[str, str, list[str]]] = []
    for i in range(14):
        code, text = THERAPIST[(i + seed) % len(THERAPIST)]
        turns.append(("therapist", f"{text} ({seed}.{i})", [code]))
        code, text = CLIENT[(i + seed) % len(CLIENT)]
        turns.append(("client", f"{text} ({seed}.{i})", [code]))
    return turns


def test_code_of_inverts_the_gold_codes() -> None:
    for name, labels in GOLD_CODES.items():
        assert code_of(labels) == name
    assert code_of({"therapist_behaviour": "question"}) is None  # no sub-type: no one code
    assert code_of({"client_talk": None}) is None


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_train_utterance_reads_the_exported_gold(record: Record, tmp_path: Path) -> None:
    sessions = {}
    with record.store.transaction("tom") as tx:
        for number, seed in ((3, 0), (4, 1), (5, 2)):
            sessions[number] = _session(seed)
            store_analysis(tx, "C-001", number, document([(r, t, []) for r, t, _ in
                                                          sessions[number]]),
                           session_date=DAY)
        project = create_project(tx, ProjectRequest(
            name="mi", codebook=load_codebook("rapport-utterance"),
            sessions=[("C-001", n) for n in sessions], coders=["sam"]))
    with record.store.transaction("sam") as tx:
        for unit, turns in zip(show_project(tx, project).units, sessions.values(),
                               strict=True):
            for i, (_, _, labels) in enumerate(turns):
                code_turn(tx, project, unit.id, i, labels, None)
            finish_unit(tx, project, unit.id)
        # one code per turn: the codebook is single-label
        with pytest.raises(RapportInputError):
            code_turn(tx, project, unit.id, 0, ["question_open", "other"], None)
    with record.store.transaction("tom") as tx:
        text, left_out = gold_jsonl(project_state(tx, project))
    assert left_out == 0
    gold = tmp_path / "workbench-gold.jsonl"
    gold.write_text(text, "utf-8")
    x, y = gold_frames(gold)
    assert len(x) == 3 * 28 and list(x["role"][:2]) == ["therapist", "client"]
    first = y.iloc[0].to_dict()
    assert first["therapist_behaviour"] == "question" and first["question_type"] == "open"
    assert pd.isna(first["client_talk"]) and pd.isna(first["reflection_type"])

    out = tmp_path / "model"
    result = Cli(checked=True)("train", "utterance", "--gold", gold, "--out", out,
                               "--preset", "fast")
    assert "84 turns of 3 sessions in workbench-gold.jsonl" in result.stdout
    from rapport.coding.utterance.persist import card_path, load_coder_file, load_compiled_file

    model = out / "utterance-fast.joblib"
    coder = load_coder_file(model)
    assert {"therapist_behaviour", "client_talk"} <= set(coder.heads_)
    assert json.loads(card_path(model).read_text())["metrics"]["gold"] == gold.name
    # the punctuation-free companion comes from the same gold, compiled only
    companion = out / "utterance-fast-bare.joblib"
    assert not companion.exists() and "utterance-fast-bare:" in result.stdout
    assert json.loads(card_path(companion).read_text())["metrics"]["gold"] == gold.name
    assert load_compiled_file(companion).model_id == "utterance-fast-bare@1.0"


def test_a_relationship_gold_is_one_clear_error(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"session": "unit-1", "turn": 0, "speaker": "T",
                                "codes": ["affirm"], "pass": "adjudicated",
                                "text": "Well done."}) + "\n", "utf-8")
    answer = Cli()("train", "utterance", "--gold", gold, "--out", tmp_path / "m", code=2)
    assert "'affirm' is not one rapport-utterance code" in answer.output
    assert f"{gold}:1" in answer.output
    gold.write_text("not json\n", "utf-8")
    with pytest.raises(RapportInputError) as caught:
        gold_frames(gold)
    assert caught.value.code == "bad_gold" and caught.value.where.endswith(":1")


def test_the_models_family_codes_become_one_utterance_code(record: Record) -> None:
    doc = json.loads(document([("therapist", "What brings you here?", []),
                               ("client", "I want to stop drinking.", [])]))
    def code(value: str) -> dict[str, object]:
        return {"value": value, "confidence": 0.9, "evidence": [], "source": "utterance@test"}

    doc["turns"][0]["codes"] = {"therapist_behaviour": code("question"),
                                "question_type": code("open")}
    doc["turns"][1]["codes"] = {"client_talk": code("change")}
    with record.store.transaction("tom") as tx:
        store_analysis(tx, "C-001", 3, json.dumps(doc), session_date=DAY)
        project = create_project(tx, ProjectRequest(
            name="mi", codebook=load_codebook("rapport-utterance"), sessions=[("C-001", 3)],
            coders=["sam"], mode="assisted"))
    with record.store.transaction("sam") as tx:
        (unit,) = show_project(tx, project).units
        finish_unit(tx, project, unit.id)
    with record.store.transaction("tom") as tx:
        codings = project_state(tx, project).codings()
    assert codings["model"][unit.id, 0] == ["question_open"]
    assert codings["model"][unit.id, 1] == ["change"]
