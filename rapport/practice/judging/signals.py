"""What the project's coders read in a reply, coded in its drill's context.

The drill's context turns and client turn come first, the reply last, as one short
session; every coder used here reads only a turn and the turns before it (the ``live``
utterance coder, the relationship coder, the risk reply rule), so a lone reply is coded as
it would be live. Models load once per process, on first use.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rapport.domain import Session

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rapport.practice.drills import Drill

_lock = threading.Lock()
#: Relationship codes of a therapist turn that the judge reads (P each).
RELATIONSHIP_CODES = ("affirm", "seek_collaboration", "emphasize_autonomy", "persuade",
                      "persuade_with_permission", "confront", "repair", "normalize",
                      "self_disclosure", "metacommunication", "boundary_statement")
#: The utterance coder's probabilities the judge reads, in a fixed order.
UTTERANCE_KEYS = ("p_question", "p_reflection", "p_input", "p_open", "p_complex", "p_advice")


@dataclass(frozen=True)
class Signals:
    """Probabilities from the coders and similarities from the sentence embedder."""

    utterance: dict[str, float]  # p_question, p_reflection, p_input, p_open, p_complex, p_advice
    relationship: dict[str, float]  # P(code) of the reply turn
    risk_asks_directly: bool
    sim_exemplar: float  # best cosine to this drill's exemplars
    sim_mistake: float  # best cosine to this drill's common-mistake examples
    sim_client: float  # cosine to the client turn it answers
    embedding: np.ndarray  # the reply's own MiniLM vector (the learned detectors read it)


MODELS = Path(__file__).parent / "models"
#: The relationship model the judge's learned parts and verdict layer were fitted on, kept
#: beside them: the shipped ``fast`` model is retrained when the real-talk gold grows, and
#: the judge must read the probabilities it was fitted on (refitting it would mean scoring
#: its frozen evaluation set a fourth time; docs/practice-judge.md, "Limits").
JUDGE_RELATIONSHIP = ("relationship-fast", "relationship-fast@2.0")


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any]:
    """The live utterance coder, the relationship coder and the embedder (loaded once)."""
    with _lock:
        from rapport.coding.relationship import RelationshipCoder
        from rapport.coding.relationship.persist import load_model
        from rapport.coding.utterance import load_coder as load_utterance
        from rapport.coding.utterance.embed import get_embedder

        embedder = get_embedder()
        _remember_drill_texts(embedder)
        name, model_id = JUDGE_RELATIONSHIP
        relationship = RelationshipCoder(load_model(MODELS, name), preset="fast",
                                         model_id=model_id)
        return load_utterance("live"), relationship, embedder


DRILL_EMBEDDINGS = MODELS / "drill-embeddings.npz"


def drill_texts(drills: Sequence[Drill]) -> list[str]:
    """Every fixed text of the library the judge embeds: turns, exemplars, mistakes."""
    texts: set[str] = set()
    for drill in drills:
        texts.update(t.text for t in drill.context)
        texts.update([drill.client_turn, *drill.exemplars,
                      *(m.example for m in drill.common_mistakes)])
    return sorted(texts)


def save_drill_embeddings(drills: Sequence[Drill], path: Path = DRILL_EMBEDDINGS) -> Path:
    """Embed the library's fixed texts once (training time) so no reply waits for them."""
    _, _, embedder = _models()
    texts = drill_texts(drills)
    vectors = embedder.embed(texts)
    with path.open("wb") as fh:
        np.savez_compressed(fh, allow_pickle=False, vectors=vectors,
                            texts=np.frombuffer(json.dumps(texts).encode(), dtype=np.uint8))
    return path


def _remember_drill_texts(embedder: Any) -> None:
    # texts edited since the file was made are simply not in it: they are embedded on use
    if not DRILL_EMBEDDINGS.exists():
        return
    with np.load(DRILL_EMBEDDINGS, allow_pickle=False) as data:
        texts = json.loads(bytes(data["texts"]).decode())
        embedder.remember(texts, data["vectors"])


def warm_up() -> None:
    """Load every model now (a server calls this at start so the first reply is quick)."""
    _models()


def drill_session(drill: Drill, reply: str) -> Session:
    turns: list[tuple[str, str, str]] = [
        ("T" if t.speaker == "therapist" else "C", t.speaker, t.text) for t in drill.context]
    turns += [("C", "client", drill.client_turn), ("T", "therapist", reply)]
    return Session.build(f"drill:{drill.id}", turns, language="en")


def _best_cosine(vector: np.ndarray, others: np.ndarray) -> float:
    if not len(others):
        return 0.0
    return float(np.max(others @ vector))


def read_signals(drill: Drill, reply: str, *, leave_out: Sequence[str] = ()) -> Signals:
    """Code ``reply`` in ``drill``'s context. ``leave_out``: drill texts not to compare the
    reply with (when the reply *is* one of the drill's exemplars, in training)."""
    from rapport.risk.response import asks_directly

    utterance_coder, relationship_coder, embedder = _models()
    session = drill_session(drill, reply)
    turns = session.turns
    roles = np.array([t.role.value for t in turns], dtype=object)
    probs = utterance_coder.predict_proba_arrays(np.zeros(len(turns), dtype=np.int64), roles,
                                                 [t.text for t in turns])
    last = len(turns) - 1

    def p(family: str, label: str) -> float:
        head = utterance_coder.heads[family]
        return float(probs[family][last, head.labels.index(label)])

    utterance = {"p_question": p("therapist_behaviour", "question"),
                 "p_reflection": p("therapist_behaviour", "reflection"),
                 "p_input": p("therapist_behaviour", "input"),
                 "p_open": p("question_type", "open"),
                 "p_complex": p("reflection_type", "complex"),
                 "p_advice": p("input_type", "advice")}
    relationship = dict.fromkeys(RELATIONSHIP_CODES, 0.0)
    for code in relationship_coder.code_session(session)[last].codes:
        if code.name in relationship:
            relationship[code.name] = code.confidence if code.value else 1.0 - code.confidence
    exemplars = [e for e in drill.exemplars if e not in leave_out]
    mistakes = [m.example for m in drill.common_mistakes if m.example not in leave_out]
    vectors = embedder.embed([reply, drill.client_turn, *exemplars, *mistakes])
    mine = vectors[0]
    return Signals(utterance=utterance, relationship=relationship,
                   risk_asks_directly=asks_directly(reply),
                   sim_exemplar=_best_cosine(mine, vectors[2:2 + len(exemplars)]),
                   sim_mistake=_best_cosine(mine, vectors[2 + len(exemplars):]),
                   sim_client=float(vectors[1] @ mine), embedding=mine)
