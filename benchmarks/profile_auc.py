"""Does the relationship profile separate AnnoMI's high- and low-quality MI sessions?

For every AnnoMI transcript the profile is built from utterance codes, then a logistic
regression on the profile's metrics predicts ``mi_quality`` (high/low) with 5-fold
cross-validation grouped by ``video_url`` (repeated over seeds), and the pooled
out-of-fold ROC AUC is printed. Where the codes come from (``--codes``):

- ``tfidf`` (the model figure): a small TF-IDF + linear SVM coder per family,
  **nested** inside the outer folds: codes of a test transcript come from a coder trained
  on the other folds only, and the codes of training transcripts from inner folds that
  also exclude the test fold, so no transcript's labels leak into its own codes.
- ``oof``: ``rapport.coding.utterance.evaluation.out_of_fold_predictions("fast")`` (the
  project's utterance coder, cross-validated by video).
- ``human``: AnnoMI's human labels: an upper bound, not a model figure.

Run: ``.venv/bin/python benchmarks/profile_auc.py --codes tfidf --codes human``
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

from rapport.domain import Code, CodedSession, Session, TurnCodes
from rapport.profile.profile import build_profile
from rapport.profile.section import ProfileSection

DATA = Path(__file__).resolve().parents[1] / "data" / "annomi"
FAMILIES = {"therapist_behaviour": "therapist", "question_type": "therapist",
            "reflection_type": "therapist", "input_type": "therapist",
            "client_talk": "client"}
PARENT = {"question_type": "question", "reflection_type": "reflection", "input_type": "input"}
MAIN = {"question": "question", "reflection": "reflection", "therapist_input": "input",
        "other": "other"}
#: Chosen before looking at results beyond one run: the MITI summary scores (R:Q on a log
#: scale, %CR, %OQ) plus empathy, follow-up, change talk, autonomy and talk-time share.
#: ``empathy`` (issue 23) needs the empathy coder's ratings, which these label-built
#: sessions do not have: the column is empty and adds nothing (the figures in
#: docs/metrics.md were measured with the retired ``empathy_estimate`` in its place).
FEATURES = ("reflection_to_question", "complex_reflection_share", "open_question_share",
            "empathy", "follow_up_rate", "change_talk_share", "autonomy_support",
            "therapist_word_share")


def load(data: Path = DATA) -> pd.DataFrame:
    """One row per utterance with human labels per family (first annotator for subtypes)."""
    simple = pd.read_csv(data / "AnnoMI-simple.csv").sort_values(
        ["transcript_id", "utterance_id"], kind="stable")
    full = pd.read_csv(data / "AnnoMI-full.csv")
    full = full.assign(main=full["main_therapist_behaviour"].map(MAIN))
    sub_cols = {"question_type": "question_subtype", "reflection_type": "reflection_subtype",
                "input_type": "therapist_input_subtype"}
    out = simple.rename(columns={"utterance_text": "text", "interlocutor": "role"})
    out["therapist_behaviour"] = out["main_therapist_behaviour"].map(MAIN)
    out["client_talk"] = out["client_talk_type"].where(out["role"] == "client")
    for fam, col in sub_cols.items():
        rows = full[(full["main"] == PARENT[fam]) & full[col].notna()].drop_duplicates(
            ["transcript_id", "utterance_id"])
        labels = rows.set_index(["transcript_id", "utterance_id"])[col]
        keys = pd.MultiIndex.from_frame(out[["transcript_id", "utterance_id"]])
        out[fam] = labels.reindex(keys).to_numpy()
        out.loc[out["therapist_behaviour"] != PARENT[fam], fam] = None
    out["text"] = out["text"].fillna("").astype(str)
    return out.reset_index(drop=True)


def coder_predictions(train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    """Codes for ``test`` from a TF-IDF + linear SVM coder trained on ``train`` only."""
    pred = pd.DataFrame(index=test.index, columns=list(FAMILIES), dtype=object)
    for fam, role in FAMILIES.items():
        rows = train[(train["role"] == role) & train[fam].notna()]
        target = test["role"] == role
        if fam in PARENT:
            target &= pred["therapist_behaviour"] == PARENT[fam]
        if not target.any() or rows[fam].nunique() < 2:
            continue
        model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LinearSVC(C=0.5, class_weight="balanced"))
        model.fit(rows["text"], rows[fam])
        pred.loc[target, fam] = model.predict(test.loc[target, "text"])
    return pred


def sessions_with_codes(frame: pd.DataFrame, codes: pd.DataFrame) -> dict[int, CodedSession]:
    out = {}
    for tid, rows in frame.groupby("transcript_id", sort=True):
        session = Session.build(f"annomi-{tid}", [(r, r, t) for r, t in
                                                  zip(rows["role"], rows["text"], strict=True)])
        turn_codes = []
        for i, idx in enumerate(rows.index):
            made = tuple(Code(name=fam, value=str(codes.at[idx, fam]), confidence=1.0)
                         for fam in FAMILIES if isinstance(codes.at[idx, fam], str))
            turn_codes.append(TurnCodes(session_id=session.id, turn_index=i, codes=made))
        out[int(tid)] = CodedSession(session=session, codes=tuple(turn_codes))
    return out


def features(coded: dict[int, CodedSession]) -> pd.DataFrame:
    section = ProfileSection()
    rows = {}
    for tid, cs in coded.items():
        profile = build_profile(cs)
        flat = section.metrics(profile)
        row = {k: flat.get(f"profile.{k}") for k in FEATURES}
        rq = row["reflection_to_question"]
        row["reflection_to_question"] = None if rq is None else math.log1p(rq)
        rows[tid] = row
    return pd.DataFrame.from_dict(rows, orient="index", dtype=float)


def classify(x: pd.DataFrame, y: np.ndarray, groups: np.ndarray, seed: int,
             fold_features: Callable[[np.ndarray, np.ndarray], pd.DataFrame] | None = None
             ) -> float:
    """Pooled out-of-fold AUC of a logistic regression on the profile metrics."""
    scores = np.zeros(len(y))
    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed)
    for train, test in cv.split(np.zeros(len(y)), y, groups):
        feats = x if fold_features is None else fold_features(train, test)
        med = feats.iloc[train].median()
        filled = feats.fillna(med).fillna(0.0)
        model = make_pipeline(StandardScaler(), LogisticRegression(
            C=0.3, class_weight="balanced", max_iter=1000))
        model.fit(filled.iloc[train], y[train])
        scores[test] = model.predict_proba(filled.iloc[test])[:, 1]
    return float(roc_auc_score(y, scores))


def nested_tfidf(frame: pd.DataFrame, tids: np.ndarray, y: np.ndarray, groups: np.ndarray,
                 seed: int) -> Callable[[np.ndarray, np.ndarray], pd.DataFrame]:
    """Nested out-of-fold codes, reusing the outer folds as inner folds.

    For outer test fold k, a test transcript's codes come from a coder trained on every
    fold but k; a training transcript in fold j gets codes from a coder trained on every
    fold but j and k. No transcript's codes ever come from a model that saw it, and the
    session classifier's training codes never came from a model that saw the test fold.
    """
    cv = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=seed)
    fold_of = np.zeros(len(tids), dtype=int)
    for k, (_, test) in enumerate(cv.split(np.zeros(len(y)), y, groups)):
        fold_of[test] = k
    by_tid = dict(zip(tids, fold_of, strict=True))
    row_fold = frame["transcript_id"].map(by_tid).to_numpy()
    cache: dict[frozenset[int], pd.DataFrame] = {}

    def codes_excluding(excluded: frozenset[int], target_fold: int) -> pd.DataFrame:
        if excluded not in cache:
            train = frame[~np.isin(row_fold, list(excluded))]
            cache[excluded] = coder_predictions(train, frame[np.isin(row_fold, list(excluded))])
        part = cache[excluded]
        return part[row_fold[frame.index.get_indexer(part.index)] == target_fold]

    def fold_features(_train: np.ndarray, test: np.ndarray) -> pd.DataFrame:
        (k,) = set(fold_of[test])
        parts = [codes_excluding(frozenset({k}), k)]
        parts += [codes_excluding(frozenset({j, k}), j) for j in range(5) if j != k]
        merged = pd.concat(parts).reindex(frame.index)
        return features(sessions_with_codes(frame, merged)).reindex(tids)

    return fold_features


def project_oof_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """The project coder's out-of-fold codes (``rapport.coding.utterance.evaluation``),
    aligned with ``frame``: every utterance coded by a model that never saw its video."""
    from rapport.coding.utterance.evaluation import out_of_fold_predictions

    oof = out_of_fold_predictions("fast").set_index(["transcript_id", "utterance_id"])
    keys = pd.MultiIndex.from_frame(frame[["transcript_id", "utterance_id"]])
    return oof.reindex(keys)[list(FAMILIES)].set_axis(frame.index)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", action="append", choices=("tfidf", "oof", "human"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    frame = load(args.data)
    meta = frame.groupby("transcript_id").agg(q=("mi_quality", "first"),
                                              video=("video_url", "first"))
    tids = meta.index.to_numpy()
    y = (meta["q"] == "high").to_numpy().astype(int)
    groups = meta["video"].to_numpy()
    print(f"AnnoMI: {len(tids)} transcripts ({y.sum()} high, {len(y) - y.sum()} low), "
          f"{len(set(groups))} videos; 5-fold CV grouped by video, {args.seeds} seeds")
    print(f"{'codes':<8} {'AUC mean':>9} {'min':>6} {'max':>6} {'seconds':>8}  note")
    for mode in args.codes or ["tfidf", "human"]:
        start = time.perf_counter()
        aucs = []
        for seed in range(args.seeds):
            if mode == "human":
                if seed == 0:
                    x = features(sessions_with_codes(frame, frame[list(FAMILIES)]))
                aucs.append(classify(x.reindex(tids), y, groups, seed))
            elif mode == "tfidf":
                aucs.append(classify(pd.DataFrame(), y, groups, seed,
                                     nested_tfidf(frame, tids, y, groups, seed)))
            else:
                if seed == 0:
                    x = features(sessions_with_codes(frame, project_oof_codes(frame)))
                aucs.append(classify(x.reindex(tids), y, groups, seed))
        if aucs:
            note = {"human": "human labels: upper bound, not a model figure",
                    "tfidf": "nested out-of-fold TF-IDF coder", "oof": "project coder, OOF"}
            print(f"{mode:<8} {np.mean(aucs):>9.3f} {min(aucs):>6.3f} {max(aucs):>6.3f} "
                  f"{time.perf_counter() - start:>8.1f}  {note[mode]}")
            assert not math.isnan(np.mean(aucs))


if __name__ == "__main__":
    main()
