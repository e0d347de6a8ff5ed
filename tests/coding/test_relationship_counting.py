"""Relationship-coder inference counts n-grams without scikit-learn, exactly as
scikit-learn's CountVectorizer would, and never imports scikit-learn."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from rapport.coding.relationship.features import NgramCounter, _word_vectorizer

TEXTS = st.lists(st.text(alphabet=st.sampled_from("ab c'\t\n.?Éé1_-"), max_size=40),
                 min_size=1, max_size=6)


@given(TEXTS)
def test_counts_equal_scikit_learns(texts: list[str]) -> None:
    try:
        fitted = _word_vectorizer().fit(texts)
    except ValueError:  # no term reaches min_df: nothing to compare
        return
    vocab = list(fitted.get_feature_names_out())
    ours = NgramCounter(vocab).transform(texts)
    theirs = _word_vectorizer(vocab).fit(texts).transform(texts)
    assert (ours != theirs).nnz == 0


def test_coding_does_not_import_scikit_learn() -> None:
    code = ("import sys\n"
            "from rapport.domain import Session, Speaker, Turn\n"
            "from rapport.pipeline import code_sessions, load_coders\n"
            "s = Session(id='s', speakers=(Speaker(name='T', role='therapist'),"
            " Speaker(name='C', role='client')), turns=(Turn(index=0, speaker='T',"
            " role='therapist', text='What brings you here?'), Turn(index=1, speaker='C',"
            " role='client', text='My sister, mostly.')))\n"
            "code_sessions([s], load_coders('fast'))\n"
            "print('sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
