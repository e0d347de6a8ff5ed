"""Turn features with context: what the turn says, what came before and after, where it sits.

Context matters for these codes: a reflection answers something the client said, and
change talk is often an answer to the therapist's question; the reply (the next turn or
two) is used too, as a human coder of a whole session would. Every turn is vectorised once;
the context blocks reuse the rows of the previous turns (shifted within a session), so
context costs no extra text processing.

The input is a *turn frame*: a DataFrame with columns ``session``, ``role`` and ``text`` in
turn order (see :func:`turn_frame`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np

from rapport.domain import is_backchannel

if TYPE_CHECKING:
    import pandas as pd
    from scipy import sparse

    from rapport.domain import Session

ROLES = ("therapist", "client", "other")
#: Words, single letters ("I") and question marks are tokens.
_TOKEN = r"(?u)\b\w+\b|\?"  # noqa: S105 (a regex, not a secret)
_QUESTION_START = re.compile(
    r"^\s*(what|how|why|when|where|who|which|do|does|did|is|are|was|were|can|could|would|"
    r"will|have|has|should|tell me)\b", re.IGNORECASE)
N_DENSE = 8 + 2 * len(ROLES)


def turn_frame(session: Session) -> pd.DataFrame:
    """The turn frame of one session (the shape every model here reads)."""
    import pandas as pd

    return pd.DataFrame({"session": [session.id] * len(session.turns),
                         "role": [t.role.value for t in session.turns],
                         "text": [t.text for t in session.turns]},
                        columns=["session", "role", "text"])


def previous_index(sessions: np.ndarray, lag: int) -> np.ndarray:
    """Row of the turn ``lag`` places earlier (later, for a negative lag) in the same
    session, or -1."""
    n = len(sessions)
    idx = np.arange(n) - lag
    valid = (idx >= 0) & (idx < n)
    valid[valid] = sessions[idx[valid]] == sessions[valid]
    return np.where(valid, idx, -1)


def shift_rows(matrix: sparse.csr_matrix, index: np.ndarray) -> sparse.csr_matrix:
    """Rows of ``matrix`` at ``index``; an all-zero row where the index is -1."""
    from scipy import sparse

    padded = sparse.vstack([matrix, sparse.csr_matrix((1, matrix.shape[1]))], format="csr")
    return padded[np.where(index < 0, matrix.shape[0], index)]


def dense_features(frame: pd.DataFrame, *, live: bool = False) -> np.ndarray:
    """Length, question marks, back-channel, position and the roles of the two previous turns."""
    return dense_arrays(frame["session"].to_numpy(), frame["role"].to_numpy(),
                        frame["text"].astype(str).tolist(), live=live)


def dense_arrays(sessions: np.ndarray, roles: np.ndarray, texts: list[str], *,
                 live: bool = False) -> np.ndarray:
    """:func:`dense_features` on plain arrays (the scikit-learn-free inference path).

    ``live``: leave the position columns at zero. The relative position needs the
    session's length (turns still to come), and a reply typed in a drill has no place in
    a session at all, so the live coder reads neither.
    """
    out = np.zeros((len(texts), N_DENSE), dtype=np.float64)
    for i, text in enumerate(texts):
        words = len(text.split())
        stripped = text.rstrip()
        out[i, 0] = np.log1p(words)
        out[i, 1] = float("?" in text)
        out[i, 2] = float(stripped.endswith("?"))
        out[i, 3] = float(is_backchannel(text))
        out[i, 4] = float(bool(_QUESTION_START.match(text)))
        out[i, 5] = min(text.count("?"), 3) / 3
    # position within the session: openings and closings differ (agenda, summary)
    if len(texts) and not live:
        _, starts, counts = np.unique(sessions, return_index=True, return_counts=True)
        for start, count in zip(starts, counts, strict=True):
            span = np.arange(count)
            out[start:start + count, 6] = span / max(count - 1, 1)
            out[start:start + count, 7] = np.log1p(span) / 7
    for lag in (1, 2):
        prev = previous_index(sessions, lag)
        for r, role in enumerate(ROLES):
            col = 8 + (lag - 1) * len(ROLES) + r
            out[:, col] = np.where(prev >= 0, roles[np.maximum(prev, 0)] == role, False)
    return out


_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_WORDS = re.compile(r"[\w']+")


def cue_text(text: str) -> str:
    """Openings of the first, last and last-question sentences as tokens.

    Whether a question is open or closed is decided by its first words ("What...",
    "Do you..."), and in a long turn the question is usually the last sentence.
    """
    sentences = [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
    cues = []
    for tag, sentence in (("f", sentences[0] if sentences else ""),
                          ("l", sentences[-1] if sentences else ""),
                          ("q", next((s for s in reversed(sentences) if s.endswith("?")), ""))):
        words = [w.lower() for w in _WORDS.findall(sentence)[:3]]
        if words:
            cues += [f"{tag}1_{words[0]}", f"{tag}2_{'_'.join(words[:2])}",
                     f"{tag}3_{'_'.join(words)}"]
        else:
            cues.append(f"{tag}_none")
    return " ".join(cues)


class TextContextVectorizer:
    """TF-IDF word and character n-grams of the turn and of the two turns before it.

    Not an estimator on its own; owned by :class:`~rapport.coding.utterance.model.
    UtteranceCoder`, which fits it on the training texts.
    """

    def __init__(self, *, chars: bool = True, max_char_features: int = 60000,
                 after: bool = True) -> None:
        # character n-grams add robustness to spelling and ASR noise but cost most of
        # the transform time (Python-level n-gram counting): the fast preset goes without
        self.chars = chars
        self.max_char_features = max_char_features
        # after=False (the live preset): previous turns only, no reply blocks and no
        # position, so a turn is coded the same before anything follows it
        self.after = after

    def fit(self, frame: pd.DataFrame) -> TextContextVectorizer:
        # imported here: the shipped models run on the numpy-only path (compiled.py)
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = frame["text"].astype(str).tolist()
        self.word_ = TfidfVectorizer(token_pattern=_TOKEN, ngram_range=(1, 2), min_df=2,
                                     sublinear_tf=True, dtype=np.float32)
        self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3,
                                     sublinear_tf=True, max_features=self.max_char_features,
                                     dtype=np.float32) if self.chars else None
        self.cue_ = TfidfVectorizer(token_pattern=r"\S+", lowercase=False,  # noqa: S106
                                    min_df=1, sublinear_tf=True, dtype=np.float32)
        self.word_.fit(texts)
        if self.char_ is not None:
            self.char_.fit(texts)
        self.cue_.fit([cue_text(t) for t in texts])
        return self

    def transform(self, frame: pd.DataFrame) -> sparse.csr_matrix:
        from scipy import sparse

        texts = frame["text"].astype(str).tolist()
        sessions = frame["session"].to_numpy()
        if not texts:
            n_chars = len(self.char_.vocabulary_) if self.char_ is not None else 0
            after = getattr(self, "after", True)
            width = (len(self.word_.vocabulary_) * (5 if after else 3) + n_chars * 2
                     + len(self.cue_.vocabulary_) * (3 if after else 2) + N_DENSE)
            return sparse.csr_matrix((0, width), dtype=np.float32)
        words = self.word_.transform(texts).tocsr()
        chars = self.char_.transform(texts).tocsr() if self.char_ is not None \
            else sparse.csr_matrix((len(texts), 0), dtype=np.float32)
        cues = self.cue_.transform([cue_text(t) for t in texts]).tocsr()
        after = getattr(self, "after", True)  # models pickled before the flag read after
        prev1 = previous_index(sessions, 1)
        prev2 = previous_index(sessions, 2)
        blocks = [words, chars, cues, 0.7 * shift_rows(cues, prev1),
                  # the previous turn weighs less than the turn itself; two back, less again
                  0.7 * shift_rows(words, prev1), 0.7 * shift_rows(chars, prev1),
                  0.4 * shift_rows(words, prev2)]
        if after:
            # the reply: a coder of a whole session sees how the other answered
            following = previous_index(sessions, -1)
            blocks += [0.7 * shift_rows(words, following), 0.7 * shift_rows(cues, following),
                       0.4 * shift_rows(words, previous_index(sessions, -2))]
        blocks.append(sparse.csr_matrix(dense_features(frame, live=not after),
                                        dtype=np.float32))
        return sparse.hstack(blocks, format="csr", dtype=np.float32)
