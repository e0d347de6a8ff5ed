"""The judge's learned parts (judging/learned.py): the shipped file's shape and its pairing
with the verdict layer, a clear error for a wrong file, and R2 holding for a code that only
the learned advice detector finds."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rapport.errors import RapportInputError
from rapport.practice import judge_reply, load_drills
from rapport.practice.drills import SKILLS
from rapport.practice.judgement import VERDICTS
from rapport.practice.judging import rules
from rapport.practice.judging.codes import find_codes
from rapport.practice.judging.learned import (
    ADVICE,
    DETECTED,
    LEARNED_PATH,
    input_names,
    input_vector,
    read_learned,
    shipped_learned,
)
from rapport.practice.judging.model import shipped_model
from rapport.practice.judging.phrases import rule_hits
from rapport.practice.judging.signals import JUDGE_RELATIONSHIP, MODELS, read_signals

DRILLS = {d.id: d for d in load_drills()}


def test_shipped_detectors_have_the_documented_shape() -> None:
    learned = shipped_learned()
    width = len(input_names())
    assert set(learned.detectors) == set(DETECTED)
    for model in learned.detectors.values():
        assert model.coef.shape == (1, width)
        assert model.mean.shape == model.scale.shape == (width,)
        assert np.all(model.scale > 0)
    assert learned.direct.coef.shape == (len(VERDICTS), width + len(SKILLS))
    assert 0.0 < learned.advice_bar < 1.0
    # fitted on both coded development batches, never the evaluation set
    dev = Path(__file__).resolve().parents[2] / "data" / "practice" / "dev"
    coded = sum(1 for name in ("pass-a.jsonl", "pass-2.jsonl")
                for line in (dev / name).read_text().splitlines() if line.strip())
    assert learned.card["rows"] == coded


def test_verdict_layer_was_fitted_on_this_learned_file() -> None:
    digest = hashlib.sha256(LEARNED_PATH.read_bytes()).hexdigest()
    assert shipped_model().card["cv"]["learned_sha256"] == digest


def test_the_judge_reads_the_relationship_model_it_was_fitted_on() -> None:
    # the shipped relationship coder is retrained when the real-talk gold grows; the judge
    # keeps the model its learned parts and verdict layer were fitted on, so a retraining
    # does not move its verdicts
    from rapport.coding.relationship import load_coder
    from rapport.coding.relationship.persist import MODEL_DIR, load_model
    from rapport.practice.judging.signals import _models

    name, model_id = JUDGE_RELATIONSHIP
    relationship = _models()[1]
    assert relationship.model_id == model_id != load_coder("fast").model_id
    kept = json.loads((MODELS / f"{name}.json").read_text())
    shipped = json.loads((MODEL_DIR / f"{name}.json").read_text())
    assert kept["training_data"] != shipped["training_data"]  # trained on an older gold
    pinned, current = load_model(MODELS, name), load_model(MODEL_DIR, name)
    for role, heads in relationship.model.heads_.items():
        assert np.array_equal(heads.stage1, pinned.heads_[role].stage1)
        assert not np.array_equal(heads.stage2, current.heads_[role].stage2)


def test_a_file_made_for_other_inputs_is_refused(tmp_path: Path) -> None:
    body = json.loads(LEARNED_PATH.read_text())
    body["inputs"] = body["inputs"][:-1]
    path = tmp_path / "learned.json"
    path.write_text(json.dumps(body))
    with pytest.raises(RapportInputError, match="other inputs"):
        read_learned(path)
    with pytest.raises(RapportInputError, match="missing"):
        read_learned(tmp_path / "absent.json")


def test_probabilities_are_valid_and_deterministic() -> None:
    drill = DRILLS["empathy-01"]
    reply = "Maybe getting some fresh air would help you feel better."
    signals = read_signals(drill, reply)
    x = input_vector(signals, frozenset(h.code for h in rule_hits(reply)))
    learned = shipped_learned()
    p = learned.code_probabilities(x)
    direct = learned.verdict_probabilities(x, drill.skill)
    assert all(0.0 <= v <= 1.0 for v in p.values())
    assert direct.shape == (3,) and abs(float(direct.sum()) - 1.0) < 1e-9
    assert learned.code_probabilities(x) == p
    first, second = judge_reply(drill, reply), judge_reply(drill, reply)
    assert first == second
    assert set(first.extra["learned_codes"]) == set(DETECTED)


@pytest.mark.parametrize("drill_id", ["empathy-01", "validation-01", "autonomy-01"])
def test_learned_advice_alone_caps_at_partly(drill_id: str) -> None:
    # a detector whose bar every reply reaches: the advice it adds must trigger R2 even
    # when no phrase rule or coder found advice in the drill's own (good) exemplar
    drill = DRILLS[drill_id]
    reply = drill.exemplars[0]
    signals = read_signals(drill, reply)
    eager = replace(shipped_learned(), advice_bar=0.0)
    codes = find_codes(drill, reply, signals, eager)
    found = {c.code: c for c in codes}
    assert ADVICE in found
    reading = rules.read(drill, reply, codes)
    assert rules.RANK[reading.cap] <= rules.RANK["partly"]
    never = find_codes(drill, reply, signals, replace(eager, advice_bar=1.01))
    assert all(c.evidence != "learned detector: advice" for c in never)
