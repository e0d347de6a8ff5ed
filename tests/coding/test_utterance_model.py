"""The utterance coder's estimator contract, persistence checks and coding behaviour."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from sklearn.base import clone

from rapport.coding.utterance.families import FAMILIES
from rapport.coding.utterance.model import UtteranceCoder
from rapport.coding.utterance.persist import (
    FORMAT_VERSION,
    ModelVersionWarning,
    card_path,
    load_coder_file,
    save_coder,
)
from rapport.domain import Session, SessionCoder
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

SESSION = Session.build("demo", [
    ("T", "therapist", "What brings you here today?"),
    ("C", "client", "My doctor said I should cut down on drinking."),
    ("T", "therapist", "It sounds like you feel pushed into this."),
    ("C", "client", "Yeah. I do want to be healthier for my kids though."),
    ("T", "therapist", "Do you drink every day?"),
    ("C", "client", "Pretty much, after work."),
])


def test_constructor_stores_keyword_arguments_unchanged() -> None:
    coder = UtteranceCoder(preset="accurate", c_text=(1.0,), inner_folds=4, random_state=7)
    assert coder.get_params()["c_text"] == (1.0,)
    assert coder.get_params()["inner_folds"] == 4
    assert clone(coder).get_params() == coder.get_params()
    with pytest.raises(TypeError):
        UtteranceCoder("fast")  # type: ignore[misc]


def test_fit_returns_self_and_learned_attributes_end_with_underscore(
        small_frames: tuple[pd.DataFrame, pd.DataFrame],
        tiny_coder: Callable[[], UtteranceCoder]) -> None:
    x, y = small_frames
    coder = tiny_coder()
    assert not [k for k in vars(coder) if k.endswith("_")]
    assert coder.fit(x.iloc[:400], y.iloc[:400]) is coder
    learned = [k for k in vars(coder) if k not in coder.get_params()]
    assert learned
    assert all(k.endswith("_") for k in learned)


def test_unknown_preset_is_an_input_error(
        small_frames: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    x, y = small_frames
    with pytest.raises(RapportInputError, match="unknown preset"):
        UtteranceCoder(preset="turbo").fit(x, y)


def test_probabilities_are_distributions(fitted: UtteranceCoder,
                                         small_frames: tuple[pd.DataFrame, pd.DataFrame]
                                         ) -> None:
    x, _ = small_frames
    probs = fitted.predict_proba(x.iloc[:200])
    assert set(probs) == {f.name for f in FAMILIES}
    for p in probs.values():
        assert np.allclose(p.sum(axis=1), 1.0)
        assert (p >= 0).all()


def test_sub_family_only_under_its_parent(fitted: UtteranceCoder,
                                          small_frames: tuple[pd.DataFrame, pd.DataFrame]
                                          ) -> None:
    x, _ = small_frames
    table = fitted.predict(x)
    questions = table["therapist_behaviour"] == "question"
    assert table.loc[~questions, "question_type"].isna().all()
    assert table.loc[questions, "question_type"].notna().all()
    assert table.loc[x["role"] == "therapist", "client_talk"].isna().all()
    assert table.loc[x["role"] == "client", "therapist_behaviour"].isna().all()


def test_learns_something_on_held_out_transcripts(
        annomi: pd.DataFrame, fitted: UtteranceCoder) -> None:
    from rapport.coding.agreement import cohen_kappa
    from rapport.coding.utterance.training import training_frames

    ids = sorted(annomi["transcript_id"].unique())[-15:]
    x, y = training_frames(annomi[annomi["transcript_id"].isin(ids)])
    table = fitted.predict(x)
    rows = y["therapist_behaviour"].notna()
    kappa = cohen_kappa(y.loc[rows, "therapist_behaviour"].tolist(),
                        table.loc[rows, "therapist_behaviour"].tolist())
    assert kappa > 0.4  # chance is 0; the full model reaches about 0.67


def test_code_session_protocol_and_no_mutation(fitted: UtteranceCoder) -> None:
    before = SESSION.model_dump()
    codes = fitted.code_session(SESSION)
    assert isinstance(fitted, SessionCoder)
    assert SESSION.model_dump() == before
    assert [c.turn_index for c in codes] == list(range(len(SESSION.turns)))
    for turn, tc in zip(SESSION.turns, codes, strict=True):
        names = {c.name for c in tc.codes}
        if turn.role.value == "therapist":
            assert "therapist_behaviour" in names
            assert "client_talk" not in names
        else:
            assert names == {"client_talk"}
        for code in tc.codes:
            assert 0.0 <= code.confidence <= 1.0
            assert code.source == "utterance-fast@1.0"


def test_deterministic(small_frames: tuple[pd.DataFrame, pd.DataFrame],
                       fitted: UtteranceCoder,
                       tiny_coder: Callable[[], UtteranceCoder]) -> None:
    x, y = small_frames
    again = tiny_coder().fit(x, y)
    assert again.code_session(SESSION) == fitted.code_session(SESSION)


def test_empty_non_ascii_and_non_english_sessions(fitted: UtteranceCoder) -> None:
    empty = Session(id="e", speakers=(), turns=())
    assert fitted.code_session(empty) == []
    odd = Session.build("u", [("T", "therapist", "¿Cómo te sientes hoy? 😊 — naïve café"),
                              ("C", "client", "")])
    codes = fitted.code_session(odd)
    assert len(codes) == 2
    assert codes[0].get("therapist_behaviour") is not None
    german = Session.build("de", [("T", "therapist", "Wie geht es Ihnen?")], language="de")
    assert fitted.code_session(german)[0].codes == ()


def _saved(fitted: UtteranceCoder, tmp_path: Path) -> Path:
    path = tmp_path / "m.joblib"
    save_coder(fitted, path, data_sha256="abc", metrics={"x": 1})
    return path


def test_save_load_round_trip(fitted: UtteranceCoder, tmp_path: Path) -> None:
    path = _saved(fitted, tmp_path)
    card = json.loads(card_path(path).read_text())
    assert card["format_version"] == FORMAT_VERSION
    assert card["data_sha256"] == "abc"
    assert card["labels"]["client_talk"] == ["change", "neutral", "sustain"]
    loaded = load_coder_file(path)
    assert loaded.code_session(SESSION) == fitted.code_session(SESSION)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("format_version", 99, "format"),
    ("labels", {"client_talk": ["change", "sustain"]}, "label set"),
])
def test_refuses_format_or_label_mismatch(fitted: UtteranceCoder, tmp_path: Path,
                                          field: str, value: object, message: str) -> None:
    path = _saved(fitted, tmp_path)
    card = json.loads(card_path(path).read_text())
    card[field] = value
    card_path(path).write_text(json.dumps(card))
    with pytest.raises(RapportInputError, match=message):
        load_coder_file(path)


def test_warns_on_package_version_mismatch(fitted: UtteranceCoder, tmp_path: Path) -> None:
    path = _saved(fitted, tmp_path)
    card = json.loads(card_path(path).read_text())
    card["package_version"] = "0.0.1"
    card_path(path).write_text(json.dumps(card))
    with pytest.warns(ModelVersionWarning, match="0.0.1"):
        load_coder_file(path)
    card["package_version"] = json.loads(card_path(_saved(fitted, tmp_path / "b")
                                                   ).read_text())["package_version"]
    card_path(path).write_text(json.dumps(card))
    with warnings.catch_warnings():
        warnings.simplefilter("error", ModelVersionWarning)
        load_coder_file(path)


def test_missing_card_is_an_input_error(fitted: UtteranceCoder, tmp_path: Path) -> None:
    path = _saved(fitted, tmp_path)
    card_path(path).unlink()
    with pytest.raises(RapportInputError, match="card"):
        load_coder_file(path)


def test_out_of_fold_predictions_cover_every_utterance(annomi: pd.DataFrame) -> None:
    from rapport.coding.utterance.evaluation import out_of_fold_predictions

    ids = sorted(annomi["transcript_id"].unique())[:12]
    subset = annomi[annomi["transcript_id"].isin(ids)]
    oof = out_of_fold_predictions("fast", folds=2, data=subset)
    assert len(oof) == len(subset)
    assert list(oof["utterance_id"]) == list(subset["utterance_id"])
    therapist = oof["role"] == "therapist"
    assert oof.loc[therapist, "therapist_behaviour"].notna().all()
    assert oof.loc[~therapist, "therapist_behaviour"].isna().all()
    assert oof.loc[~therapist, "client_talk"].notna().all()
    assert oof["client_talk_confidence"].dropna().between(0, 1).all()
