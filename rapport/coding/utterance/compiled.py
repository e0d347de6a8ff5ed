"""Numpy-only inference for a fitted :class:`~rapport.coding.utterance.model.UtteranceCoder`.

Importing scikit-learn and SciPy takes about two seconds on the development machine,
longer than coding a whole session. The shipped models are therefore also stored
*compiled* (``.npz``: vocabularies, idf weights, linear coefficients, meta models and
decision weights) and run here with numpy alone; :func:`compile_coder` makes that file
from a fitted coder and a test checks that both paths give the same probabilities.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rapport.coding.ngrams import char_wb_ngrams
from rapport.coding.utterance.families import FAMILIES
from rapport.coding.utterance.features import (
    _TOKEN,
    N_DENSE,
    cue_text,
    dense_arrays,
    previous_index,
)
from rapport.coding.utterance.punctuation import bare_text, is_unpunctuated
from rapport.domain import Code, TurnCodes, codes_language

if TYPE_CHECKING:
    from rapport.coding.utterance.model import UtteranceCoder
    from rapport.domain import CodeFamily, Session

_WORD = re.compile(_TOKEN)
_EPS = 1e-6
#: Block order and weights of TextContextVectorizer.transform: (vocabulary, lag, weight).
BLOCKS = (("word", 0, 1.0), ("char", 0, 1.0), ("cue", 0, 1.0), ("cue", 1, 0.7),
          ("word", 1, 0.7), ("char", 1, 0.7), ("word", 2, 0.4),
          ("word", -1, 0.7), ("cue", -1, 0.7), ("word", -2, 0.4))
#: The live preset's blocks: previous turns only (see TextContextVectorizer ``after``).
LIVE_BLOCKS = BLOCKS[:7]


def _word_terms(text: str) -> list[str]:
    tokens = _WORD.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in itertools.pairwise(tokens)]


def _char_terms(text: str) -> list[str]:
    """scikit-learn's ``char_wb`` n-grams (2-5) of the lower-cased text."""
    return char_wb_ngrams(text.lower())


def _cue_terms(text: str) -> list[str]:
    return cue_text(text).split()


_ANALYZERS = {"word": _word_terms, "char": _char_terms, "cue": _cue_terms}


@dataclass
class _Vocabulary:
    kind: str
    index: dict[str, int]
    idf: np.ndarray

    def rows(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """COO triplets (row, column, value) of the sublinear, idf-weighted, l2-normed rows."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        analyze = _ANALYZERS[self.kind]
        for r, text in enumerate(texts):
            counts: dict[int, int] = {}
            for term in analyze(text):
                j = self.index.get(term)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            js = np.fromiter(counts, dtype=np.int64, count=len(counts))
            tf = np.log(np.fromiter(counts.values(), dtype=np.float64)) + 1.0
            v = tf * self.idf[js]
            v /= np.linalg.norm(v)
            rows.extend([r] * len(js))
            cols.extend(js.tolist())
            vals.extend(v.tolist())
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(vals)


@dataclass
class _Linear:
    coef: np.ndarray  # (k_model, n_features)
    intercept: np.ndarray
    classes: np.ndarray


@dataclass
class _CompiledHead:
    labels: tuple[str, ...]
    views: tuple[str, ...]
    bases: list[_Linear]
    meta: _Linear
    weights: np.ndarray

    def predict_proba(self, scores: dict[str, np.ndarray]) -> np.ndarray:
        k = len(self.labels)
        cols = []
        for view, base in zip(self.views, self.bases, strict=True):
            raw = scores[view]
            out = np.full((raw.shape[0], k), -10.0)
            if base.coef.shape[0] == 1:
                raw = np.column_stack([-raw[:, 0], raw[:, 0]])
            out[:, base.classes] = raw
            cols.append(out)
        z = np.hstack(cols) @ self.meta.coef.T + self.meta.intercept
        if self.meta.coef.shape[0] == 1:  # binary logistic regression
            p1 = 1.0 / (1.0 + np.exp(-z[:, 0]))
            proba = np.column_stack([1 - p1, p1])
        else:
            z -= z.max(axis=1, keepdims=True)
            proba = np.exp(z)
            proba /= proba.sum(axis=1, keepdims=True)
        result = np.zeros((z.shape[0], k))
        result[:, self.meta.classes] = proba
        return result

    def decide(self, probs: np.ndarray) -> np.ndarray:
        choice: np.ndarray = np.argmax(np.log(np.clip(probs, _EPS, 1)) + self.weights, axis=1)
        return choice


class CompiledCoder:
    """The shipped coder at inference time: same codes as the fitted estimator, numpy only."""

    def __init__(self, preset: str, model_id: str, vocabularies: dict[str, _Vocabulary],
                 heads: dict[str, _CompiledHead], *, after: bool = True) -> None:
        self.preset = preset
        self.after = after
        self._model_id = model_id
        self.vocabularies = vocabularies
        self.heads = heads
        #: Where the model for unpunctuated sessions lives (see :mod:`.punctuation`), when
        #: shipped; it is loaded by :attr:`companion` when first needed.
        self.companion_file: Path | None = None
        self._companion: CompiledCoder | None = None

    @property
    def families(self) -> tuple[CodeFamily, ...]:
        return tuple(f for f in FAMILIES if f.name in self.heads)

    @property
    def model_id(self) -> str:
        return self._model_id

    def _text_scores(self, sessions: np.ndarray, roles: np.ndarray, texts: list[str]
                     ) -> dict[str, np.ndarray]:
        """Every head's ``text``-view decision scores, block by block (no sparse matrix)."""
        n = len(texts)
        triplets = {kind: vocab.rows(texts) for kind, vocab in self.vocabularies.items()}
        lags = {lag: previous_index(sessions, lag) for lag in (0, 1, 2, -1, -2)}
        dense = dense_arrays(sessions, roles, texts, live=not self.after)
        out = {}
        for name, head in self.heads.items():
            base = head.bases[head.views.index("text")]
            scores = np.tile(base.intercept, (n, 1))
            offset = 0
            for kind, lag, weight in BLOCKS if self.after else LIVE_BLOCKS:
                if kind not in self.vocabularies:
                    continue
                size = len(self.vocabularies[kind].idf)
                rows, cols, vals = triplets[kind]
                # per-turn contribution of this block (row n: "no turn"); bincount is
                # much faster than np.add.at
                weights = vals * base.coef[:, offset + cols]
                per_turn = np.column_stack([np.bincount(rows, weights=w, minlength=n + 1)
                                            for w in weights])
                source = lags[lag]
                scores += weight * per_turn[np.where(source < 0, n, source)]
                offset += size
            scores += dense @ base.coef[:, offset:offset + N_DENSE].T
            out[name] = scores
        return out

    def predict_proba_arrays(self, sessions: np.ndarray, roles: np.ndarray,
                             texts: list[str]) -> dict[str, np.ndarray]:
        """Calibrated probabilities per family for turns given as plain arrays."""
        text_scores = self._text_scores(sessions, roles, texts)
        embed = None
        if any("embed" in h.views for h in self.heads.values()):
            from rapport.coding.utterance.embed import embedding_features

            embed = embedding_features(sessions, roles, texts)
        out = {}
        for name, head in self.heads.items():
            scores = {"text": text_scores[name]}
            if embed is not None and "embed" in head.views:
                b = head.bases[head.views.index("embed")]
                scores["embed"] = embed @ b.coef.T + b.intercept
            out[name] = head.predict_proba(scores)
        return out

    @property
    def companion(self) -> CompiledCoder | None:
        """The punctuation-free companion, loaded on first use: it takes about 40 MB of
        memory (`fast`), which a run with no unpunctuated session (each worker of
        ``rapport code``) should not pay."""
        if self._companion is None and self.companion_file is not None:
            from rapport.coding.utterance.persist import load_compiled_file

            self._companion = load_compiled_file(self.companion_file)
        return self._companion

    def route(self, texts: list[str]) -> tuple[CompiledCoder, list[str]]:
        """The coder for one session's turns and the texts it reads: the companion on
        bare text when the session is unpunctuated and a companion is shipped, else this
        coder on the text as written."""
        if is_unpunctuated(texts) and (companion := self.companion) is not None:
            return companion, [bare_text(t) for t in texts]
        return self, texts

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One TurnCodes per turn; non-English sessions get empty codes (not trained).

        An unpunctuated session is coded by the companion model (:meth:`route`); its
        codes name the companion as their source."""
        turns = session.turns
        if not codes_language(session.language) or not turns:
            return [TurnCodes(session_id=session.id, turn_index=t.index) for t in turns]
        coder, texts = self.route([t.text for t in turns])
        return coder._code_turns(session, texts)

    def _code_turns(self, session: Session, texts: list[str]) -> list[TurnCodes]:
        turns = session.turns
        roles = np.array([t.role.value for t in turns], dtype=object)
        probs = self.predict_proba_arrays(np.zeros(len(turns), dtype=np.int64), roles, texts)
        labels: dict[str, list[Any]] = {}
        codes: list[list[Code]] = [[] for _ in turns]
        for fam in self.families:
            head = self.heads[fam.name]
            p = probs[fam.name]
            choice = head.decide(p)
            allowed = {r.value for r in fam.roles}
            labels[fam.name] = [None] * len(turns)
            for i, turn in enumerate(turns):
                if turn.role.value not in allowed:
                    continue
                if fam.parent and labels[fam.parent[0]][i] != fam.parent[1]:
                    continue
                label = head.labels[int(choice[i])]
                labels[fam.name][i] = label
                conf = float(min(max(p[i, choice[i]], 0.0), 1.0))
                codes[i].append(Code(name=fam.name, value=label, confidence=conf,
                                     source=self.model_id))
        return [TurnCodes(session_id=session.id, turn_index=t.index, codes=tuple(c))
                for t, c in zip(turns, codes, strict=True)]


def _linear(model: Any) -> _Linear:
    return _Linear(np.asarray(model.coef_, dtype=np.float64),
                   np.asarray(model.intercept_, dtype=np.float64).ravel(),
                   np.asarray(model.classes_, dtype=np.int64))


def compile_coder(coder: UtteranceCoder, path: Path, *, coef_dtype: Any = np.float64
                  ) -> Path:
    """Write the numpy form of a fitted coder to ``path`` (``.npz``). ``coef_dtype=float32``
    halves the file (the companions ship so); loading always computes in float64."""
    arrays: dict[str, np.ndarray] = {}
    vec = coder.vectorizer_
    meta: dict[str, Any] = {"preset": coder.preset, "model_id": coder.model_id,
                            "after": bool(getattr(vec, "after", True)),
                            "vocabularies": {}, "heads": {}}
    for kind, tfidf in (("word", vec.word_), ("char", vec.char_), ("cue", vec.cue_)):
        if tfidf is None:
            continue
        terms = sorted(tfidf.vocabulary_, key=tfidf.vocabulary_.__getitem__)
        meta["vocabularies"][kind] = terms
        arrays[f"idf_{kind}"] = np.asarray(tfidf.idf_, dtype=np.float64)
    for name, head in coder.heads_.items():
        meta["heads"][name] = {"labels": list(head.labels), "views": list(head.views)}
        parts = [*zip(head.views, head.bases, strict=True), ("meta", head.meta)]
        for view, model in parts:
            lin = _linear(model)
            arrays[f"{name}.{view}.coef"] = lin.coef.astype(coef_dtype)
            arrays[f"{name}.{view}.intercept"] = lin.intercept
            arrays[f"{name}.{view}.classes"] = lin.classes
        arrays[f"{name}.weights"] = np.asarray(head.weights, dtype=np.float64)
    arrays["meta_json"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with path.open("wb") as fh:
        np.savez_compressed(fh, allow_pickle=False, **arrays)
    return path


def load_compiled(path: Path) -> CompiledCoder:
    """Read a file written by :func:`compile_coder` (no pickle involved)."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(bytes(data["meta_json"]).decode())
        vocabularies = {kind: _Vocabulary(kind, {t: i for i, t in enumerate(terms)},
                                          data[f"idf_{kind}"])
                        for kind, terms in meta["vocabularies"].items()}
        heads = {}
        for name, spec in meta["heads"].items():
            def lin(view: str, name: str = name) -> _Linear:
                return _Linear(np.asarray(data[f"{name}.{view}.coef"], dtype=np.float64),
                               data[f"{name}.{view}.intercept"],
                               data[f"{name}.{view}.classes"])
            heads[name] = _CompiledHead(tuple(spec["labels"]), tuple(spec["views"]),
                                        [lin(v) for v in spec["views"]], lin("meta"),
                                        data[f"{name}.weights"])
    return CompiledCoder(meta["preset"], meta["model_id"], vocabularies, heads,
                         after=bool(meta.get("after", True)))
