"""The utterance coder: one scikit-learn-style estimator for all five families.

>>> from rapport.coding.utterance import load_coder  # doctest: +SKIP
>>> coder = load_coder("fast")  # doctest: +SKIP

``X`` is a turn frame (columns ``session``, ``role``, ``text``; optional ``group`` for
grouped inner folds, default ``session``), ``y`` a DataFrame with one column per family
(missing where the family does not apply). Presets: ``fast`` uses TF-IDF of the turn and
its context; ``accurate`` adds frozen MiniLM embeddings of the turn and its context as a
second view, stacked with the first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import BaseEstimator

from rapport.coding.utterance.families import FAMILIES, LIVE_PRESET, MODEL_PRESETS
from rapport.coding.utterance.features import TextContextVectorizer, turn_frame
from rapport.coding.utterance.punctuation import preset_label, with_bare_copy
from rapport.coding.utterance.stacking import Head, fit_head
from rapport.domain import Code, TurnCodes, codes_language
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    import pandas as pd

    from rapport.domain import CodeFamily, Session

MODEL_VERSION = "1.0"


def embedding_view(frame: pd.DataFrame) -> np.ndarray:
    """MiniLM embeddings of the turn and the two before it, their similarities, dense cues."""
    from rapport.coding.utterance.embed import embedding_features

    return embedding_features(frame["session"].to_numpy(), frame["role"].to_numpy(),
                              frame["text"].astype(str).tolist())


class UtteranceCoder(BaseEstimator):  # type: ignore[misc]
    """Codes therapist behaviour, its sub-types and client talk of every turn.

    Parameters are stored unchanged; all work happens in :meth:`fit`. ``bare_copy`` adds a
    punctuation-free copy of every training transcript (the companion model that codes
    unpunctuated sessions; see :mod:`rapport.coding.utterance.punctuation`).
    """

    def __init__(self, *, preset: str = "fast", c_text: tuple[float, ...] = (0.03, 0.1),
                 c_embed: tuple[float, ...] = (0.05, 0.2), inner_folds: int = 3,
                 random_state: int = 0, bare_copy: bool = False) -> None:
        self.preset = preset
        self.bare_copy = bare_copy
        self.c_text = c_text
        self.c_embed = c_embed
        self.inner_folds = inner_folds
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------------
    def fit(self, X: pd.DataFrame, y: pd.DataFrame) -> UtteranceCoder:  # noqa: N803
        """Fit the vectoriser and one stacked head per family; returns ``self``."""
        if self.preset not in MODEL_PRESETS:
            raise RapportInputError(f"unknown preset {self.preset!r}",
                                    fix="use one of: " + ", ".join(MODEL_PRESETS))
        if len(X) != len(y):
            msg = f"X has {len(X)} rows but y has {len(y)}"
            raise ValueError(msg)
        if self.bare_copy:  # the companion for unpunctuated sessions (see punctuation.py)
            X, y = with_bare_copy(X, y)  # noqa: N806
        self.vectorizer_ = TextContextVectorizer(chars=self.preset == "accurate",
                                                 after=self.preset != LIVE_PRESET).fit(X)
        views = self._views(X)
        groups = (X["group"] if "group" in X else X["session"]).astype(str).to_numpy()
        roles = X["role"].astype(str).to_numpy()
        grid = {"text": tuple(self.c_text), "embed": tuple(self.c_embed)}
        self.heads_: dict[str, Head] = {}
        for fam in FAMILIES:
            if fam.name not in y:
                continue
            raw = y[fam.name].to_numpy(dtype=object)
            role_ok = np.isin(roles, [r.value for r in fam.roles])
            rows = np.flatnonzero(role_ok & np.array([v in fam.labels for v in raw]))
            if len(np.unique(raw[rows])) < 2:
                continue  # nothing to learn; the family is left out of predictions
            target = np.array([fam.labels.index(v) for v in raw[rows]])
            xs = {name: view[rows] for name, view in views.items()}
            self.heads_[fam.name] = fit_head(fam.labels, xs, target, groups[rows],
                                             c_grid=grid, inner_folds=self.inner_folds,
                                             seed=self.random_state)
        self.n_features_in_ = int(views["text"].shape[1])
        return self

    def _views(self, X: pd.DataFrame) -> dict[str, Any]:  # noqa: N803
        views: dict[str, Any] = {"text": self.vectorizer_.transform(X)}
        if self.preset == "accurate":
            views["embed"] = embedding_view(X)
        return views

    # -- prediction ------------------------------------------------------------------
    def predict_proba(self, X: pd.DataFrame) -> dict[str, np.ndarray]:  # noqa: N803
        """Calibrated class probabilities per family, for every row (columns = labels)."""
        views = self._views(X)
        return {name: head.predict_proba(views) for name, head in self.heads_.items()}

    def predict(self, X: pd.DataFrame) -> pd.DataFrame:  # noqa: N803
        """``<family>`` and ``<family>_confidence`` columns; missing where not applicable."""
        return self.decide(X, self.predict_proba(X))

    def decide(self, X: pd.DataFrame, probs: dict[str, np.ndarray]  # noqa: N803
               ) -> pd.DataFrame:
        """Labels from :meth:`predict_proba` output; a sub-family only under its parent."""
        import pandas as pd

        roles = X["role"].astype(str).to_numpy()
        out: dict[str, Any] = {}
        for fam in FAMILIES:
            if fam.name not in self.heads_:
                continue
            head = self.heads_[fam.name]
            p = probs[fam.name]
            choice = head.decide(p) if len(p) else np.zeros(0, dtype=int)
            labels = np.array(fam.labels, dtype=object)[choice]
            conf = p[np.arange(len(p)), choice]
            applies = np.isin(roles, [r.value for r in fam.roles])
            if fam.parent is not None:
                parent = out.get(fam.parent[0], np.full(len(X), None, dtype=object))
                applies &= parent == fam.parent[1]
            out[fam.name] = np.where(applies, labels, None)
            out[f"{fam.name}_confidence"] = np.where(applies, conf, np.nan)
        return pd.DataFrame(out, index=X.index)

    # -- SessionCoder protocol -------------------------------------------------------
    @property
    def families(self) -> tuple[CodeFamily, ...]:
        return tuple(f for f in FAMILIES if f.name in getattr(self, "heads_", {}))

    @property
    def model_id(self) -> str:
        # getattr: estimators pickled before ``bare_copy`` existed have no such attribute
        bare = bool(getattr(self, "bare_copy", False))
        return f"utterance-{preset_label(self.preset, bare=bare)}@{MODEL_VERSION}"

    def code_session(self, session: Session) -> list[TurnCodes]:
        """One TurnCodes per turn; non-English sessions get empty codes (not trained)."""
        if not codes_language(session.language) or not session.turns:
            return [TurnCodes(session_id=session.id, turn_index=t.index)
                    for t in session.turns]
        table = self.predict(turn_frame(session))
        # plain lists: per-cell DataFrame access costs more than the model itself
        columns = {name: table[name].tolist() for name in table.columns}
        source = self.model_id
        families = self.families
        result = []
        for i, turn in enumerate(session.turns):
            codes = []
            for fam in families:
                label = columns[fam.name][i]
                if isinstance(label, str):
                    conf = float(columns[f"{fam.name}_confidence"][i])
                    codes.append(Code(name=fam.name, value=label,
                                      confidence=min(max(conf, 0.0), 1.0), source=source))
            result.append(TurnCodes(session_id=session.id, turn_index=turn.index,
                                    codes=tuple(codes)))
        return result
