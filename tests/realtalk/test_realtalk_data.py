"""The real-talk gold: frozen codebook and evaluation split, complete passes, a gold file
that the build script reproduces, and splits that never share a video."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from rapport.coding.relationship.realtalk import (
    CODES,
    evaluation_sessions,
    load_gold,
    split_rows,
)

ROOT = Path(__file__).resolve().parents[2]
RT = ROOT / "data" / "realtalk"
CODEBOOK_SHA = "4aa4dabbb1f7ca5425867ebb556323857cb3d39b1b84ab2d2aa566517b2b7022"
EVAL_SHA = "02db0a00771342519832748137856b9bbedf7e9d581b703aae23ae6a05b10923"


def test_codebook_and_evaluation_split_are_frozen() -> None:
    assert hashlib.sha256((RT / "codebook.md").read_bytes()).hexdigest() == CODEBOOK_SHA
    held = evaluation_sessions()
    lines = [line for line in (RT / "gold.jsonl").read_text("utf-8").splitlines(True)
             if json.loads(line)["session"] in held]
    assert hashlib.sha256("".join(lines).encode()).hexdigest() == EVAL_SHA


def test_every_planned_transcript_is_coded_as_planned() -> None:
    plan = json.loads((RT / "plan.json").read_text("utf-8"))
    # planned double, or single-coded first and given pass B and adjudication later
    later = set(plan["second_pass"])
    assert later <= set(plan["single_coded"])
    for tid in [*plan["double_coded"], *later]:
        for p in ("A", "B"):
            assert (RT / "passes" / p / f"annomi-{tid}.jsonl").exists(), (p, tid)
    for tid in plan["single_coded"]:
        assert (RT / "passes" / "A" / f"annomi-{tid}.jsonl").exists(), tid
    for tid in plan["calibration"]:
        assert not (RT / "passes" / "A" / f"annomi-{tid}.jsonl").exists()
    for p in ("A", "B"):
        for line in (RT / "passes" / p / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split()
            assert hashlib.sha256((RT / "passes" / p / name).read_bytes()).hexdigest() == digest


def test_the_build_script_reproduces_the_gold(tmp_path: Path) -> None:
    before = (RT / "gold.jsonl").read_bytes()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "realtalk_build.py")],
                   check=True, capture_output=True)
    assert (RT / "gold.jsonl").read_bytes() == before


def test_splits_by_video_and_codes_by_role() -> None:
    gold = load_gold()
    dev, ev = split_rows(gold)
    assert {r["group"] for r in dev}.isdisjoint({r["group"] for r in ev})
    assert len(ev) == 1407
    for row in dev + ev:
        assert all(not lab or m for lab, m in zip(row["labels"], row["mask"], strict=True))
        assert len(row["labels"]) == len(CODES)
        assert (row["empathy"] is None) == row["text"].startswith("Client:")


def _build_script():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "realtalk_build", ROOT / "benchmarks" / "realtalk_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    # as when run as a script: its sibling realtalk_select is importable
    if str(ROOT / "benchmarks") not in sys.path:
        sys.path.append(str(ROOT / "benchmarks"))
    return module


def test_every_development_transcript_is_double_coded_and_adjudicated() -> None:
    # no figure rests on one coding pass: each transcript outside the frozen split has both
    # passes, and every turn where they differ has the adjudicator's decision
    build = _build_script()
    plan = json.loads((RT / "plan.json").read_text("utf-8"))
    adjudicated = load_gold(passes=("adjudicated",))
    for tid in sorted(build.double_coded(plan)):
        session = f"annomi-{tid}"
        assert session in adjudicated
        a, b = build.read_pass("A", session), build.read_pass("B", session)
        path = RT / "adjudication" / f"{session}.decisions.jsonl"
        decided = {json.loads(line)["turn"] for line in path.read_text().splitlines()} \
            if path.exists() else set()
        assert {d["turn"] for d in build.disagreements(a, b)} == decided, session
    assert set(load_gold()) == set(adjudicated)


def test_the_sheets_list_only_the_turns_where_the_passes_differ(tmp_path: Path) -> None:
    build = _build_script()
    def turn(i: int, codes: list[str], pick: dict[str, str] | None = None
             ) -> dict[str, object]:
        return {"session": "annomi-0", "turn": i, "speaker": "T", "codes": codes,
                "empathy": None, "pick": pick}
    end = {"session": "annomi-0", "turn": None, "globals": {}}
    a = [turn(0, ["affirm"]), turn(1, ["persuade", "affirm"]),
         turn(2, [], {"direction": "keep", "reason": "x"}), end]
    b = [turn(0, ["affirm"]), turn(1, ["affirm", "persuade"]),
         turn(2, ["repair"], {"direction": "improve", "reason": "y"}), end]
    rows = build.disagreements(a, b)
    assert [r["turn"] for r in rows] == [2]  # order of codes does not matter
    assert rows[0]["A"] == [] and rows[0]["B"] == ["repair"]
    assert rows[0]["picks"]["B"]["direction"] == "improve"
    # the committed gold needs no more adjudication: no sheet is written
    build.write_sheets(json.loads((RT / "plan.json").read_text("utf-8")), tmp_path)
    assert list(tmp_path.iterdir()) == []
