"""Score the empathy model against the raters: Spearman per mechanism and sum, per turn
and per session mean, beside the two coding passes' agreement with each other.

    rapport evaluate empathy [--out FILE]
    python benchmarks/empathy_eval.py     # adds the nested cross-validation and speed

Views, never mixed: the **frozen evaluation split** (19 double-coded transcripts no
training step reads, ``data/realtalk/FROZEN.md``) scored with the shipped model; the
**out-of-fold** figures recorded in the model file (``c`` chosen on the same folds); and
**nested cross-validation** over the 86 training transcripts (outer folds by video; ``c``
chosen inside each outer training part), the honest estimate of the whole procedure.

The model is compared with the adjudicated gold (the mean of passes A and B) and, to set
it beside the passes' agreement on equal terms (one rater against one rater), with each
pass alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rapport.coding.empathy.data import GOLD_FILE, RatedSession, rated_sessions, split
from rapport.coding.empathy.persist import MODEL_NAMES, load_model, model_name
from rapport.coding.empathy.scoring import (
    COLUMNS,
    Paired,
    RatingTable,
    bootstrap_sum,
    correlations,
    epitome_measures,
    pair,
)
from rapport.coding.empathy.training import (
    FOLDS,
    Probabilities,
    confidence_calibration,
    folds_of,
    format_summary,
    gold_table,
    predict,
    predicted_table,
    train,
)
from rapport.errors import RapportInputError

#: EPITOME's own figures (Sharma, Miner, Atkins & Althoff 2020, EMNLP: their RoBERTa
#: bi-encoder identifying the 0/1/2 level of Reddit responses, as the paper reports them):
#: accuracy and macro-F1, in percent.
EPITOME_PUBLISHED = {"er": (79.43, 74.46), "ip": (84.04, 62.60), "ex": (92.61, 72.58)}


def pass_table(sessions: Sequence[RatedSession], which: int) -> RatingTable:
    """One coding pass (0: A, 1: B) of the transcripts that have it."""
    return {s.key: s.passes[which] for s in sessions if len(s.passes) > which}


@dataclass(frozen=True)
class Comparison:
    """One row pair of the results table: who is compared with whom, and how."""

    label: str
    paired: Paired
    interval: bool = False


def format_comparisons(rows: Sequence[Comparison]) -> str:
    """Markdown: one line per comparison and level (turn, session mean)."""
    lines = [("| compared | transcripts | turns | level | ER | IP | EX | sum | sum, 95% "
             "interval (bootstrap by transcript) |"), "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        rho = correlations(row.paired)
        ci = bootstrap_sum(row.paired) if row.interval else None
        for level, name in (("turn", "turn"), ("session", "session mean")):
            cells = " | ".join(_num(rho[level][c]) for c in COLUMNS)
            band = (f"{ci[level][0]:.2f}–{ci[level][1]:.2f}" if ci else "")
            lines.append(f"| {row.label} | {row.paired.n_transcripts} | "
                         f"{row.paired.n_turns} | {name} | {cells} | {band} |")
    return "\n".join(lines)


def _num(x: float) -> str:
    return "—" if np.isnan(x) else f"{x:.3f}"


def comparisons(sessions: Sequence[RatedSession], probs: Probabilities
                ) -> list[Comparison]:
    """Model vs the adjudicated gold and vs each pass, and pass A vs pass B, on the
    double-coded transcripts; model vs pass A on the single-coded ones."""
    double = [s for s in sessions if s.double_coded]
    single = [s for s in sessions if not s.double_coded]
    values = predicted_table(sessions, probs)
    out = []
    if double:
        model = {s.key: values[s.key] for s in double}
        out += [Comparison("model vs adjudicated gold", pair(model, gold_table(double)),
                           interval=True),
                Comparison("model vs pass A", pair(model, pass_table(double, 0))),
                Comparison("model vs pass B", pair(model, pass_table(double, 1))),
                Comparison("pass A vs pass B (the raters' agreement)",
                           pair(pass_table(double, 0), pass_table(double, 1)),
                           interval=True)]
    if single:
        out.append(Comparison("model vs pass A (single-coded transcripts)",
                              pair({s.key: values[s.key] for s in single},
                                   pass_table(single, 0))))
    return out


def format_epitome(sessions: Sequence[RatedSession], probs: Probabilities) -> str:
    """EPITOME's measures of the model and of pass B, each against pass A."""
    double = [s for s in sessions if s.double_coded]
    values = predicted_table(sessions, probs)
    model = pair({s.key: values[s.key] for s in double}, pass_table(double, 0))
    raters = pair(pass_table(double, 1), pass_table(double, 0))
    ours = epitome_measures(model.turns_a[:, :3], model.turns_b[:, :3])
    theirs = epitome_measures(raters.turns_a[:, :3], raters.turns_b[:, :3])
    lines = [("| mechanism | model vs pass A: accuracy, macro-F1 | pass B vs pass A | "
             "EPITOME's model on Reddit (published) |"), "|---|---|---|---|"]
    for m in ("er", "ip", "ex"):
        acc, f1 = EPITOME_PUBLISHED[m]
        lines.append(f"| {m.upper()} | {ours[m]['accuracy']:.3f}, {ours[m]['macro_f1']:.3f} | "
                     f"{theirs[m]['accuracy']:.3f}, {theirs[m]['macro_f1']:.3f} | "
                     f"{acc / 100:.3f}, {f1 / 100:.3f} |")
    return "\n".join(lines)


def format_calibration(sessions: Sequence[RatedSession], probs: Probabilities) -> str:
    cal = confidence_calibration(sessions, probs)
    return "\n".join(
        f"confidence of the {name} (a rater gives its nearest whole number): mean "
        f"{c['confidence']:.2f}, observed {c['observed']:.2f}, ECE {c['ece']:.3f}"
        for name, c in cal.items())


def report(sessions: Sequence[RatedSession], probs: Probabilities) -> str:
    """The three tables of one view."""
    return "\n\n".join([format_comparisons(comparisons(sessions, probs)),
                        format_epitome(sessions, probs),
                        format_calibration(sessions, probs)])


def nested_cv(sessions: Sequence[RatedSession], *, folds: int = FOLDS,
              preset: str = "accurate"
              ) -> tuple[Probabilities, list[float]]:
    """Outer folds by video; ``c`` chosen by the inner folds of each outer training part.

    Returns every transcript's held-out probabilities and the ``c`` of each outer fold.
    """
    fold_of = folds_of([s.dialogue.group for s in sessions], folds, seed=1)
    out: Probabilities = {}
    chosen = []
    for f in range(folds):
        test = [s for s in sessions if fold_of[s.dialogue.group] == f]
        model, _ = train([s for s in sessions if fold_of[s.dialogue.group] != f],
                         preset=preset)
        chosen.append(model.c)
        out.update(predict(model, test))
    return out, chosen


def evaluate_cli(preset: str = "all", out: Path | None = None, *,
                 gold: Path = GOLD_FILE) -> str:
    """Markdown for the shipped model of ``preset`` (``all``: both, one after the other);
    the ``rapport evaluate empathy`` task."""
    if preset not in ("fast", "accurate", "all"):
        raise RapportInputError(f"unknown preset {preset!r}", fix="use fast, accurate or all")
    _, frozen = split(rated_sessions(gold))
    text = "\n\n".join(_evaluate_preset(name, frozen, gold)
                       for name in (MODEL_NAMES if preset == "all" else (preset,)))
    if out is not None:
        out.write_text(text + "\n", encoding="utf-8")
    return text


def _evaluate_preset(preset: str, frozen: Sequence[RatedSession], gold: Path) -> str:
    model = load_model(name=model_name(preset))
    return "\n".join([
        f"## preset `{preset}`", "",
        (f"Frozen evaluation split of `{gold.name}` ({len(frozen)} transcripts, never "
        "trained on), shipped model:"), "", report(frozen, predict(model, frozen)), "",
        "Out-of-fold figures on the training transcripts, from the model file:", "",
        format_summary(model.cv_metrics_)])
