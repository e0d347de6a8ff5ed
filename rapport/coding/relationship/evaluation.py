"""Score the relationship model on real talk: per code, and rupture episodes.

    rapport evaluate relationship [--out FILE]
    python benchmarks/relationship_eval.py          # adds the nested cross-validation

Three views, never mixed: the **frozen evaluation split** of the real-talk gold (19
transcripts no training step reads, ``data/realtalk/FROZEN.md``) scored with the shipped
model; **nested cross-validation** on the development transcripts (folds by video; ``c``,
thresholds and calibration chosen inside each training fold); and, for comparison with the
first coder, the project-written frozen set ``data/relationship/eval.jsonl``.

Episodes follow :mod:`~rapport.coding.relationship.episodes`; predicted episodes use the
thresholds the report uses (each code's feedback threshold; a code without one makes no
episodes and no repairs).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rapport.coding.agreement import expected_calibration_error
from rapport.coding.relationship.codes import ALL_CODES, role_of
from rapport.coding.relationship.data import EVAL_FILE, file_sha256
from rapport.coding.relationship.dialogue import Dialogue
from rapport.coding.relationship.episodes import Episode, find_episodes, match_episodes
from rapport.coding.relationship.model import CODE_INDEX, RelationshipModel, prf
from rapport.coding.relationship.persist import MODEL_NAMES, load_model, model_name
from rapport.coding.relationship.training import (
    C_GRIDS,
    GOLD_FILE,
    format_table,
    gold_dialogues,
    model_metrics,
    train,
    written_dialogues,
)
from rapport.errors import RapportInputError

MARKERS = ("withdrawal", "confrontation")


@dataclass(frozen=True)
class Scored:
    """Predictions for dialogues, with the thresholds of the model that made them."""

    dialogues: list[Dialogue]
    probs: list[np.ndarray]
    thresholds: list[dict[str, float]]
    feedback: list[dict[str, float | None]]


def score_with(model: RelationshipModel, dialogues: Sequence[Dialogue]) -> Scored:
    probs = model.predict_many(dialogues)
    thresholds = {c: model.threshold(c) for c in ALL_CODES}
    return Scored(list(dialogues), probs, [thresholds] * len(probs),
                  [dict(model.feedback_)] * len(probs))


def code_metrics(scored: Scored) -> dict[str, dict[str, float]]:
    """Per code: P/R/F1 at the operating threshold, ECE, P/R at the feedback threshold."""
    out: dict[str, dict[str, float]] = {}
    for code in ALL_CODES:
        k, role = CODE_INDEX[code], role_of(code).value
        y, p, hit, fb_hit = [], [], [], []
        used_feedback = False
        for d, probs, thr, fb in zip(scored.dialogues, scored.probs, scored.thresholds,
                                     scored.feedback, strict=True):
            assert d.codes is not None
            for i, r in enumerate(d.roles):
                if r != role or d.codes[i] is None:
                    continue
                y.append(code in (d.codes[i] or ()))
                p.append(probs[i, k])
                hit.append(probs[i, k] >= thr[code])
                fb_hit.append(fb[code] is not None and probs[i, k] >= (fb[code] or 1.0))
                used_feedback |= fb[code] is not None
        ys = np.array(y, dtype=bool)
        m = prf(ys, np.array(hit, dtype=bool))
        m["ece"] = expected_calibration_error([float(v) for v in p], y)
        m["threshold"] = float(np.mean([t[code] for t in scored.thresholds]))
        if used_feedback:
            at = prf(ys, np.array(fb_hit, dtype=bool))
            m.update(feedback_precision=at["precision"], feedback_recall=at["recall"],
                     feedback_threshold=float(np.mean(
                         [f[code] for f in scored.feedback if f[code] is not None])))
        out[code] = m
    return out


def gold_episodes(d: Dialogue) -> list[Episode]:
    assert d.codes is not None
    markers = {i: next(m for m in MARKERS if m in (c or ())) for i, c in enumerate(d.codes)
               if any(m in (c or ()) for m in MARKERS)}
    repairs = {i for i, c in enumerate(d.codes) if "repair" in (c or ())}
    return find_episodes(d.roles, markers, repairs)


def predicted_episodes(d: Dialogue, probs: np.ndarray, feedback: dict[str, float | None]
                       ) -> list[Episode]:
    def on(i: int, code: str) -> bool:
        cut = feedback[code]
        return cut is not None and bool(probs[i, CODE_INDEX[code]] >= cut)

    markers = {}
    for i, role in enumerate(d.roles):
        if role == "client":
            found = [m for m in MARKERS if on(i, m)]
            if found:
                markers[i] = max(found, key=lambda m: probs[i, CODE_INDEX[m]])
    repairs = {i for i, role in enumerate(d.roles) if role == "therapist" and on(i, "repair")}
    return find_episodes(d.roles, markers, repairs)


def episode_metrics(scored: Scored) -> dict[str, float]:
    """Episode precision and recall, and repaired-vs-unrepaired agreement when matched."""
    n_pred = n_gold = matched_pred = matched_gold = agree = 0
    for d, probs, fb in zip(scored.dialogues, scored.probs, scored.feedback, strict=True):
        gold, pred = gold_episodes(d), predicted_episodes(d, probs, fb)
        pairs = match_episodes(pred, gold)
        n_pred += len(pred)
        n_gold += len(gold)
        matched_pred += len(pairs)
        matched_gold += len({id(g) for _, g in pairs})
        agree += sum(p.repaired == g.repaired for p, g in pairs)
    return {"gold": n_gold, "predicted": n_pred,
            "precision": matched_pred / n_pred if n_pred else 0.0,
            "recall": matched_gold / n_gold if n_gold else 0.0,
            "repaired_agreement": agree / matched_pred if matched_pred else 0.0,
            "matched": matched_pred}


def nested_cv(dev: Sequence[Dialogue], written: Sequence[Dialogue], *, folds: int = 5,
              preset: str = "accurate") -> Scored:
    """Outer folds by video; every choice (c, thresholds, calibration) inside training."""
    fold_of = RelationshipModel(cv_folds=folds).folds_of([d.group for d in dev])
    out = Scored([], [], [], [])
    for f in range(folds):
        train_part = [d for d in dev if fold_of[d.group] != f]
        test_part = [d for d in dev if fold_of[d.group] == f]
        model, _ = train(train_part, written, c_grid=C_GRIDS[preset], preset=preset)
        part = score_with(model, test_part)
        for field in ("dialogues", "probs", "thresholds", "feedback"):
            getattr(out, field).extend(getattr(part, field))
    return out


def format_episodes(m: dict[str, float]) -> str:
    return (f"rupture episodes: {int(m['gold'])} in the gold, {int(m['predicted'])} "
            f"predicted; precision {m['precision']:.2f}, recall {m['recall']:.2f}; repaired "
            f"vs unrepaired agrees on {m['repaired_agreement']:.2f} of "
            f"{int(m['matched'])} matched")


def written_set_metrics(model: RelationshipModel, path: Path = EVAL_FILE
                        ) -> dict[str, dict[str, float]]:
    """The first coder's frozen written set, scored the same way (comparison only)."""
    return code_metrics(score_with(model, written_dialogues(path)))


def evaluate_cli(preset: str = "all", out: Path | None = None, *,
                 gold: Path = GOLD_FILE) -> str:
    """Markdown for the shipped model of ``preset`` (``all``: both, one after the other);
    the ``rapport evaluate relationship`` task."""
    if preset not in ("fast", "accurate", "all"):
        raise RapportInputError(f"unknown preset {preset!r}", fix="use fast, accurate or all")
    text = "\n\n".join(_evaluate_preset(name, gold)
                       for name in (MODEL_NAMES if preset == "all" else (preset,)))
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return text


def _evaluate_preset(preset: str, gold: Path) -> str:
    model = load_model(name=model_name(preset))
    _, frozen = gold_dialogues(gold)
    scored = score_with(model, frozen)
    return "\n".join([
        f"## preset `{preset}`", "",
        (f"Frozen evaluation split of `{gold.name}` ({len(frozen)} transcripts, never "
        "trained on), shipped model:"), "", format_table(code_metrics(scored)), "",
        format_episodes(episode_metrics(scored)), "",
        "Out-of-fold metrics on the development transcripts, from the model file:", "",
        format_table(model_metrics(model)), "",
        (f"The first coder's written frozen set `{EVAL_FILE.name}` (sha256 "
        f"`{file_sha256(EVAL_FILE)[:12]}…`), same model (comparison only):"), "",
        format_table(written_set_metrics(model))])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_FILE)
    args = parser.parse_args(argv)
    sys.stdout.write(evaluate_cli("all", None, gold=args.gold) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
