"""The fine-tuned real-talk context encoder against the relationship coder, held out.

    .venv/bin/python benchmarks/realtalk_context_eval.py [--run training/runs/realtalk-context]

Reads the out-of-fold probabilities ``training/finetune_realtalk.py`` wrote (every
development turn predicted by a network that never saw its video; the relationship coder's
own outer folds) and scores them beside the relationship coder's nested cross-validation
on the same folds (``--preset``, default ``fast``, the one reports use; ``accurate`` takes
about 40 minutes). Every choice for a held-out fold is made on the other folds' rows only:
each code's Platt calibration, its F1-best threshold, and its feedback threshold (issue
22's rule, :func:`~rapport.coding.relationship.threshold.feedback_threshold`: precision
≥ 0.70 at a 90% lower bound, holding with any one other fold left out).

Prints, per code: support, average precision (threshold-free), F1 at the threshold, ECE,
and the feedback bar's held-out precision; then macro-F1 over the codes with ≥ 10
positives and the rupture-episode figures at each coder's feedback thresholds; then the
relationship coder under the encoder's threshold rule, and the mean of the two coders'
held-out probabilities (calibrated and thresholded the same way). When the
run has ``frozen.npz`` (``--final``), also the final model on the frozen evaluation split,
calibrated and thresholded on the development out-of-fold rows, beside the shipped
relationship model of the preset. Writes ``comparison-<variant>-<preset>.json`` into the
run folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

from finetune_realtalk import dialogue_rows, fold_of_rows  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402

from rapport.coding.agreement import expected_calibration_error  # noqa: E402
from rapport.coding.relationship.codes import ALL_CODES  # noqa: E402
from rapport.coding.relationship.evaluation import (  # noqa: E402
    Scored,
    code_metrics,
    episode_metrics,
    nested_cv,
)
from rapport.coding.relationship.model import CODE_INDEX, prf  # noqa: E402
from rapport.coding.relationship.threshold import (  # noqa: E402
    FEEDBACK_MIN_SUPPORT,
    feedback_threshold,
)
from rapport.coding.relationship.training import (  # noqa: E402
    gold_dialogues,
    macro_f1,
    written_dialogues,
)

_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-6, 1 - 1e-6)
    out: np.ndarray = np.log(q / (1 - q))
    return out


def platt(p_fit: np.ndarray, y_fit: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Platt scaling fitted on (``p_fit``, ``y_fit``), applied to ``p`` (unchanged when
    there is nothing to fit on: a two-fold test run)."""
    if len(y_fit) == 0:
        return p
    if y_fit.min() == y_fit.max():
        return np.full(len(p), float(y_fit.mean()))
    model = LogisticRegression(C=1e4, max_iter=1000).fit(logit(p_fit)[:, None], y_fit)
    out: np.ndarray = model.predict_proba(logit(p)[:, None])[:, 1]
    return out


def f1_best(y: np.ndarray, p: np.ndarray) -> float:
    scores = [prf(y, p >= t)["f1"] for t in _GRID]
    return float(_GRID[int(np.argmax(scores))])


def cross_calibrated(p: np.ndarray, y: np.ndarray, fo: np.ndarray) -> np.ndarray:
    """Each fold's rows calibrated on the other folds' rows only."""
    out = np.zeros(len(y))
    for f in np.unique(fo):
        out[fo == f] = platt(p[fo != f], y[fo != f], p[fo == f])
    return out


def code_figures(y: np.ndarray, ranking: np.ndarray, cal: np.ndarray, hit: np.ndarray,
                 fb_hit: np.ndarray) -> dict[str, float]:
    """One code's P/R/F1 at its threshold, AP of ``ranking``, ECE of ``cal`` and the
    feedback bar's turns, precision and recall."""
    m = prf(y, hit)
    m["average_precision"] = float(average_precision_score(y, ranking)) if y.any() else 0.0
    m["ece"] = expected_calibration_error(cal.tolist(), y.tolist())
    at = prf(y, fb_hit)
    m.update(feedback_turns=float(fb_hit.sum()), feedback_precision=at["precision"],
             feedback_recall=at["recall"])
    return m


def load_oof(run: Path, folds: int, n: int, variant: str) -> np.ndarray:
    out = np.full((n, len(ALL_CODES)), np.nan)
    for k in range(folds):
        got = np.load(run / f"fold{k}.npz")
        out[got["index"]] = got[variant]
    if np.isnan(out).any():
        msg = f"{run}: not every development turn has a held-out prediction (folds missing?)"
        raise SystemExit(msg)
    return out


def encoder_codes(rows: list[dict[str, Any]], fold: np.ndarray, raw: np.ndarray
                  ) -> tuple[dict[str, dict[str, float]], np.ndarray,
                             dict[int, dict[str, float | None]]]:
    """Per-code held-out metrics, calibrated held-out probabilities (rows x codes) and each
    fold's feedback thresholds, every choice for fold ``f`` made on the other folds."""
    labels = np.array([r["labels"] for r in rows], dtype=bool)
    mask = np.array([r["mask"] for r in rows], dtype=bool)
    calibrated = np.zeros_like(raw)
    feedback: dict[int, dict[str, float | None]] = {int(f): {} for f in np.unique(fold)}
    out: dict[str, dict[str, float]] = {}
    for c, code in enumerate(ALL_CODES):
        on = mask[:, c]
        y, p, fo = labels[on, c], raw[on, c], fold[on]
        cal, hit, fb_hit = np.zeros(len(y)), np.zeros(len(y), bool), np.zeros(len(y), bool)
        for f in np.unique(fo):
            fit, test = fo != f, fo == f
            # the feedback rule reads calibrated out-of-fold probabilities of the fitting
            # rows: calibrate each fitting fold from the remaining ones (nested)
            cal_fit = cross_calibrated(p[fit], y[fit], fo[fit])
            cal[test] = platt(p[fit], y[fit], p[test])
            hit[test] = cal[test] >= f1_best(y[fit], cal_fit)
            bar = feedback_threshold(y[fit], cal_fit, fo[fit])
            feedback[int(f)][code] = bar
            fb_hit[test] = bar is not None and cal[test] >= bar
        calibrated[on, c] = cal
        out[code] = code_figures(y, p, cal, hit, fb_hit)
    return out, calibrated, feedback


def as_scored(dialogues: list[Any], rows: list[dict[str, Any]], fold: np.ndarray,
              probs: np.ndarray, feedback: dict[int, dict[str, float | None]]) -> Scored:
    """The encoder's held-out probabilities in the shape the episode scorer reads."""
    per = [np.zeros((len(d.roles), len(ALL_CODES))) for d in dialogues]
    fold_of: dict[int, int] = {}
    for r, f, p in zip(rows, fold, probs, strict=True):
        per[r["dialogue"]][r["turn"], [CODE_INDEX[c] for c in ALL_CODES]] = p
        fold_of[r["dialogue"]] = int(f)
    return Scored(list(dialogues), per, [dict.fromkeys(ALL_CODES, 0.5)] * len(per),
                  [feedback[fold_of[n]] for n in range(len(per))])


def frozen_codes(rows: list[dict[str, Any]], fold: np.ndarray, raw: np.ndarray,
                 ev_rows: list[dict[str, Any]], ev_raw: np.ndarray
                 ) -> tuple[dict[str, dict[str, float]], np.ndarray, dict[str, float | None]]:
    """The final model on the frozen split: calibration, F1-best and feedback thresholds
    fitted on the development out-of-fold rows only."""
    labels = np.array([r["labels"] for r in rows], dtype=bool)
    mask = np.array([r["mask"] for r in rows], dtype=bool)
    ev_labels = np.array([r["labels"] for r in ev_rows], dtype=bool)
    ev_mask = np.array([r["mask"] for r in ev_rows], dtype=bool)
    calibrated = np.zeros_like(ev_raw)
    feedback: dict[str, float | None] = {}
    out: dict[str, dict[str, float]] = {}
    for c, code in enumerate(ALL_CODES):
        on, ev_on = mask[:, c], ev_mask[:, c]
        y, p, fo = labels[on, c], raw[on, c], fold[on]
        cal_dev = cross_calibrated(p, y, fo)
        ey = ev_labels[ev_on, c]
        cal = platt(p, y, ev_raw[ev_on, c])
        calibrated[ev_on, c] = cal
        bar = feedback_threshold(y, cal_dev, fo)
        feedback[code] = bar
        fb_hit = cal >= bar if bar is not None else np.zeros(len(ey), bool)
        out[code] = code_figures(ey, cal, cal, cal >= f1_best(y, cal_dev), fb_hit)
    return out, calibrated, feedback


def per_row(scored: Scored, dialogues: list[Any], rows: list[dict[str, Any]]) -> np.ndarray:
    """A scored coder's probabilities as rows x codes, in the encoder's row order."""
    at = {id(d): n for n, d in enumerate(dialogues)}
    probs = {at[id(d)]: p for d, p in zip(scored.dialogues, scored.probs, strict=True)}
    cols = [CODE_INDEX[c] for c in ALL_CODES]
    return np.array([probs[r["dialogue"]][r["turn"], cols] for r in rows])


def relationship_ap(scored: Scored) -> dict[str, float]:
    from rapport.coding.relationship.codes import role_of

    out = {}
    for code in ALL_CODES:
        y, p = [], []
        for d, probs in zip(scored.dialogues, scored.probs, strict=True):
            assert d.codes is not None
            for i, role in enumerate(d.roles):
                if role == role_of(code).value and d.codes[i] is not None:
                    y.append(code in (d.codes[i] or ()))
                    p.append(probs[i, CODE_INDEX[code]])
        out[code] = float(average_precision_score(y, p)) if any(y) else 0.0
    return out


def table(enc: dict[str, dict[str, float]], rel: dict[str, dict[str, float]],
          rel_ap: dict[str, float], preset: str) -> str:
    lines = [(f"| code | positives | AP encoder / {preset} | F1 encoder / {preset} | "
              "ECE encoder | feedback bar: turns, precision (encoder) |"),
             "|---|---|---|---|---|---|"]
    for code in ALL_CODES:
        e, r = enc[code], rel[code]
        fb = (f"{int(e['feedback_turns'])}, {e['feedback_precision']:.2f}"
              if e["feedback_turns"] else "none")
        lines.append(f"| {code} | {int(e['support'])} | {e['average_precision']:.2f} / "
                     f"{rel_ap[code]:.2f} | {e['f1']:.2f} / {r['f1']:.2f} | {e['ece']:.3f} "
                     f"| {fb} |")
    lines.append(f"| **macro-F1** (≥ {FEEDBACK_MIN_SUPPORT} positives) | | | "
                 f"**{macro_f1(enc):.3f}** / **{macro_f1(rel):.3f}** | | |")
    return "\n".join(lines)


def print_episodes(by_coder: dict[str, dict[str, float]]) -> None:
    for name, m in by_coder.items():
        print(f"\nrupture episodes, {name}: {int(m['gold'])} gold, {int(m['predicted'])} "
              f"predicted, precision {m['precision']:.2f}, recall {m['recall']:.2f}, "
              f"repaired agreement {m['repaired_agreement']:.2f} of {int(m['matched'])}")


def frozen_split(args: argparse.Namespace, rows: list[dict[str, Any]], fold: np.ndarray,
                 raw: np.ndarray, ev: list[Any], dev_calibrated: np.ndarray,
                 dev_relationship: np.ndarray) -> dict[str, Any]:
    """The final encoder and the shipped relationship model on the frozen split; the
    relationship model also under the encoder's rule, and the mean of the two, both fitted
    on the development out-of-fold rows (``dev_calibrated``: the encoder's, calibrated;
    ``dev_relationship``: the nested relationship coder's)."""
    from rapport.coding.relationship.persist import load_model, model_name

    ev_rows = dialogue_rows(ev)
    ev_raw = np.load(args.run / "frozen.npz")[args.variant]
    enc, calibrated, feedback = frozen_codes(rows, fold, raw, ev_rows, ev_raw)
    for r in ev_rows:
        r["group"] = "frozen"
    enc_episodes = episode_metrics(as_scored(ev, ev_rows, np.zeros(len(ev_rows), int),
                                             calibrated, {0: feedback}))
    model = load_model(name=model_name(args.preset))
    from rapport.coding.relationship.evaluation import score_with

    shipped = score_with(model, ev)
    rel, rel_ap = code_metrics(shipped), relationship_ap(shipped)
    print(f"\nfrozen evaluation split: {len(ev_rows)} turns; final encoder vs shipped "
          f"`{args.preset}`\n")
    print(table(enc, rel, rel_ap, args.preset))
    rel_episodes = episode_metrics(shipped)
    print_episodes({"encoder": enc_episodes, args.preset: rel_episodes})
    shipped_rows = per_row(shipped, ev, ev_rows)
    same_rule, _, _ = frozen_codes(rows, fold, dev_relationship, ev_rows, shipped_rows)
    both, _, _ = frozen_codes(rows, fold, (dev_calibrated + dev_relationship) / 2, ev_rows,
                              (calibrated + shipped_rows) / 2)
    print(f"\n`{args.preset}` under the encoder's threshold rule: macro-F1 "
          f"{macro_f1(same_rule):.3f}; mean of the two: macro-F1 {macro_f1(both):.3f}")
    return {"encoder": {"codes": enc, "macro_f1": macro_f1(enc), "episodes": enc_episodes},
            "relationship": {"codes": rel, "average_precision": rel_ap,
                             "macro_f1": macro_f1(rel), "episodes": rel_episodes},
            "relationship_same_rule": {"codes": same_rule, "macro_f1": macro_f1(same_rule)},
            "mean_of_both": {"codes": both, "macro_f1": macro_f1(both)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, default=ROOT / "training" / "runs" /
                        "realtalk-context")
    parser.add_argument("--variant", choices=("int8", "fp32"), default="int8")
    parser.add_argument("--preset", choices=("fast", "accurate"), default="fast")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--limit-dialogues", type=int, default=0,
                        help="as the training run's --limit-dialogues (a test run)")
    args = parser.parse_args()
    dev, ev = gold_dialogues()
    if args.limit_dialogues:
        dev, ev = dev[:args.limit_dialogues], ev[:max(1, args.limit_dialogues // 4)]
    rows = dialogue_rows(dev)
    fold = fold_of_rows(rows, args.folds)
    raw = load_oof(args.run, args.folds, len(rows), args.variant)
    enc, calibrated, feedback = encoder_codes(rows, fold, raw)
    enc_episodes = episode_metrics(as_scored(dev, rows, fold, calibrated, feedback))
    nested = nested_cv(dev, written_dialogues(), folds=args.folds, preset=args.preset)
    rel = code_metrics(nested)
    rel_ap = relationship_ap(nested)
    rel_episodes = episode_metrics(nested)
    print(f"{len(rows)} development turns, {args.folds} folds by video; encoder "
          f"{args.variant} vs relationship `{args.preset}` (nested)\n")
    print(table(enc, rel, rel_ap, args.preset))
    print_episodes({"encoder": enc_episodes, args.preset: rel_episodes})
    # the relationship coder under the encoder's rule (Platt, F1-best threshold, both
    # fitted on the other folds), so the F1 columns differ by model, not by rule
    rel_rows = per_row(nested, dev, rows)
    same_rule, _, _ = encoder_codes(rows, fold, rel_rows)
    print(f"\n`{args.preset}` under the encoder's threshold rule: macro-F1 "
          f"{macro_f1(same_rule):.3f}")
    # both coders' held-out probabilities averaged, then calibrated and thresholded as
    # the encoder's are (every choice for a fold on the other folds)
    mean = (calibrated + rel_rows) / 2
    both, both_cal, both_fb = encoder_codes(rows, fold, mean)
    both_episodes = episode_metrics(as_scored(dev, rows, fold, both_cal, both_fb))
    print(f"\nmean of the two: macro-F1 {macro_f1(both):.3f}; AP " + ", ".join(
        f"{c} {both[c]['average_precision']:.2f}" for c in ALL_CODES
        if both[c]["support"] >= FEEDBACK_MIN_SUPPORT))
    print_episodes({"mean of the two": both_episodes})
    result = {"variant": args.variant, "preset": args.preset, "rows": len(rows),
              "relationship_same_rule": {"codes": same_rule,
                                         "macro_f1": macro_f1(same_rule)},
              "mean_of_both": {"codes": both, "macro_f1": macro_f1(both),
                               "episodes": both_episodes},
              "encoder": {"codes": enc, "macro_f1": macro_f1(enc), "episodes": enc_episodes},
              "relationship": {"codes": rel, "average_precision": rel_ap,
                               "macro_f1": macro_f1(rel), "episodes": rel_episodes}}
    if (args.run / "frozen.npz").exists():
        result["frozen"] = frozen_split(args, rows, fold, raw, ev, calibrated, rel_rows)
    path = args.run / f"comparison-{args.variant}-{args.preset}.json"
    path.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    print(f"\n{path}")


if __name__ == "__main__":
    main()
