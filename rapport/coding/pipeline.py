"""Run every available coder of a preset over sessions and merge their codes.

Coders are listed in :data:`CODER_LOADERS`, one line each, as ``module:function`` paths
that return a :class:`~rapport.coding.base.SessionCoder` for a preset. A coder whose
extra is not installed is skipped with a warning, so the core install still works.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Sequence

from rapport.coding.base import CodedSession, CodeFamily, SessionCoder
from rapport.domain import Code, Session, TurnCodes

log = logging.getLogger(__name__)

#: ``name -> "module:function"``; the function takes the preset and returns a coder.
CODER_LOADERS: dict[str, str] = {
    "utterance": "rapport.coding.utterance:load_coder",
    "relationship": "rapport.coding.relationship:load_coder",
}

_cache: dict[tuple[str, str], SessionCoder] = {}


def load_coders(preset: str = "fast") -> list[SessionCoder]:
    """Load (once per process) every registered coder for ``preset``."""
    coders = []
    for name, target in CODER_LOADERS.items():
        key = (name, preset)
        if key not in _cache:
            module_name, func_name = target.split(":")
            loader: Callable[[str], SessionCoder] = getattr(
                importlib.import_module(module_name), func_name)
            _cache[key] = loader(preset)
        coders.append(_cache[key])
    return coders


def all_families(coders: Sequence[SessionCoder]) -> tuple[CodeFamily, ...]:
    return tuple(f for c in coders for f in c.families)


def code_sessions(sessions: Iterable[Session], coders: Sequence[SessionCoder]
                  ) -> list[CodedSession]:
    """Code every session with every coder and merge the codes per turn."""
    families = all_families(coders)
    models = tuple(c.model_id for c in coders)
    out = []
    for session in sessions:
        merged: list[list[Code]] = [[] for _ in session.turns]
        # the coders are English-only: other languages keep language-independent metrics
        for coder in coders if session.language == "en" else ():
            for tc in coder.code_session(session):
                merged[tc.turn_index].extend(tc.codes)
        codes = tuple(TurnCodes(session_id=session.id, turn_index=i, codes=tuple(c))
                      for i, c in enumerate(merged))
        out.append(CodedSession(session=session, codes=codes, families=families,
                                models=models))
    return out
