"""Turn text and context into one sparse feature row: n-grams, context cues and rule hits.

The vectoriser keeps only plain arrays (vocabularies and idf weights), so a saved model is
JSON plus ``.npz`` and never a pickle. Fit and transform share :func:`_tfidf`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from rapport.coding.ngrams import char_wb_ngrams
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


# scikit-learn is needed to fit only: importing it costs more than coding a session, so
# inference counts n-grams itself (the same analysers, checked equal by a test).
def _word_vectorizer(vocabulary: Sequence[str] | None = None) -> CountVectorizer:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(token_pattern=_WORD_REGEX, ngram_range=(1, 2), lowercase=False,
                           min_df=1 if vocabulary is not None else 2,
                           vocabulary=list(vocabulary) if vocabulary is not None else None)


def _char_vectorizer(vocabulary: Sequence[str] | None = None) -> CountVectorizer:
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False,
                           min_df=1 if vocabulary is not None else 2,
                           vocabulary=list(vocabulary) if vocabulary is not None else None)


_WORD = re.compile(_WORD_REGEX)


def word_ngrams(text: str) -> list[str]:
    """scikit-learn's word 1-2-grams for ``token_pattern=_WORD_REGEX``, no lowercasing."""
    tokens = _WORD.findall(text)
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def char_ngrams(text: str) -> list[str]:
    """scikit-learn's ``char_wb`` 2-5-grams, no lowercasing."""
    return char_wb_ngrams(text)


class NgramCounter:
    """Term counts over a fixed vocabulary: CountVectorizer.transform without sklearn."""

    def __init__(self, vocabulary: Sequence[str], analyse: Callable[[str], list[str]]) -> None:
        self.index = {term: j for j, term in enumerate(vocabulary)}
        self.analyse = analyse

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        indptr, cols, vals = [0], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for term in self.analyse(text):
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


class TurnVectorizer:
    """Word 1–2-grams and char 2–5-grams of the turn, words of the previous turn, cues, rules.

    ``role`` picks the rule columns. Learned state: ``word_vocab_``, ``char_vocab_``,
    ``prev_vocab_`` and their idf arrays.
    """

    def __init__(self, *, role: str, rule_weight: float = 1.0,
                 context_weight: float = 0.5) -> None:
        self.role = role
        self.rule_weight = rule_weight
        self.context_weight = context_weight

    def fit(self, texts: Sequence[str], previous: Sequence[str]) -> TurnVectorizer:
        norm = [normalise(t) for t in texts]
        prev = [normalise(p) for p in previous]
        word, char, prev_vec = _word_vectorizer(), _char_vectorizer(), _word_vectorizer()
        counts = word.fit_transform(norm)
        self.word_vocab_ = list(word.get_feature_names_out())
        self.word_idf_ = _idf(counts)
        counts = char.fit_transform(norm)
        self.char_vocab_ = list(char.get_feature_names_out())
        self.char_idf_ = _idf(counts)
        counts = prev_vec.fit_transform(prev)
        self.prev_vocab_ = list(prev_vec.get_feature_names_out())
        self.prev_idf_ = _idf(counts)
        return self

    def _counter(self, kind: str) -> NgramCounter:
        # built once from the saved vocabularies
        cache: dict[str, NgramCounter] = self.__dict__.setdefault("_counter_cache", {})
        if kind not in cache:
            vocab = {"word": self.word_vocab_, "char": self.char_vocab_,
                     "prev": self.prev_vocab_}[kind]
            cache[kind] = NgramCounter(vocab, char_ngrams if kind == "char" else word_ngrams)
        return cache[kind]

    def text_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Word and char TF-IDF of the turns alone: the space nearest examples are found in."""
        norm = [normalise(t) for t in texts]
        words = _tfidf(self._counter("word").transform(norm), self.word_idf_)
        chars = _tfidf(self._counter("char").transform(norm), self.char_idf_)
        return sparse.csr_matrix(sparse.hstack([words, chars]) / np.sqrt(2.0))

    def hits(self, texts: Sequence[str], previous: Sequence[str]) -> list[list[RuleHit]]:
        """The rule hits of every turn (computed once, used for features and evidence)."""
        return [rule_hits(t, p, self.role) for t, p in zip(texts, previous, strict=True)]

    def transform(self, texts: Sequence[str], previous: Sequence[str],
                  hits: Sequence[Sequence[RuleHit]] | None = None) -> sparse.csr_matrix:
        """The full feature matrix (one row per turn)."""
        prev = [normalise(p) for p in previous]
        prev_m = _tfidf(self._counter("prev").transform(prev), self.prev_idf_)
        names = rule_names(self.role)
        index = {name: i for i, name in enumerate(names)}
        rules = np.zeros((len(texts), len(names)))
        for row, turn_hits in enumerate(hits if hits is not None
                                        else self.hits(texts, previous)):
            for hit in turn_hits:
                rules[row, index[hit.rule]] = 1.0
        cues = np.array([context_cues(t, p) for t, p in zip(texts, previous, strict=True)])
        cues = cues.reshape(len(texts), len(CONTEXT_CUES))
        return sparse.csr_matrix(sparse.hstack([
            self.text_matrix(texts), 0.5 * prev_m,
            sparse.csr_matrix(self.context_weight * cues),
            sparse.csr_matrix(self.rule_weight * rules)]))
