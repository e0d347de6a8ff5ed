"""The relationship estimator: scikit-learn contract, context, saved-model checks, properties."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.relationship.codes import ALL_CODES, CODES_BY_ROLE
from rapport.coding.relationship.data import TRAIN_FILE, file_sha256
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.model import CODE_INDEX, RelationshipModel
from rapport.coding.relationship.persist import MODEL_DIR, load_model, read_meta, save_model
from rapport.coding.relationship.training import (
    GOLD_FILE,
    SYNTHETIC_CODES,
    gold_dialogues,
    written_dialogues,
)
from rapport.domain import Role
from rapport.errors import RapportInputError


@pytest.fixture(scope="module")
def data() -> list[Dialogue]:
    # half the development transcripts and half the written rows: every code keeps
    # a few positives, and two folds fit in seconds (no embeddings)
    dev, _ = gold_dialogues()
    return [*dev[::2], *written_dialogues()[::2]]


@pytest.fixture(scope="module")
def small_model(data: list[Dialogue]) -> RelationshipModel:
    return RelationshipModel(c=1.0, cv_folds=2, offsets=2,
                             synthetic_codes=SYNTHETIC_CODES).fit(data)


@pytest.fixture(scope="module")
def shipped() -> RelationshipModel:
    return load_model()


def test_fit_follows_the_estimator_contract(small_model: RelationshipModel) -> None:
    assert (small_model.c, small_model.cv_folds, small_model.offsets) == (1.0, 2, 2)
    learned = [k for k in vars(small_model) if k.endswith("_") and not k.startswith("_")]
    assert sorted(learned) == ["cv_metrics_", "feedback_", "feedback_evidence_", "heads_",
                               "vectorizers_"]
    assert list(small_model.cv_metrics_) == list(ALL_CODES)
    for code, metrics in small_model.cv_metrics_.items():
        assert 0.0 <= metrics["f1"] <= 1.0
        assert 0.0 <= metrics["ece"] <= 1.0
        cut = small_model.feedback_[code]
        if cut is not None:  # feedback only where precision held out of fold
            assert metrics["feedback_precision"] >= 0.70
        evidence = small_model.feedback_evidence_[code]  # what the threshold was chosen on
        assert len(evidence.y) == len(evidence.p) == len(evidence.folds)


def test_shipped_stage1_weights_are_the_mean_of_the_fold_models(
        small_model: RelationshipModel, data: list[Dialogue]) -> None:
    # final="fold_average" (the default): the weights are the mean of the out-of-fold
    # models, fitted here again fold by fold, so a turn's score is their mean score
    from sklearn.linear_model import LogisticRegression

    from rapport.coding.relationship.model import _rows_by_role

    assert small_model.final == "fold_average"
    role = "therapist"
    r = _rows_by_role(data)[role]
    x = small_model.vectorizers_[role].transform(r.texts, r.previous, r.hits,
                                                 r.previous_hits)
    fold_of = small_model.folds_of([d.group for d in data])
    folds = np.array([fold_of[g] for g in r.groups])
    y, use = small_model._labels(data, r, role)
    k = CODES_BY_ROLE[Role.THERAPIST].index("seek_collaboration")
    fits = [LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000,
                               solver="liblinear").fit(x[(folds != f) & use[:, k]],
                                                       y[(folds != f) & use[:, k], k])
            for f in range(2)]
    heads = small_model.heads_[role]
    mean = np.mean([fit.coef_[0] for fit in fits], axis=0)
    np.testing.assert_allclose(heads.stage1[:, k], mean, atol=1e-12)
    np.testing.assert_allclose(heads.bias1[k], np.mean([fit.intercept_[0] for fit in fits]))
    refit = RelationshipModel(c=1.0, cv_folds=2, offsets=2, final="refit",
                              synthetic_codes=SYNTHETIC_CODES).fit(data)
    # the same out-of-fold evidence (so the same calibration data and thresholds), other
    # weights
    assert refit.feedback_ == small_model.feedback_
    assert refit.cv_metrics_ == small_model.cv_metrics_
    assert not np.allclose(refit.heads_[role].stage1[:, k], heads.stage1[:, k])


def test_folds_keep_a_group_together(small_model: RelationshipModel) -> None:
    groups = ["video:a", "video:b", "video:a", "video:c", "video:b"]
    folds = small_model.folds_of(groups)
    assert set(folds) == {"video:a", "video:b", "video:c"}
    assert folds == small_model.folds_of(list(reversed(groups)))  # deterministic


def test_the_turns_before_change_the_codes_of_a_turn(small_model: RelationshipModel) -> None:
    # the same therapist words after an objection and after small talk: stage 2 reads the
    # turns before, so the repair probability must differ
    words = "You're right, I got ahead of myself there. What would help you most?"
    after_objection = Dialogue("x", ("therapist", "client", "therapist"), (
        "You need to stop drinking.", "This is pointless, you're not listening to me.",
        words))
    after_chat = Dialogue("y", ("therapist", "client", "therapist"), (
        "How was the drive in?", "Fine, the roads were quiet.", words))
    k = CODE_INDEX["repair"]
    assert small_model.predict_proba(after_objection)[2, k] != \
        small_model.predict_proba(after_chat)[2, k]


def test_save_and_load_round_trip(small_model: RelationshipModel, data: list[Dialogue],
                                  tmp_path: Path) -> None:
    save_model(small_model, tmp_path, data={"x.jsonl": "abc"})
    loaded = load_model(tmp_path)
    some = data[:3]
    for before, after in zip(small_model.predict_many(some), loaded.predict_many(some),
                             strict=True):
        np.testing.assert_allclose(after, before, rtol=1e-4, atol=1e-6)
    assert read_meta(tmp_path / "relationship.json")["training_data"] == {"x.jsonl": "abc"}
    assert loaded.feedback_ == small_model.feedback_
    assert loaded.final == "fold_average"
    # a file saved before ``final`` existed holds a refit (the shipped fast model)
    meta = json.loads((tmp_path / "relationship.json").read_text("utf-8"))
    del meta["params"]["final"]
    (tmp_path / "relationship.json").write_text(json.dumps(meta), encoding="utf-8")
    assert load_model(tmp_path).final == "refit"
    assert load_model(name="relationship-fast").final == "refit"
    assert load_model().final == "fold_average"  # accurate, relationship@2.2
    text, previous = "I dunno.", "How did that feel?"
    assert loaded.evidence(text, previous, "client", "withdrawal") == \
        small_model.evidence(text, previous, "client", "withdrawal")


def test_shipped_model_was_trained_on_the_committed_data() -> None:
    meta = read_meta(MODEL_DIR / "relationship.json")
    assert meta["training_data"] == {GOLD_FILE.name: file_sha256(GOLD_FILE),
                                     TRAIN_FILE.name: file_sha256(TRAIN_FILE)}
    assert set(meta["cv_metrics"]) == set(ALL_CODES)
    assert set(meta["feedback"]) == set(ALL_CODES)


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
        load_model(_copy_with(tmp_path, format_version=1))
    with pytest.raises(RapportInputError, match="not found"):
        load_model(tmp_path / "nowhere")


def test_another_package_version_warns(tmp_path: Path) -> None:
    with pytest.warns(UserWarning, match="saved by rapport 0.0.1"):
        load_model(_copy_with(tmp_path, package_version="0.0.1"))


@pytest.mark.parametrize("params", [{"c": 0.0}, {"cv_folds": 1}, {"offsets": -1},
                                    {"final": "best"}])
def test_bad_parameters_are_refused(data: list[Dialogue], params: dict[str, float]) -> None:
    with pytest.raises(RapportInputError, match="bad parameters"):
        RelationshipModel(**params).fit(data)  # type: ignore[arg-type]


def test_a_code_without_examples_is_refused(data: list[Dialogue]) -> None:
    # without the written examples nothing teaches the codes real talk lacks
    real = [d for d in data if not d.group.startswith("example:")]
    with pytest.raises(RapportInputError, match=r"'(self_disclosure|boundary_issue)' has 0"):
        RelationshipModel(cv_folds=2).fit(real)


TURN = st.tuples(st.sampled_from(["therapist", "client", "other"]), st.text(max_size=200))


@given(turns=st.lists(TURN, max_size=8))
def test_any_dialogue_gets_probabilities_in_range(shipped: RelationshipModel,
                                                  turns: list[tuple[str, str]]) -> None:
    dialogue = Dialogue("h", tuple(r for r, _ in turns), tuple(t for _, t in turns))
    probs = shipped.predict_proba(dialogue)
    assert probs.shape == (len(turns), len(ALL_CODES))
    for i, (role, _) in enumerate(turns):
        for code in ALL_CODES:
            p = probs[i, CODE_INDEX[code]]
            if role in ("therapist", "client") and code in CODES_BY_ROLE[Role(role)]:
                assert 0.0 <= p <= 1.0
            else:
                assert np.isnan(p)
