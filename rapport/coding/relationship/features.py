"""Turn text and its context into one sparse feature row: words, context cues, rule hits.

The row of a turn joins the TF-IDF of its own word 1–2-grams, the TF-IDF of the turn it
answers (the nearest earlier turn by another speaker), a few dense cues, the rule hits of
its own role and the rule hits of the turn it answers (a ``repair`` or a ``withdrawal`` is
defined by the turn around it). Character n-grams were dropped when the coder moved to
the real-talk gold: they cost most of the time and added nothing measurable on real talk.

The vectoriser keeps only plain arrays (vocabularies and idf weights), so a saved model is
JSON plus ``.npz`` and never a pickle.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from rapport.coding.relationship.rules import (
    RuleHit,
    is_minimal,
    normalise,
    question_kind,
    rule_hits,
    rule_names,
)

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import CountVectorizer

_WORD_REGEX = r"(?u)\b\w[\w']*\b"
#: Dense context cues; their order is the order of the columns.
CONTEXT_CUES = ("words_le_2", "words_3_5", "words_6_12", "words_gt_12", "is_question",
                "minimal", "prev_open", "prev_factual", "prev_other", "prev_none",
                "no_overlap_with_prev")
_STOP = frozenset(("i", "you", "the", "a", "an", "and", "to", "of", "it", "is", "was",
                   "that", "in", "my", "me", "your", "so", "for", "on", "at", "be", "do",
                   "did", "what", "how", "just", "like", "um"))
ROLES = ("therapist", "client")


# scikit-learn is needed to fit only: importing it costs more than coding a session, so
# inference counts n-grams itself (the same analyser, checked equal by a test).
def _word_vectorizer(vocabulary: Sequence[str] | None = None) -> CountVectorizer:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(token_pattern=_WORD_REGEX, ngram_range=(1, 2), lowercase=False,
                           min_df=1 if vocabulary is not None else 2,
                           vocabulary=list(vocabulary) if vocabulary is not None else None)


_WORD = re.compile(_WORD_REGEX)


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's word 1-2-grams for ``token_pattern=_WORD_REGEX``, no lowercasing."""
    tokens = _WORD.findall(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


class NgramCounter:
    """Term counts over a fixed vocabulary: CountVectorizer.transform without sklearn."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        self.index = {term: j for j, term in enumerate(vocabulary)}

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        indptr, cols, vals = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for term in word_ngrams(text):
                j = self.index.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j in sorted(counts):
                cols.append(j)
                vals.append(counts[j])
            indptr.append(len(cols))
        return sparse.csr_matrix((np.array(vals, dtype=np.int64),
                                  np.array(cols, dtype=np.int64), np.array(indptr)),
                                 shape=(len(texts), len(self.index)))


def _tfidf(counts: sparse.spmatrix, idf: np.ndarray) -> sparse.csr_matrix:
    # sublinear tf, smoothed idf, unit length: the usual TF-IDF, written out so it can be
    # rebuilt from saved arrays
    out = sparse.csr_matrix(counts, dtype=np.float64)
    out.data = 1.0 + np.log(out.data)
    out = sparse.csr_matrix(out.multiply(idf[None, :]))
    norms = np.sqrt(np.asarray(out.multiply(out).sum(axis=1))).ravel()
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(sparse.diags(1.0 / norms) @ out)


def _idf(counts: sparse.spmatrix) -> np.ndarray:
    n = counts.shape[0]
    df = np.bincount(sparse.csr_matrix(counts).indices, minlength=counts.shape[1])
    idf: np.ndarray = np.log((1.0 + n) / (1.0 + df)) + 1.0
    return idf


def context_cues(text: str, previous: str) -> list[float]:
    """The dense cues of one turn (see :data:`CONTEXT_CUES`)."""
    words = normalise(text).split()
    n = len(words)
    kind = question_kind(previous)
    prev_words = set(normalise(previous).split()) - _STOP
    content = [w.strip(".,!?") for w in words if w.strip(".,!?") not in _STOP]
    overlap = bool(prev_words) and n > 3 and not any(w in prev_words for w in content)
    return [float(n <= 2), float(3 <= n <= 5), float(6 <= n <= 12), float(n > 12),
            float(text.rstrip().endswith("?")), float(is_minimal(text)),
            float(kind == "open"), float(kind == "factual"), float(kind == "other"),
            float(kind == "none"), float(overlap)]


def other_role(role: str) -> str:
    return "client" if role == "therapist" else "therapist"


class TurnVectorizer:
    """Word 1–2-grams of the turn and of the turn it answers, cues, own and answered rules.

    ``role`` picks the rule columns. Learned state: ``word_vocab_``, ``prev_vocab_`` and
    their idf arrays.
    """

    def __init__(self, *, role: str, rule_weight: float = 1.0,
                 context_weight: float = 0.5, embed_weight: float = 0.0) -> None:
        self.role = role
        self.rule_weight = rule_weight
        self.context_weight = context_weight
        self.embed_weight = embed_weight

    def fit(self, texts: Sequence[str], previous: Sequence[str]) -> TurnVectorizer:
        word, prev_vec = _word_vectorizer(), _word_vectorizer()
        counts = word.fit_transform([normalise(t) for t in texts])
        self.word_vocab_ = list(word.get_feature_names_out())
        self.word_idf_ = _idf(counts)
        counts = prev_vec.fit_transform([normalise(p) for p in previous])
        self.prev_vocab_ = list(prev_vec.get_feature_names_out())
        self.prev_idf_ = _idf(counts)
        return self

    def _counter(self, kind: str) -> NgramCounter:
        # built once from the saved vocabularies
        cache: dict[str, NgramCounter] = self.__dict__.setdefault("_counter_cache", {})
        if kind not in cache:
            cache[kind] = NgramCounter(self.word_vocab_ if kind == "word" else self.prev_vocab_)
        return cache[kind]

    def word_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF of the turns' own words: the first columns of :meth:`transform`."""
        return _tfidf(self._counter("word").transform([normalise(t) for t in texts]),
                      self.word_idf_)

    def hits(self, texts: Sequence[str], previous: Sequence[str]) -> list[list[RuleHit]]:
        """The rule hits of every turn (computed once, used for features and evidence)."""
        return [rule_hits(t, p, self.role) for t, p in zip(texts, previous, strict=True)]

    def transform(self, texts: Sequence[str], previous: Sequence[str],
                  hits: Sequence[Sequence[RuleHit]] | None = None,
                  previous_hits: Sequence[Sequence[RuleHit]] | None = None
                  ) -> sparse.csr_matrix:
        """The feature matrix (one row per turn).

        ``previous_hits``: the rule hits of each answered turn, by its own role's rules
        (empty when the turn answers nothing or is by a third speaker).
        """
        words = self.word_matrix(texts)
        prev_m = _tfidf(self._counter("prev").transform([normalise(p) for p in previous]),
                        self.prev_idf_)
        if hits is None and not self.rule_weight:
            # rule columns weigh nothing (the empathy coder): skip the phrase matching
            hits = [[] for _ in texts]
        own = self._rule_matrix(hits if hits is not None else self.hits(texts, previous),
                                self.role)
        answered = self._rule_matrix(previous_hits or [[] for _ in texts],
                                     other_role(self.role))
        cues = np.array([context_cues(t, p) for t, p in zip(texts, previous, strict=True)])
        cues = cues.reshape(len(texts), len(CONTEXT_CUES))
        parts = [words, 0.5 * prev_m, sparse.csr_matrix(self.context_weight * cues),
                 sparse.csr_matrix(self.rule_weight * own),
                 sparse.csr_matrix(self.rule_weight * answered)]
        if self.embed_weight:
            parts.append(sparse.csr_matrix(self.embed_weight * self._embedded(texts, previous)))
        return sparse.csr_matrix(sparse.hstack(parts))

    @staticmethod
    def _embedded(texts: Sequence[str], previous: Sequence[str]) -> np.ndarray:
        # MiniLM sentence embeddings of the turn and of the turn it answers, and their
        # cosine (a reflection echoes what it answers); the pipeline's risk coder embeds
        # the same turns, so in one process these come from the embedder's cache
        from rapport.coding.utterance.embed import get_embedder

        embedder = get_embedder()
        turn, prev = embedder.embed(list(texts)), embedder.embed(list(previous))
        cosine = (turn * prev).sum(axis=1, keepdims=True)
        return np.hstack([turn, prev, cosine]).astype(np.float64)

    @staticmethod
    def _rule_matrix(hits: Sequence[Sequence[RuleHit]], role: str) -> np.ndarray:
        names = rule_names(role)
        index = {name: i for i, name in enumerate(names)}
        out = np.zeros((len(hits), len(names)))
        for row, turn_hits in enumerate(hits):
            for hit in turn_hits:
                out[row, index[hit.rule]] = 1.0
        return out
