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
