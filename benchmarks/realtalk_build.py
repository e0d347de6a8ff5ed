"""Assemble the real-talk gold from the committed passes, and the tables agreement needs.

    .venv/bin/python benchmarks/realtalk_build.py            # writes data/realtalk/gold.jsonl
                                                           # and data/realtalk/tables/*.csv
    .venv/bin/python benchmarks/realtalk_build.py --sheets DIR   # the adjudicator's sheets

``gold.jsonl`` (format in docs/formats.md, "Gold codings") holds, per transcript, every
pass: ``A`` and ``B`` as the coders wrote them, and ``adjudicated``: the codes both passes
gave, or the adjudicator's decision where they differed; empathy ratings and global
ratings as the mean of the two passes; supervisor picks as the union of both passes'
picks. Single-coded transcripts have pass ``A`` only. A transcript is double-coded when
``plan.json`` lists it under ``double_coded`` or under ``second_pass`` (first coded once,
given its pass B and adjudication later, the same way). The tables are code tables as
``rapport reliability`` reads them (pass A and B, turn codes; empathy per turn as a
session table keyed ``session#turn``; globals as a session table).

``--sheets DIR`` writes, for each double-coded transcript that has no decisions file yet,
what the adjudicator reads (``data/realtalk/prompts/adjudicator.md``): the transcript
(``annomi-N.txt``) and the turns where the passes' codes differ
(``annomi-N.disagreements.jsonl``: the turn, both passes' codes and, where both picked the
turn in opposite directions, both picks).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RT = ROOT / "data" / "realtalk"
THERAPIST = ("affirm", "seek_collaboration", "emphasize_autonomy", "persuade",
             "persuade_with_permission", "confront", "repair", "normalize", "self_disclosure",
             "metacommunication", "boundary_statement")
CLIENT = ("withdrawal", "confrontation", "emotional_disclosure", "boundary_issue")
GLOBALS = ("cultivating_change_talk", "softening_sustain_talk", "partnership", "empathy")
EMPATHY = ("er", "ip", "ex")
CODERS = {"A": "automated coder (AI assistant), frozen codebook + transcript only; "
               "data/realtalk/prompts/coder.md",
          "B": "automated coder (AI assistant), frozen codebook + transcript only; "
               "data/realtalk/prompts/coder.md",
          "adjudicated": "agreed codes of A and B, else an automated adjudicator who saw both "
                         "(data/realtalk/prompts/adjudicator.md); ratings: mean of A and B"}


def read_pass(name: str, session: str) -> list[dict[str, object]] | None:
    path = RT / "passes" / name / f"{session}.jsonl"
    if not path.exists():
        return None
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def adjudicate(a: list[dict[str, object]], b: list[dict[str, object]],
               decisions: dict[int, dict[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for x, y in zip(a[:-1], b[:-1], strict=True):
        turn = int(x["turn"])  # type: ignore[call-overload]
        if set(x["codes"]) == set(y["codes"]):  # type: ignore[call-overload]
            codes = sorted(x["codes"])  # type: ignore[call-overload]
        else:
            codes = sorted(decisions[turn]["codes"])  # type: ignore[call-overload]
        empathy = None
        if x["empathy"] is not None and y["empathy"] is not None:
            empathy = {k: (x["empathy"][k] + y["empathy"][k]) / 2 for k in EMPATHY}  # type: ignore[index]
        picks = [p for p in (x["pick"], y["pick"]) if p]
        pick = None
        if turn in decisions and "pick" in decisions[turn]:
            pick = decisions[turn]["pick"]
        elif picks and all(p["direction"] == picks[0]["direction"] for p in picks):  # type: ignore[index]
            pick = picks[0]
        out.append({**{k: x[k] for k in ("session", "turn", "speaker")}, "codes": codes,
                    "empathy": empathy, "pick": pick})
    ga, gb = a[-1]["globals"], b[-1]["globals"]
    out.append({"session": a[-1]["session"], "turn": None,
                "globals": {k: (ga[k] + gb[k]) / 2 for k in GLOBALS}})  # type: ignore[index]
    return out


def double_coded(plan: dict[str, list[int]]) -> set[int]:
    """Transcripts with two independent passes (planned so, or given pass B later)."""
    return set(plan["double_coded"]) | set(plan.get("second_pass", []))


def disagreements(a: list[dict[str, object]], b: list[dict[str, object]]
                  ) -> list[dict[str, object]]:
    """The turns where the passes' codes differ, with both codings (and opposite picks)."""
    out: list[dict[str, object]] = []
    for x, y in zip(a[:-1], b[:-1], strict=True):
        if set(x["codes"]) == set(y["codes"]):  # type: ignore[call-overload]
            continue
        row: dict[str, object] = {"turn": x["turn"], "speaker": x["speaker"],
                                  "A": sorted(x["codes"]), "B": sorted(y["codes"])}  # type: ignore[call-overload]
        if x["pick"] and y["pick"] and x["pick"]["direction"] != y["pick"]["direction"]:  # type: ignore[index]
            row["picks"] = {"A": x["pick"], "B": y["pick"]}
        out.append(row)
    return out


def write_sheets(plan: dict[str, list[int]], out: Path) -> None:
    """The adjudicator's sheets for double-coded transcripts not yet adjudicated: each
    transcript as the coders read it (``realtalk_select.write_transcripts``) and its
    disagreements."""
    import pandas as pd
    from realtalk_select import write_transcripts

    frame = pd.read_csv(ROOT / plan["source"])  # type: ignore[call-overload]
    out.mkdir(parents=True, exist_ok=True)
    for tid in sorted(double_coded(plan)):
        session = f"annomi-{tid}"
        a, b = read_pass("A", session), read_pass("B", session)
        if a is None or b is None:
            raise SystemExit(f"{session}: pass {'A' if a is None else 'B'} missing")
        rows = disagreements(a, b)
        if not rows or (RT / "adjudication" / f"{session}.decisions.jsonl").exists():
            continue
        write_transcripts(frame, [tid], out)
        (out / f"{session}.disagreements.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{session}: {len(rows)} turns to adjudicate")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=Path,
                        help="write the adjudicator's sheets here instead of the gold")
    args = parser.parse_args()
    plan = json.loads((RT / "plan.json").read_text("utf-8"))
    if args.sheets:
        write_sheets(plan, args.sheets)
        return
    double = double_coded(plan)
    lines: list[dict[str, object]] = []
    tables: dict[str, list[dict[str, object]]] = {f"{p}_{t}": [] for p in "AB"
                                                  for t in ("codes", "empathy", "globals")}
    for tid in sorted(plan["double_coded"] + plan["single_coded"]):
        session = f"annomi-{tid}"
        passes = {p: read_pass(p, session) for p in "AB"}
        if passes["A"] is None:
            continue
        if tid in double:
            if passes["B"] is None:
                msg = f"{session}: pass B missing"
                raise SystemExit(msg)
            dec_path = RT / "adjudication" / f"{session}.decisions.jsonl"
            decisions = {int(d["turn"]): d for d in map(json.loads, dec_path.read_text(
                "utf-8").splitlines())} if dec_path.exists() else {}
            missing = [d["turn"] for d in disagreements(passes["A"], passes["B"])
                       if int(d["turn"]) not in decisions]  # type: ignore[call-overload]
            if missing:
                raise SystemExit(f"{session}: no adjudication for turns {missing}; run with "
                                 "--sheets and data/realtalk/prompts/adjudicator.md")
            passes["adjudicated"] = adjudicate(passes["A"], passes["B"], decisions)
        for name, rows in passes.items():
            if rows is None:
                continue
            lines.extend({**row, "pass": name, "coder": CODERS[name]} for row in rows)
            if name not in ("A", "B") or tid not in double:
                continue
            for row in rows[:-1]:
                allowed = THERAPIST if row["speaker"] == "T" else CLIENT
                code_row: dict[str, object] = {"session_id": session, "turn_index": row["turn"],
                                               "role": "therapist" if row["speaker"] == "T"
                                               else "client"}
                for c in (*THERAPIST, *CLIENT):
                    code_row[f"code_{c}"] = int(c in row["codes"]) if c in allowed else ""  # type: ignore[operator]
                tables[f"{name}_codes"].append(code_row)
                if row["empathy"] is not None:
                    e = row["empathy"]
                    tables[f"{name}_empathy"].append(
                        {"session_id": f"{session}#{row['turn']}",
                         **{k: e[k] for k in EMPATHY}, "total": sum(e[k] for k in EMPATHY)})  # type: ignore[index]
            tables[f"{name}_globals"].append({"session_id": session, **rows[-1]["globals"]})  # type: ignore[dict-item]
    with (RT / "gold.jsonl").open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    (RT / "tables").mkdir(exist_ok=True)
    for name, rows in tables.items():
        with (RT / "tables" / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    print(f"gold.jsonl: {len(lines)} lines; tables: "
          + ", ".join(f"{k} {len(v)}" for k, v in tables.items()))


if __name__ == "__main__":
    main()
