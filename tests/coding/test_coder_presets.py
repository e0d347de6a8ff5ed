"""The two presets of the relationship and empathy coders (issue 17): `fast` reads words,
rules and context and never loads ONNX Runtime; `accurate` adds MiniLM embeddings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from rapport.coding.empathy import load_coder as load_empathy
from rapport.coding.relationship import load_coder as load_relationship
from rapport.coding.relationship.feedback import MODEL_IDS, feedback_thresholds
from rapport.coding.relationship.training import train_cli
from rapport.domain import Code, Session
from rapport.errors import RapportInputError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("load", [load_relationship, load_empathy])
def test_each_preset_loads_its_own_model(load: object) -> None:
    fast, accurate = load("fast"), load("accurate")  # type: ignore[operator]
    assert fast.model.embed_weight == 0.0
    assert accurate.model.embed_weight == 1.0
    assert fast.model_id != accurate.model_id
    with pytest.raises(RapportInputError, match="unknown preset"):
        load("quick")  # type: ignore[operator]


def test_the_presets_code_under_their_own_names() -> None:
    s = Session.build("p", [("C", "client", "I stopped drinking for two weeks."),
                            ("T", "therapist", "You've worked really hard to get here.")])
    for preset in ("fast", "accurate"):
        rel = load_relationship(preset)
        emp = load_empathy(preset)
        sources = {c.source for coder in (rel, emp) for tc in coder.code_session(s)
                   for c in tc.codes}
        assert sources == {rel.model_id, emp.model_id}


_PROBE = """
import json, sys
from rapport.domain import Session
from rapport.pipeline import load_coders
coders = load_coders("fast")
s = Session.build("s", [("T", "therapist", "What brings you in today?"),
                        ("C", "client", sys.argv[1]),
                        ("T", "therapist", "It sounds like the week has been a lot.")])
for c in coders:
    c.code_session(s)
print(json.dumps({"coders": [c.model_id for c in coders],
                  "onnxruntime": "onnxruntime" in sys.modules,
                  "tokenizers": "tokenizers" in sys.modules}))
"""


def _probe(client_turn: str) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _PROBE, client_turn], cwd=ROOT, check=True,
                          capture_output=True, text=True, timeout=300)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_the_default_coders_load_no_onnx_until_the_risk_gate_needs_it() -> None:
    ordinary = _probe("I've been drinking a bit less, mostly at weekends now.")
    assert len(ordinary["coders"]) == 4  # type: ignore[arg-type]
    assert ordinary == {**ordinary, "onnxruntime": False, "tokenizers": False}
    # a turn the risk gate passes is read by the risk encoder: loaded then, and only then
    risky = _probe("Some nights I think everyone would be better off if I wasn't here.")
    assert risky["onnxruntime"] is True


def test_feedback_thresholds_belong_to_the_model_that_made_the_code() -> None:
    assert set(MODEL_IDS.values()) == {"fast", "accurate"}
    fast_id, accurate_id = sorted(MODEL_IDS, key=lambda s: MODEL_IDS[s] != "fast")
    from rapport.coding.relationship.feedback import usable_for_feedback

    for source in (fast_id, accurate_id):
        cuts = feedback_thresholds(source)
        for code, cut in cuts.items():
            sure = Code(name=code, value=True, confidence=0.999, source=source)
            # a code without a threshold in this model is never used for feedback
            assert usable_for_feedback(sure) == (cut is not None), (source, code)


def test_the_fast_model_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    # a small gold (every third transcript) and one c: seconds, not minutes
    gold = ROOT / "data" / "realtalk" / "gold.jsonl"
    lines = gold.read_text("utf-8").splitlines()
    keep = sorted({json.loads(line)["session"] for line in lines})[::3]
    lines = [line for line in lines if json.loads(line)["session"] in keep]
    small = tmp_path / "gold.jsonl"
    small.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = tmp_path / "a", tmp_path / "b"
    text = train_cli("fast", first, gold=small, c_grid=(2.0,))
    train_cli("fast", second, gold=small, c_grid=(2.0,))
    assert "preset `fast`" in text and "CPU s" in text
    for name in ("relationship-fast.json", "relationship-fast.npz"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert not (first / "relationship.json").exists()  # only the preset asked for
