"""The MITI summary on real talk: counts and ratios against people, global estimates fitted.

Codes are out-of-fold for every transcript (``benchmarks/realtalk_oof.py``). Printed:

- **R:Q and %CR** of the utterance coder's codes against AnnoMI's human labels (Spearman
  over transcripts);
- **MI-adherent / non-adherent totals** of the relationship coder against the real-talk
  gold's counts (project-coded, ``data/realtalk/``);
- **the four globals and the Technical / Relational summaries**: a ridge regression per
  global from :data:`rapport.profile.miti.FEATURES`, ``alpha`` chosen by inner grouped CV;
  nested 5-fold CV by video on the development transcripts, then one fit on all of them
  scored once on the frozen split; beside the agreement of the two independent passes.

``--write`` stores the fit on all development transcripts in
``rapport/profile/miti_globals.json`` (deterministic; the shipped file is this output).

Run: ``.venv/bin/python benchmarks/miti_eval.py [--write]``
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from realtalk_oof import CACHE, coded_session, load_or_make
from scipy.stats import spearmanr
from sklearn.model_selection import GroupKFold

from rapport.coding.relationship.realtalk import GoldSession, evaluation_sessions, load_gold
from rapport.domain import Code, CodedSession, Session, TurnCodes
from rapport.profile.miti import ADHERENT, FEATURES, GLOBALS, MODEL_FILE, NON_ADHERENT, miti_summary
from rapport.profile.miti import features as session_features
from rapport.profile.view import SessionView

ALPHAS = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
SUMMARIES = {"technical": ("cultivating_change_talk", "softening_sustain_talk"),
             "relational": ("partnership", "empathy")}


def fit(x: np.ndarray, y: np.ndarray, alpha: float) -> dict[str, Any]:
    """Ridge on standardised features; the weights as plain numbers."""
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    coef = np.linalg.solve(z.T @ z + alpha * np.eye(z.shape[1]), z.T @ (y - y.mean()))
    return {"alpha": alpha, "intercept": float(y.mean()), "coef": coef.tolist(),
            "mean": mean.tolist(), "scale": scale.tolist()}


def predict(w: dict[str, Any], x: np.ndarray) -> np.ndarray:
    z = (x - np.array(w["mean"])) / np.array(w["scale"])
    return np.clip(w["intercept"] + z @ np.array(w["coef"]), 1.0, 5.0)


def choose_alpha(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """The ``alpha`` with the lowest grouped-CV squared error, inside the given rows only."""
    folds = list(GroupKFold(n_splits=5).split(x, y, groups))
    errors = {a: sum(float(np.sum((predict(fit(x[tr], y[tr], a), x[te]) - y[te]) ** 2))
                     for tr, te in folds) for a in ALPHAS}
    return min(ALPHAS, key=lambda a: (errors[a], a))


def fit_chosen(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> dict[str, Any]:
    return fit(x, y, choose_alpha(x, y, groups))


def rho(a: Sequence[float], b: Sequence[float]) -> float:
    return float(spearmanr(a, b).statistic)


def human_session(s: GoldSession, annomi: Any) -> CodedSession:
    """The transcript with AnnoMI's human utterance labels (for R:Q and %CR)."""
    tid = int(s.session.split("-")[1])
    rows = annomi[annomi["transcript_id"] == tid].sort_values("utterance_id")
    session = Session.build(s.session, [(t.speaker, "therapist" if t.speaker == "T"
                                         else "client", t.text) for t in s.turns])
    turns = []
    for i, r in enumerate(rows.itertuples()):
        codes = []
        if r.therapist_behaviour and isinstance(r.therapist_behaviour, str):
            codes.append(Code(name="therapist_behaviour", value=r.therapist_behaviour,
                              confidence=1.0))
        if isinstance(r.reflection_type, str):
            codes.append(Code(name="reflection_type", value=r.reflection_type, confidence=1.0))
        turns.append(TurnCodes(session_id=session.id, turn_index=i, codes=tuple(codes)))
    return CodedSession(session=session, codes=tuple(turns))


def gold_counts(s: GoldSession) -> tuple[int, int]:
    return (sum(len(t.codes & set(ADHERENT)) for t in s.turns),
            sum(len(t.codes & set(NON_ADHERENT)) for t in s.turns))


def pass_agreement() -> dict[str, float]:
    """Spearman of pass A with pass B on the double-coded transcripts, per global."""
    a, b = load_gold(passes=("A",)), load_gold(passes=("B",))
    both = sorted(set(a) & set(b) & {k for k in b if b[k].globals})
    out = {k: rho([a[s].globals[k] for s in both], [b[s].globals[k] for s in both])
           for k in GLOBALS}
    for name, parts in SUMMARIES.items():
        out[name] = rho([sum(a[s].globals[p] for p in parts) for s in both],
                        [sum(b[s].globals[p] for p in parts) for s in both])
    out["n"] = len(both)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    from profile_auc import load as load_annomi

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument("--write", action="store_true",
                        help=f"write the fit on all development transcripts to {MODEL_FILE}")
    args = parser.parse_args(argv)
    from rapport.risk.coder import load_coder as load_risk

    gold = load_gold()
    utter, rel = load_or_make(args.cache, gold)
    risk = load_risk("fast")
    annomi = load_annomi()
    held = evaluation_sessions()
    keys = sorted(k for k in gold if gold[k].globals)
    x, groups, part, counts = [], [], [], []
    ratios: dict[str, list[tuple[float | None, float | None]]] = {"rq": [], "cr": []}
    for k in keys:
        view = SessionView(coded_session(gold[k], utter, rel[k], risk))
        feats = session_features(view)
        assert feats is not None
        x.append([feats[f] for f in FEATURES])
        groups.append(gold[k].video)
        part.append("frozen" if k in held else "dev")
        ours = miti_summary(view, estimate=False)
        human = miti_summary(SessionView(human_session(gold[k], annomi)), estimate=False)
        assert ours is not None and human is not None
        ratios["rq"].append((ours.reflection_to_question, human.reflection_to_question))
        ratios["cr"].append((ours.complex_reflection_share, human.complex_reflection_share))
        counts.append(((ours.adherent or 0, ours.non_adherent or 0), gold_counts(gold[k])))
    xa, ga, pa = np.array(x), np.array(groups), np.array(part)
    dev, frozen = pa == "dev", pa == "frozen"
    ys = {g: np.array([gold[k].globals[g] for k in keys]) for g in GLOBALS}

    oof = {g: np.zeros(int(dev.sum())) for g in GLOBALS}
    for tr, te in GroupKFold(n_splits=5).split(xa[dev], groups=ga[dev]):
        for g in GLOBALS:
            w = fit_chosen(xa[dev][tr], ys[g][dev][tr], ga[dev][tr])
            oof[g][te] = predict(w, xa[dev][te])
    shipped = {g: fit_chosen(xa[dev], ys[g][dev], ga[dev]) for g in GLOBALS}
    held_pred = {g: predict(shipped[g], xa[frozen]) for g in GLOBALS}
    for name, parts in SUMMARIES.items():
        oof[name] = (oof[parts[0]] + oof[parts[1]]) / 2
        held_pred[name] = (held_pred[parts[0]] + held_pred[parts[1]]) / 2
        ys[name] = (ys[parts[0]] + ys[parts[1]]) / 2
    humans = pass_agreement()

    print(f"{len(keys)} transcripts with gold globals: {int(dev.sum())} development "
          f"(nested CV by video), {int(frozen.sum())} frozen split (scored once)\n")
    print("| estimate | Spearman, nested CV | Spearman, frozen split | pass A vs B "
          f"({int(humans['n'])} double-coded) |")
    print("|---|---:|---:|---:|")
    agreement = {}
    for g in [*GLOBALS, *SUMMARIES]:
        cv, fz = rho(oof[g], ys[g][dev]), rho(held_pred[g], ys[g][frozen])
        agreement[g] = {"spearman_cv": round(cv, 3), "spearman_frozen": round(fz, 3),
                        "spearman": round(min(cv, fz), 3)}
        print(f"| {g} | {cv:.2f} | {fz:.2f} | {humans[g]:.2f} |")

    print("\n| summary count | against | Spearman, development | Spearman, frozen split |")
    print("|---|---|---:|---:|")
    for label, idx in (("MI-adherent total", 0), ("MI-non-adherent total", 1)):
        ours = np.array([c[0][idx] for c in counts])
        theirs = np.array([c[1][idx] for c in counts])
        print(f"| {label} | real-talk gold counts | {rho(ours[dev], theirs[dev]):.2f} | "
              f"{rho(ours[frozen], theirs[frozen]):.2f} |")
    for label, key in (("reflection-to-question", "rq"), ("% complex reflections", "cr")):
        pairs = np.array([(a, b) if a is not None and b is not None else (np.nan, np.nan)
                          for a, b in ratios[key]], dtype=float)
        ok = ~np.isnan(pairs).any(axis=1)
        print(f"| {label} | AnnoMI human labels | {rho(*pairs[ok & dev].T):.2f} | "
              f"{rho(*pairs[ok & frozen].T):.2f} |")

    if args.write:
        model = {
            "features": list(FEATURES),
            "globals": {g: shipped[g] for g in GLOBALS},
            "agreement": {g: agreement[g] for g in [*GLOBALS, *SUMMARIES]},
            "training": {"transcripts": int(dev.sum()), "data": "data/realtalk/gold.jsonl "
                         "development split; features from out-of-fold codes",
                         "command": "python benchmarks/miti_eval.py --write"},
            "note": ("estimates from the session's codes, not a coder's rating: on transcripts "
                     "the estimator never saw they agreed with project-coded ratings at "
                     "Spearman " + ", ".join(f"{GLOBALS[g].lower()} {agreement[g]['spearman']:.2f}"
                                              for g in GLOBALS)
                     + " (the lower of nested CV and the frozen split)")}
        MODEL_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
