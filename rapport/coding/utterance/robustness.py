"""The shipped utterance coders on talk unlike AnnoMI's (issue 21, "robustness").

AnnoMI is demonstration video: actors, clear speech, US and UK English, mostly alcohol,
smoking and diet. The robustness set (``data/robustness/``) is project-written talk in
other styles: text-chat peer support, speech-recogniser output without punctuation,
British, Indian and Australian English, grief counselling, structured CBT, a hurried
clinic with a client whose first language is not English. Its labels are project-coded:
two independent passes with the frozen codebook, then an adjudication; the text is
project-written, so these figures say where the coders break, not how they do on real
sessions. The shipped models never saw any of it.

Scoring follows the grouped cross-validation (:mod:`.evaluation`): main families on every
turn of their role, sub-families on the turns whose *gold* parent matches, each head's
own decision (the compiled coder that ships, not the fitted estimator).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rapport.coding.agreement import cohen_kappa
from rapport.coding.utterance.evaluation import family_metrics, head_decisions
from rapport.coding.utterance.families import FAMILIES
from rapport.coding.utterance.punctuation import is_unpunctuated
from rapport.errors import RapportInputError

if TYPE_CHECKING:
    import pandas as pd

ROBUSTNESS_DIR = Path(__file__).resolve().parents[3] / "data" / "robustness"
FAMILY_COLUMNS = tuple(f.name for f in FAMILIES)
KEYS = ["session_id", "turn_index"]


def load_sessions(data_dir: Path = ROBUSTNESS_DIR) -> pd.DataFrame:
    """The transcripts, one row per turn: ``session_id, turn_index, style, role, text``."""
    import pandas as pd

    raw = pd.read_csv(data_dir / "sessions.csv", dtype=str, keep_default_na=False)
    raw["turn_index"] = raw.groupby("transcript_id", sort=False).cumcount()
    return pd.DataFrame({"session_id": raw["transcript_id"], "turn_index": raw["turn_index"],
                         "style": raw["style"], "role": raw["interlocutor"],
                         "text": raw["utterance_text"]})


def load_coding(path: Path, sessions: pd.DataFrame) -> pd.DataFrame:
    """One coding of the set (a pass or the gold), aligned row for row with ``sessions``;
    ``None`` where a family does not apply. Refuses a coding that misses or adds turns, or
    uses a label the codebook does not have."""
    import pandas as pd

    coding = pd.read_csv(path, dtype={"session_id": str}, keep_default_na=False)
    absent = [c for c in (*KEYS, *FAMILY_COLUMNS) if c not in coding.columns]
    if absent:
        raise RapportInputError(f"{path.name} has no column(s) {absent}", where=str(path),
                                fix="use the header of data/robustness/codebook.md, 'Output'")
    merged = sessions[KEYS].merge(coding, on=KEYS, how="left", indicator=True)
    missing = merged[merged["_merge"] != "both"]
    if len(missing) or len(coding) != len(sessions):
        raise RapportInputError(
            f"{path.name} codes {len(coding)} turns, the transcripts have {len(sessions)}",
            where=str(path), fix="code every turn once (session_id, turn_index)")
    out = merged[KEYS].copy()
    for fam in FAMILIES:
        values = merged[fam.name].astype(str).str.strip()
        bad = sorted(set(values) - {*fam.labels, ""})
        if bad:
            raise RapportInputError(f"{path.name}: unknown {fam.name} label(s) {bad}",
                                    where=str(path), fix=f"use one of {list(fam.labels)}")
        out[fam.name] = values.where(values != "", None)
    return out


def predict(preset: str, sessions: pd.DataFrame) -> pd.DataFrame:
    """Each head's own label and confidence on every turn (``<family>``,
    ``<family>_confidence``), from the shipped compiled coder of ``preset`` (its
    punctuation-free companion for a session without punctuation)."""
    import pandas as pd

    from rapport.coding.utterance import load_coder

    coder = load_coder(preset)
    parts = []
    # session by session, as `rapport code` does: an unpunctuated one goes to the companion
    for _, turns in sessions.groupby("session_id", sort=False):
        used, texts = coder.route(turns["text"].tolist())
        probs = used.predict_proba_arrays(np.zeros(len(turns), dtype=np.int64),
                                          turns["role"].to_numpy(dtype=object), texts)
        parts.append(pd.concat(head_decisions(used.heads, probs, index=turns.index).values(),
                               axis=1))
    return pd.concat(parts).loc[sessions.index]


def score_present(gold: pd.DataFrame, direct: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Metrics per family (:func:`.evaluation.family_metrics`) over the labels that occur in
    the gold or the predictions of these turns: a style without sustain talk is not
    scored 0 on a class it never had (on AnnoMI every label occurs, so the figures are
    the grouped cross-validation's)."""
    out = {}
    for fam in FAMILIES:
        rows = gold[fam.name].notna().to_numpy()
        if not rows.any():
            continue
        truth = gold.loc[rows, fam.name].tolist()
        predicted = direct.loc[rows, fam.name].tolist()
        labels = tuple(label for label in fam.labels if label in {*truth, *predicted})
        out[fam.name] = family_metrics(
            truth, predicted, direct.loc[rows, f"{fam.name}_confidence"].astype(float).tolist(),
            labels)
    return out


def scores_by_style(gold: pd.DataFrame, direct: pd.DataFrame, styles: pd.Series
                    ) -> dict[str, dict[str, dict[str, Any]]]:
    """:func:`score_present` over all turns (``"all"``) and per style."""
    out = {"all": score_present(gold, direct)}
    for style in sorted(styles.unique()):
        rows = (styles == style).to_numpy()
        out[style] = score_present(gold[rows], direct[rows])
    return out


def pass_agreement(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Cohen's kappa of the two passes per family, on the turns both coded for it."""
    out = {}
    for name in FAMILY_COLUMNS:
        both = a[name].notna() & b[name].notna()
        out[name] = {"n": int(both.sum()),
                     "kappa": round(cohen_kappa(a.loc[both, name].tolist(),
                                                b.loc[both, name].tolist()), 3)}
    return out


def evaluate_robustness(presets: tuple[str, ...], data_dir: Path = ROBUSTNESS_DIR
                        ) -> dict[str, Any]:
    """The passes' agreement and each preset's scores (:func:`scores_by_style`) against
    the gold."""
    sessions = load_sessions(data_dir)
    gold = load_coding(data_dir / "gold.csv", sessions)
    agreement = pass_agreement(load_coding(data_dir / "passes" / "A.csv", sessions),
                               load_coding(data_dir / "passes" / "B.csv", sessions))
    bare = [str(sid) for sid, turns in sessions.groupby("session_id", sort=True)
            if is_unpunctuated(turns["text"].tolist())]
    return {"transcripts": int(sessions["session_id"].nunique()), "turns": len(sessions),
            "agreement": agreement, "unpunctuated": bare,
            "results": {p: scores_by_style(gold, predict(p, sessions), sessions["style"])
                        for p in presets}}


def _cell(m: dict[str, Any] | None) -> str:
    return f"{m['macro_f1']:.3f} / {m['kappa']:.3f}" if m else "-"


MAIN = ("therapist_behaviour", "client_talk")


def render(robustness: dict[str, Any], cv: dict[str, dict[str, Any]]) -> str:
    """Markdown: each family over the whole set beside the passes' agreement and the
    grouped CV on AnnoMI (``cv``: preset -> family metrics); each style's macro-F1 for the
    main families; per-class F1 by style for the last preset."""
    results = robustness["results"]
    presets = list(results)
    styles = [s for s in results[presets[0]] if s != "all"]
    title = (f"### Robustness set: {robustness['transcripts']} project-written transcripts, "
             f"{robustness['turns']} turns, {len(styles)} styles unlike AnnoMI")
    lines = [title, "",
             "| family | turns | passes' kappa | "
             + " | ".join(f"`{p}` (F1 / kappa)" for p in presets) + " | "
             + " | ".join(f"AnnoMI grouped CV, `{p}`" for p in presets) + " |",
             "|---|---|---|" + "---|" * (2 * len(presets))]
    for fam in FAMILIES:
        m = results[presets[0]]["all"].get(fam.name)
        lines.append(f"| {fam.name} | {m['n'] if m else 0} | "
                     f"{robustness['agreement'][fam.name]['kappa']:.3f} | "
                     + " | ".join(_cell(results[p]["all"].get(fam.name)) for p in presets)
                     + " | "
                     + " | ".join(_cell(cv.get(p, {}).get(fam.name)) for p in presets) + " |")
    if robustness.get("unpunctuated"):
        lines += ["", "Coded by the punctuation-free companion (sessions without "
                  "punctuation): " + ", ".join(robustness["unpunctuated"]) + "."]
    lines += ["", "Macro-F1 by style:", "",
              "| style | therapist turns | "
              + " | ".join(f"therapist behaviour, `{p}`" for p in presets)
              + " | client turns | " + " | ".join(f"client talk, `{p}`" for p in presets)
              + " |", "|---|---|" + "---|" * (2 * len(presets) + 1)]
    for style in styles:
        cells = []
        for name in MAIN:
            first = results[presets[0]][style].get(name)
            cells.append(str(first["n"] if first else 0))
            cells += [f"{m['macro_f1']:.3f}" if (m := results[p][style].get(name)) else "-"
                      for p in presets]
        lines.append(f"| {style} | " + " | ".join(cells) + " |")
    last = presets[-1]
    labels = [(fam.name, label) for fam in FAMILIES if fam.name in MAIN for label in fam.labels]
    lines += ["", f"`{last}`, per-class F1 by style (therapist behaviour, then client talk):",
              "", "| style | " + " | ".join(label for _, label in labels) + " |",
              "|---|" + "---|" * len(labels)]
    for style in ["all", *styles]:
        row = results[last][style]
        lines.append(f"| {style} | " + " | ".join(
            f"{row[name]['per_class_f1'][label]:.2f}"
            if name in row and label in row[name]["per_class_f1"] else "-"
            for name, label in labels) + " |")
    return "\n".join([*lines, ""])
