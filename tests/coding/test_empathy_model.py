"""The empathy estimator: contract, deterministic training, saved-model checks, outputs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rapport.coding.empathy.codes import as_label, families
from rapport.coding.empathy.data import GOLD_FILE, RatedSession, rated_sessions, split
from rapport.coding.empathy.model import EmpathyModel, total_distribution
from rapport.coding.empathy.persist import MODEL_DIR, load_model, read_meta
from rapport.coding.empathy.ratings import nearest_whole, turn_ratings
from rapport.coding.empathy.training import folds_of
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.realtalk import evaluation_sessions
from rapport.errors import RapportInputError
from rapport.research.codings import label_of


@pytest.fixture(scope="module")
def sessions() -> list[RatedSession]:
    # every tenth training transcript: a mix of double- and single-coded ones, seconds to fit
    train, _ = split(rated_sessions())
    return train[::10]


@pytest.fixture(scope="module")
def small_model(sessions: list[RatedSession]) -> EmpathyModel:
    return EmpathyModel(c=2.0).fit(sessions)


@pytest.fixture(scope="module")
def small_gold(tmp_path_factory: pytest.TempPathFactory, sessions: list[RatedSession]
               ) -> Path:
    """The gold lines of the small training set, as a gold file of its own."""
    keep = {s.key for s in sessions}
    path = tmp_path_factory.mktemp("gold") / "gold.jsonl"
    lines = [line for line in GOLD_FILE.read_text("utf-8").splitlines()
             if json.loads(line)["session"] in keep]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_frozen_split_is_never_trained_on(sessions: list[RatedSession]) -> None:
    train, frozen = split(rated_sessions())
    held = evaluation_sessions()
    assert {s.key for s in frozen} == held
    assert not {s.key for s in train} & held
    assert len(train) == 86
    assert all(s.double_coded for s in train)  # the 44 once single-coded ones too
    # a video's transcripts never fall on both sides of a fold
    folds = folds_of([s.dialogue.group for s in train])
    assert len(set(folds.values())) == 5


def test_fit_follows_the_estimator_contract(small_model: EmpathyModel) -> None:
    assert (small_model.c, small_model.min_positives) == (2.0, 15.0)
    learned = sorted(k for k in vars(small_model) if k.endswith("_") and not k.startswith("_"))
    assert learned == ["bias_", "cv_metrics_", "ratio_", "vectorizer_", "weights_"]
    with pytest.raises(RapportInputError, match="bad parameters"):
        EmpathyModel(c=0).fit([])


def test_probabilities_per_level_on_therapist_turns_only(small_model: EmpathyModel) -> None:
    d = Dialogue("x", ("client", "therapist", "other", "therapist"),
                 ("I can't sleep since the accident.", "That sounds frightening.",
                  "Sorry, wrong room.", "What keeps you awake?"))
    (probs,) = small_model.predict_many([d])
    assert probs.shape == (4, 3, 3)
    assert np.isnan(probs[0]).all() and np.isnan(probs[2]).all()
    therapist = probs[[1, 3]]
    assert (therapist >= 0).all()
    assert np.allclose(therapist.sum(axis=2), 1.0)
    # the seeker post is read: the same reply after other words is rated differently
    other = Dialogue("y", ("client", "therapist"), ("The bus was late.",
                                                    "That sounds frightening."))
    assert not np.allclose(small_model.predict_many([other])[0][1], probs[1])


def test_training_is_deterministic_byte_for_byte(small_gold: Path, tmp_path: Path) -> None:
    # through the real CLI, as docs/models.md says to rebuild the shipped files
    first, second = tmp_path / "a", tmp_path / "b"
    cli = Cli(checked=True)
    text = cli("train", "empathy", "--gold", small_gold, "--out", first).output
    cli("train", "empathy", "--gold", small_gold, "--out", second)
    assert "chosen c=" in text and "saved" in text and "session mean" in text
    # both presets' files (`rapport train` builds both by default)
    for name in ("empathy.json", "empathy.npz", "empathy-fast.json", "empathy-fast.npz"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert load_model(first, "empathy-fast").embed_weight == 0.0
    meta = read_meta(first / "empathy.json")
    assert meta["training_data"] == {"gold.jsonl": meta["training_data"]["gold.jsonl"]}
    assert len(meta["training_data"]["gold.jsonl"]) == 64  # the sha256 of what it read
    model = load_model(first)
    assert str(model.c) in set(model.cv_metrics_["c_scores"])
    assert model.cv_metrics_["folds"] == 5


def _copy_shipped(tmp_path: Path) -> Path:
    for name in ("empathy.json", "empathy.npz"):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    return tmp_path


def test_a_changed_array_file_is_refused(tmp_path: Path) -> None:
    folder = _copy_shipped(tmp_path)
    assert load_model(folder).weights_.shape[1] == 6
    npz = folder / "empathy.npz"
    data = bytearray(npz.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte
    npz.write_bytes(bytes(data))
    with pytest.raises(RapportInputError, match="sha256") as err:
        load_model(folder)
    assert "rapport train empathy" in (err.value.fix or "")
    npz.unlink()
    with pytest.raises(RapportInputError, match="sha256"):
        load_model(folder)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("format_version", 99, "model format"),
    ("labels", {"empathy": ["0", "1"]}, "labels do not match"),
])
def test_another_format_or_label_set_is_refused(tmp_path: Path, field: str, value: object,
                                                 message: str) -> None:
    folder = _copy_shipped(tmp_path)
    meta = json.loads((folder / "empathy.json").read_text("utf-8"))
    meta[field] = value
    (folder / "empathy.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(RapportInputError, match=message):
        load_model(folder)


def test_a_missing_model_says_how_to_rebuild_it(tmp_path: Path) -> None:
    with pytest.raises(RapportInputError, match="not found") as err:
        load_model(tmp_path)
    assert "--gold" in (err.value.fix or "")


LEVELS = arrays(np.float64, (5, 3, 3), elements=st.floats(0.0, 1.0))


@given(LEVELS)
def test_values_and_confidences_stay_in_range(raw: np.ndarray) -> None:
    total = raw.sum(axis=2, keepdims=True)
    probs = np.where(total > 0, raw / np.where(total > 0, total, 1.0), 1.0 / 3)
    out = turn_ratings(probs)
    assert ((out.mechanisms >= 0) & (out.mechanisms <= 2)).all()
    assert ((out.total >= 0) & (out.total <= 6)).all()
    # the sum column adds up the three mechanisms as written (one decimal)
    assert np.allclose(out.total, out.mechanisms.sum(axis=1), atol=1e-9)
    assert ((out.mechanism_confidence >= 0) & (out.mechanism_confidence <= 1 + 1e-9)).all()
    assert np.allclose(total_distribution(probs).sum(axis=1), 1.0)
    # a mechanism's confidence is the probability of its nearest level
    level = nearest_whole(out.mechanisms)
    assert np.allclose(out.mechanism_confidence,
                       np.take_along_axis(probs, level[:, :, None], axis=2)[:, :, 0])


@given(st.floats(0.0, 6.0))
def test_a_value_reads_back_as_the_same_label(x: float) -> None:
    label = as_label(x)
    assert label_of(float(label)) == label  # the code table's reading of the number
    scale = families()[-1].labels
    assert label in scale
