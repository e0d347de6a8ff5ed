"""The relationship estimator: scikit-learn contract, saved-model checks, properties."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.relationship.codes import ALL_CODES
from rapport.coding.relationship.data import TRAIN_FILE, Example, file_sha256, load_examples
from rapport.coding.relationship.model import RelationshipModel
from rapport.coding.relationship.persist import MODEL_DIR, load_model, read_meta, save_model
from rapport.coding.relationship.rules import rule_hits
from rapport.errors import RapportInputError


@pytest.fixture(scope="module")
def subset() -> list[Example]:
    # every third training row keeps each code with enough positives, and fits in a second
    return load_examples(TRAIN_FILE)[::3]


@pytest.fixture(scope="module")
def small_model(subset: list[Example]) -> RelationshipModel:
    return RelationshipModel(c=2.0, cv_folds=2, n_neighbours=1).fit(subset)


@pytest.fixture(scope="module")
def shipped() -> RelationshipModel:
    return load_model()


def test_fit_follows_the_estimator_contract(small_model: RelationshipModel) -> None:
    assert (small_model.c, small_model.cv_folds, small_model.n_neighbours) == (2.0, 2, 1)
    learned = [k for k in vars(small_model) if k.endswith("_") and not k.startswith("_")]
    assert sorted(learned) == ["cv_metrics_", "heads_", "neighbours_", "vectorizers_"]
    assert list(small_model.cv_metrics_) == list(ALL_CODES)
    for metrics in small_model.cv_metrics_.values():
        assert 0.0 <= metrics["f1"] <= 1.0


def test_save_and_load_round_trip(small_model: RelationshipModel, subset: list[Example],
                                  tmp_path: Path) -> None:
    save_model(small_model, tmp_path, data_sha256="abc")
    loaded = load_model(tmp_path)
    texts = [e.text for e in subset if e.role == "client"][:40]
    prev = [e.previous for e in subset if e.role == "client"][:40]
    before = small_model.predict_proba(texts, prev, "client")
    after = loaded.predict_proba(texts, prev, "client")
    for code, probs in before.items():
        np.testing.assert_allclose(after[code], probs, rtol=1e-4, atol=1e-6)
    assert read_meta(tmp_path / "relationship.json")["training_data_sha256"] == "abc"
    assert loaded.evidence(texts[0], prev[0], "client", "withdrawal") == \
        small_model.evidence(texts[0], prev[0], "client", "withdrawal")


def test_shipped_model_was_trained_on_the_committed_data() -> None:
    meta = read_meta(MODEL_DIR / "relationship.json")
    assert meta["training_data_sha256"] == file_sha256(TRAIN_FILE)
    assert set(meta["cv_metrics"]) == set(ALL_CODES)


def _copy_with(tmp_path: Path, **changes: object) -> Path:
    for suffix in (".json", ".npz"):
        shutil.copy(MODEL_DIR / f"relationship{suffix}", tmp_path / f"relationship{suffix}")
    meta_path = tmp_path / "relationship.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta.update(changes)
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    return tmp_path


def test_a_different_label_set_is_refused(tmp_path: Path) -> None:
    folder = _copy_with(tmp_path, labels={"therapist": ["affirmation"], "client": []})
    with pytest.raises(RapportInputError, match="codes do not match"):
        load_model(folder)


def test_a_different_format_is_refused_and_a_missing_model_explained(tmp_path: Path) -> None:
    with pytest.raises(RapportInputError, match="format"):
        load_model(_copy_with(tmp_path, format_version=99))
    with pytest.raises(RapportInputError, match="not found"):
        load_model(tmp_path / "nowhere")


def test_another_package_version_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="saved by rapport 0.0.1"):
        load_model(_copy_with(tmp_path, package_version="0.0.1"))


@pytest.mark.parametrize("params", [{"c": 0.0}, {"cv_folds": 1}, {"n_neighbours": -1}])
def test_bad_parameters_are_refused(subset: list[Example], params: dict[str, float]) -> None:
    with pytest.raises(RapportInputError, match="bad parameters"):
        RelationshipModel(**params).fit(subset)  # type: ignore[arg-type]


def test_a_code_without_examples_is_refused(subset: list[Example]) -> None:
    without = [e for e in subset if "normalize" not in e.codes]
    with pytest.raises(RapportInputError, match="normalize"):
        RelationshipModel(cv_folds=2).fit(without)


@given(text=st.text(max_size=300), previous=st.text(max_size=120),
       role=st.sampled_from(["therapist", "client"]))
def test_any_text_gets_probabilities_in_range(shipped: RelationshipModel, text: str,
                                              previous: str, role: str) -> None:
    probs = shipped.predict_proba([text], [previous], role)
    for p in probs.values():
        assert p.shape == (1,)
        assert 0.0 <= float(p[0]) <= 1.0
    for hit in rule_hits(text, previous, role):
        assert hit.rule.startswith(hit.code + ".")
