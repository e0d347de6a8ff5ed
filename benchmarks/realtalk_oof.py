"""Out-of-fold codes for every transcript of the real-talk gold, shared by the benchmarks.

- the utterance coder's out-of-fold codes (5 folds by video over AnnoMI,
  :func:`rapport.coding.utterance.evaluation.out_of_fold_predictions`);
- the relationship coder's nested out-of-fold codes on the development transcripts (each
  outer fold's model, thresholds and feedback bars chosen without it,
  :func:`rapport.coding.relationship.evaluation.nested_cv`), and the shipped relationship
  model on the frozen evaluation split (which no training step reads);
- the shipped risk coder (never trained on AnnoMI).

The relationship codes are those of the ``fast`` preset, the one reports use by default
(:data:`PRESET`). Computing them takes minutes (six relationship fits, five utterance
fits); they are cached in ``.cache/realtalk_oof-fast.pkl`` (delete it after retraining a
model).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from rapport.coding.relationship.codes import CODES_BY_ROLE
from rapport.coding.relationship.dialogue import Dialogue, from_gold
from rapport.coding.relationship.evaluation import nested_cv, score_with
from rapport.coding.relationship.heldout import HeldOut, gated, read_gate
from rapport.coding.relationship.model import CODE_INDEX
from rapport.coding.relationship.persist import load_model, model_name
from rapport.coding.relationship.realtalk import GoldSession, evaluation_sessions
from rapport.coding.relationship.training import written_dialogues
from rapport.domain import Code, CodedSession, Role, Session, TurnCodes

ROOT = Path(__file__).resolve().parents[1]
#: The relationship preset whose codes feed the reports by default (`rapport code`,
#: `rapport analyze`): the measured moments and MITI fit must be of its codes.
PRESET = "fast"
CACHE = ROOT / ".cache" / f"realtalk_oof-{PRESET}.pkl"
UTTERANCE_FAMILIES = ("therapist_behaviour", "question_type", "reflection_type", "input_type",
                      "client_talk")
#: Out-of-fold relationship codes carry this source: ``relationship@…`` but not the shipped
#: model's id, so the shipped feedback bars never apply to them; codes at or above their
#: own fold's feedback bar are re-issued with :data:`FOLD_FEEDBACK` (counted as they are),
#: and only for codes that passed the preset's held-out gate, as in the shipped reports
#: (:mod:`rapport.coding.relationship.heldout`).
FOLD_CODES = "relationship@out-of-fold"
FOLD_FEEDBACK = "out-of-fold-feedback"


@dataclass(frozen=True)
class Scored:
    """Relationship probabilities of one transcript and the bars of the model that made them."""

    probs: np.ndarray
    thresholds: dict[str, float]
    feedback: dict[str, float | None]


def _dialogue(s: GoldSession) -> Dialogue:
    return from_gold(s.video, [(t.speaker, t.text, t.codes) for t in s.turns])


def relationship_codes(gold: dict[str, GoldSession]) -> dict[str, Scored]:
    """Nested out-of-fold on development transcripts, the shipped model on the frozen ones."""
    held = evaluation_sessions()
    dev_keys = [k for k in sorted(gold) if k not in held]
    frozen_keys = [k for k in sorted(gold) if k in held]
    dev = [_dialogue(gold[k]) for k in dev_keys]
    key_of = {id(d): k for d, k in zip(dev, dev_keys, strict=True)}
    out: dict[str, Scored] = {}
    nested = nested_cv(dev, written_dialogues(), preset=PRESET)
    for d, p, thr, fb in zip(nested.dialogues, nested.probs, nested.thresholds,
                             nested.feedback, strict=True):
        out[key_of[id(d)]] = Scored(p, thr, fb)
    shipped = score_with(load_model(name=model_name(PRESET)),
                         [_dialogue(gold[k]) for k in frozen_keys])
    for k, p, thr, fb in zip(frozen_keys, shipped.probs, shipped.thresholds,
                             shipped.feedback, strict=True):
        out[k] = Scored(p, thr, fb)
    return out


def utterance_codes() -> pd.DataFrame:
    from rapport.coding.utterance.evaluation import out_of_fold_predictions

    return out_of_fold_predictions("fast").set_index(["transcript_id", "utterance_id"])


def load_or_make(cache: Path, gold: dict[str, GoldSession]
                 ) -> tuple[pd.DataFrame, dict[str, Scored]]:
    if cache.is_file():
        with cache.open("rb") as f:
            utter, rel = pickle.load(f)  # our own cache file, written below
        return utter, rel
    utter, rel = utterance_codes(), relationship_codes(gold)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with cache.open("wb") as f:
        pickle.dump((utter, rel), f)
    return utter, rel


@lru_cache(maxsize=1)
def preset_gate() -> dict[str, HeldOut] | None:
    """The held-out gate of the shipped :data:`PRESET` model (None: not measured)."""
    return read_gate(model_name(PRESET))


def coded_session(s: GoldSession, utter: pd.DataFrame, rel: Scored, risk: object
                  ) -> CodedSession:
    """The transcript with out-of-fold utterance and relationship codes and risk codes."""
    tid = int(s.session.split("-")[1])
    roles = [Role.THERAPIST if t.speaker == "T" else Role.CLIENT for t in s.turns]
    session = Session.build(s.session, [(t.speaker, r.value, t.text)
                                        for t, r in zip(s.turns, roles, strict=True)])
    risk_codes = {tc.turn_index: tc.codes for tc in risk.code_session(session)}  # type: ignore[attr-defined]
    feedback = gated(rel.feedback, preset_gate())
    turns = []
    for i, (t, role) in enumerate(zip(s.turns, roles, strict=True)):
        codes: list[Code] = []
        row = utter.loc[(tid, t.turn)]
        for fam in UTTERANCE_FAMILIES:
            value = row[fam]
            if isinstance(value, str):
                codes.append(Code(name=fam, value=value,
                                  confidence=float(row[f"{fam}_confidence"]),
                                  source="utterance-fast@out-of-fold"))
        for code in CODES_BY_ROLE[role]:
            p = float(rel.probs[i, CODE_INDEX[code]])
            cut = feedback.get(code)
            if cut is not None and p >= cut:
                codes.append(Code(name=code, value=True, confidence=p, source=FOLD_FEEDBACK))
            elif p >= rel.thresholds[code]:
                codes.append(Code(name=code, value=True, confidence=p, source=FOLD_CODES))
            else:
                codes.append(Code(name=code, value=False, confidence=1 - p, source=FOLD_CODES))
        codes.extend(risk_codes.get(i, ()))
        turns.append(TurnCodes(session_id=session.id, turn_index=i, codes=tuple(codes)))
    return CodedSession(session=session, codes=tuple(turns))
