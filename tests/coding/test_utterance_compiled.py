"""The numpy-only (compiled) coder gives the estimator's probabilities and codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from rapport.coding.utterance.compiled import compile_coder, load_compiled
from rapport.coding.utterance.persist import card_path, load_compiled_file, save_coder
from rapport.domain import Session
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    import pandas as pd

    from rapport.coding.utterance.model import UtteranceCoder


def test_compiled_matches_estimator(fitted: UtteranceCoder, annomi: pd.DataFrame,
                                    tmp_path: Path) -> None:
    from rapport.coding.utterance.training import training_frames

    compiled = load_compiled(compile_coder(fitted, tmp_path / "m.npz"))
    ids = sorted(annomi["transcript_id"].unique())[-6:]
    x, _ = training_frames(annomi[annomi["transcript_id"].isin(ids)])
    expected = fitted.predict_proba(x)
    got = compiled.predict_proba_arrays(x["session"].to_numpy(), x["role"].to_numpy(),
                                        x["text"].tolist())
    assert set(got) == set(expected)
    for name in expected:
        np.testing.assert_allclose(got[name], expected[name], atol=1e-5)
    session = Session.build("s", [("T", "therapist", "So you'd like to drink less?"),
                                  ("C", "client", "Yes — ça va, I'm sure I can."),
                                  ("T", "therapist", "What would help?")])
    ours = compiled.code_session(session)
    theirs = fitted.code_session(session)
    assert [[(c.name, c.value, c.source) for c in tc.codes] for tc in ours] == \
        [[(c.name, c.value, c.source) for c in tc.codes] for tc in theirs]
    for a, b in zip(ours, theirs, strict=True):
        for ca, cb in zip(a.codes, b.codes, strict=True):
            assert ca.confidence == pytest.approx(cb.confidence, abs=1e-6)
    assert compiled.code_session(Session(id="e", speakers=(), turns=())) == []


def test_compiled_file_must_match_its_card(fitted: UtteranceCoder, tmp_path: Path) -> None:
    path = tmp_path / "m.joblib"
    save_coder(fitted, path, data_sha256="abc")
    assert load_compiled_file(path).model_id == fitted.model_id
    card = json.loads(card_path(path).read_text())
    card["compiled"]["sha256"] = "0" * 64
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(RapportInputError, match="compiled model"):
        load_compiled_file(path)


def test_shipped_coder_loads_without_scikit_learn() -> None:
    code = ("import sys; from rapport.coding.utterance import load_coder; load_coder('fast');"
            "print(sorted(m for m in ('sklearn', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
