"""The live (context-only) utterance coder reads the turn and the turns before it only."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.coding.utterance import load_coder
from rapport.coding.utterance.persist import load_coder_file, shipped_path
from rapport.domain import Session

TURNS = [("C", "client", "I've been drinking more since the divorce."),
         ("T", "therapist", "It sounds like evenings are the hardest part."),
         ("C", "client", "Yeah. The house is so quiet."),
         ("T", "therapist", "What do you do when it gets quiet like that?")]


def _codes(session: Session) -> list[list[tuple[str, object, float]]]:
    coder = load_coder("live")
    return [[(c.name, c.value, round(c.confidence, 9)) for c in tc.codes]
            for tc in coder.code_session(session)]


@settings(max_examples=25, deadline=None)
@given(later=st.lists(st.text(min_size=0, max_size=60), min_size=1, max_size=3))
def test_later_turns_change_no_code(later: list[str]) -> None:
    base = _codes(Session.build("s", TURNS))
    roles = ["client", "therapist", "client"]
    extra = [(r[0].upper(), r, t) for r, t in zip(roles, later, strict=False)]
    longer = _codes(Session.build("s", [*TURNS, *extra]))
    assert longer[:len(TURNS)] == base


def test_changing_a_later_turn_changes_no_earlier_code() -> None:
    edited = [*TURNS[:3], ("T", "therapist", "You should stop drinking right now.")]
    assert _codes(Session.build("s", edited))[:3] == _codes(Session.build("s", TURNS))[:3]


def test_live_compiled_matches_its_estimator() -> None:
    estimator = load_coder_file(shipped_path("live"))
    compiled = load_coder("live")
    texts = [t for _, _, t in TURNS]
    roles = np.array([r for _, r, _ in TURNS], dtype=object)
    import pandas as pd

    frame = pd.DataFrame({"session": ["s"] * 4, "role": roles, "text": texts})
    expected = estimator.predict_proba(frame)
    got = compiled.predict_proba_arrays(np.zeros(4, dtype=np.int64), roles, texts)
    for name in expected:
        np.testing.assert_allclose(got[name], expected[name], atol=1e-5)
    assert compiled.model_id == "utterance-live@1.0"
