"""Features of a turn for the risk classifiers: words, risk phrases, time cues, meaning.

Four blocks, in column order: word 1-2-gram TF-IDF of the normalised turn (so speech-
recogniser spelling matches), one flag per risk code and per phrase family of
:mod:`rapport.risk.lexicon`, the history/present time cues, and the frozen MiniLM sentence
embedding (what the turn means, for phrasings no pattern lists). Only plain arrays are
kept, so a saved model is JSON plus ``.npz``, never a pickle; fitting needs scikit-learn,
transforming only numpy and scipy.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from rapport.risk.lexicon import PATTERNS
from rapport.risk.rules import history_cue, normalise, present_cue, rule_hits

_WORD = re.compile(r"[a-z0-9]+")
RULE_COLUMNS: tuple[str, ...] = (*PATTERNS, *(f"{code}.{name}" for code, pats in
                                              PATTERNS.items() for name, _ in pats))
CUE_COLUMNS = ("history_cue", "present_cue", "question_mark")
#: Weight of the embedding block against the sparse blocks (tuned in cross-validation).
EMBED_WEIGHT = 1.0


def words(text: str) -> list[str]:
    """Word unigrams and bigrams of the normalised text."""
    toks = _WORD.findall(normalise(text).text)
    return toks + [f"{a} {b}" for a, b in itertools.pairwise(toks)]


_SENTENCE = re.compile(r"(?<=[.!?;…])\s+|\s+(?=\b(?:but|and then|so then|cause|because)\b)")
#: A run-on turn without punctuation (speech recognisers) is cut every this many words.
CHUNK_WORDS = 16


def sentences(text: str) -> list[str]:
    """The turn's sentences (or word chunks of a run-on turn), each worth embedding."""
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    out: list[str] = []
    for part in parts or [text]:
        toks = part.split()
        out.extend(" ".join(toks[k:k + CHUNK_WORDS]) for k in range(0, len(toks), CHUNK_WORDS))
    return [o for o in out if o] or [text]


def embed_turns(texts: Sequence[str]) -> np.ndarray:
    """The turn's embedding beside the element-wise maximum over its sentences'
    embeddings: a disclosure made in one sentence of a long story still stands out."""
    from rapport.coding.utterance.embed import DIM, get_embedder

    embedder = get_embedder()
    whole = embedder.embed(list(texts))
    pieces = [sentences(t) for t in texts]
    flat = embedder.embed([s for ps in pieces for s in ps])
    peak = np.zeros((len(texts), DIM), dtype=np.float32)
    k = 0
    for r, ps in enumerate(pieces):
        peak[r] = flat[k:k + len(ps)].max(axis=0)
        k += len(ps)
    return np.hstack([whole, peak])


_RULE_INDEX = {c: i for i, c in enumerate(RULE_COLUMNS)}


def rule_row(text: str) -> np.ndarray:
    """Flags: a code's phrase matched; a phrase family matched; time cues; a '?'."""
    row = np.zeros(len(RULE_COLUMNS) + len(CUE_COLUMNS), dtype=np.float64)
    for hit in rule_hits(text):
        row[_RULE_INDEX[hit.code]] = 1.0
        row[_RULE_INDEX[f"{hit.code}.{hit.name}"]] = 1.0
    base = len(RULE_COLUMNS)
    row[base] = float(history_cue(text))
    row[base + 1] = float(present_cue(text))
    row[base + 2] = float("?" in text)
    return row


class TurnFeatures:
    """Fitted vocabulary and idf of the word block; ``transform`` builds every block."""

    def __init__(self, *, min_df: int = 2, embed_weight: float = EMBED_WEIGHT) -> None:
        self.min_df = min_df
        self.embed_weight = embed_weight

    def fit(self, texts: Sequence[str]) -> TurnFeatures:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(words(text)))
        self.vocab_ = sorted(w for w, n in df.items() if n >= self.min_df)
        n = len(texts)
        self.idf_ = np.array([np.log((1 + n) / (1 + df[w])) + 1 for w in self.vocab_])
        return self

    def _index(self) -> dict[str, int]:
        # built once per loaded model, not once per session (a large vocabulary)
        cached: dict[str, int] | None = self.__dict__.get("_index_cache")
        if cached is None or len(cached) != len(self.vocab_):
            cached = {w: i for i, w in enumerate(self.vocab_)}
            self.__dict__["_index_cache"] = cached
        return cached

    def word_block(self, texts: Sequence[str]) -> sparse.csr_matrix:
        index = self._index()
        rows, cols, vals = [], [], []
        for r, text in enumerate(texts):
            counts = Counter(i for w in words(text) if (i := index.get(w)) is not None)
            if not counts:
                continue
            weights = {i: c * self.idf_[i] for i, c in counts.items()}
            norm = np.sqrt(sum(v * v for v in weights.values()))
            for i, v in weights.items():
                rows.append(r)
                cols.append(i)
                vals.append(v / norm)
        return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab_)))

    def transform(self, texts: Sequence[str], embeddings: np.ndarray | None
                  ) -> sparse.csr_matrix:
        """All blocks; ``embeddings`` are the texts' rows of :func:`embed_turns` (None:
        the cheap view without them, as the gate reads it)."""
        rules = np.vstack([rule_row(t) for t in texts]) if texts else np.zeros(
            (0, len(RULE_COLUMNS) + len(CUE_COLUMNS)))
        blocks = [self.word_block(texts), sparse.csr_matrix(rules)]
        if embeddings is not None:
            blocks.append(sparse.csr_matrix(embeddings * self.embed_weight))
        return sparse.hstack(blocks, format="csr")

    @property
    def n_features(self) -> int:
        from rapport.coding.utterance.embed import DIM

        return len(self.vocab_) + len(RULE_COLUMNS) + len(CUE_COLUMNS) + 2 * DIM
