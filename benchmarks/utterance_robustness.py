"""The shipped utterance coders on the robustness set: talk unlike AnnoMI's (issue 21).

    .venv/bin/python benchmarks/utterance_robustness.py [--json out.json]

Prints three tables: each family over the whole set (the two coding passes' agreement,
`fast` and `accurate`, and their grouped cross-validation on AnnoMI beside them, read from
the shipped `utterance-<preset>-cv.json`); each style's macro-F1 for the main families;
and per-class F1 by style for `accurate`, which says where it breaks. The set is
project-written and project-coded (`data/robustness/README.md`); the models never saw it.
`rapport evaluate utterance` prints the same tables after its cross-validation.

A last table runs the pipeline as `rapport code` does (utterance and risk coders, then the
pipeline's rule that a turn with a risk flag is not change talk): the client-talk figures
users get, and the risk flags per style. The set was written without risk language, so
every risk flag on it is a false alarm or, at most, a borderline one (read them with
`--flags`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.coding.agreement import macro_f1  # noqa: E402
from rapport.coding.utterance.families import CLIENT_TALK, PRESETS  # noqa: E402
from rapport.coding.utterance.robustness import (  # noqa: E402
    ROBUSTNESS_DIR,
    evaluate_robustness,
    load_coding,
    load_sessions,
    render,
)
from rapport.coding.utterance.training import cv_metrics_path  # noqa: E402
from rapport.ingest import read_sessions  # noqa: E402
from rapport.pipeline import code_session, load_coders  # noqa: E402


def as_rapport_code(preset: str) -> list[dict[str, object]]:
    """Per client turn: the pipeline's client talk and risk flags (utterance + risk)."""
    coders = load_coders(preset, ["utterance", "risk"])
    rows = []
    for read in read_sessions([ROBUSTNESS_DIR / "sessions.csv"]):
        coded = code_session(read.session, coders)
        for turn, codes in zip(read.session.turns, coded.codes, strict=True):
            if turn.role.value != "client":
                continue
            rows.append({"client_talk": next(c.value for c in codes.codes
                                             if c.name == "client_talk"),
                         "risk": sorted(c.name for c in codes.codes
                                        if c.name.startswith("risk_") and c.value is True),
                         "text": turn.text})
    return rows


def pipeline_table(flags: bool) -> str:
    sessions = load_sessions()
    gold = load_coding(ROBUSTNESS_DIR / "gold.csv", sessions)
    client = (sessions["role"] == "client").to_numpy()
    truth = gold.loc[client, "client_talk"].tolist()
    styles = sessions.loc[client, "style"].tolist()
    keys = sessions.loc[client, ["session_id", "turn_index"]].astype(str).agg(":".join, axis=1)
    header = "| preset | client talk macro-F1 | client turns with a risk flag | by style |"
    lines = ["As `rapport code` writes it (utterance + risk coders, the pipeline's risk rule):",
             "", header, "|---|---|---|---|"]
    listed = []
    for preset in PRESETS:
        rows = as_rapport_code(preset)
        f1 = macro_f1(truth, [r["client_talk"] for r in rows], CLIENT_TALK.labels)
        flagged = [k for k, r in enumerate(rows) if r["risk"]]
        by_style = {s: sum(1 for k in flagged if styles[k] == s) for s in sorted(set(styles))}
        lines.append(f"| {preset} | {f1:.3f} | {len(flagged)} of {len(rows)} | "
                     + ", ".join(f"{s} {n}" for s, n in by_style.items()) + " |")
        if flags and not listed:
            listed = [f"- {keys.iloc[k]} {', '.join(rows[k]['risk'])}: "
                      f"{str(rows[k]['text'])[:100]}" for k in flagged]
    return "\n".join([*lines, "", *listed, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument("--flags", action="store_true",
                        help="also list each client turn the risk coder flags")
    args = parser.parse_args()
    robustness = evaluate_robustness(PRESETS)
    cv = {p: json.loads(cv_metrics_path(p).read_text())["families"] for p in PRESETS}
    print(render(robustness, cv))
    print(pipeline_table(args.flags))
    if args.json:
        args.json.write_text(json.dumps(robustness, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
