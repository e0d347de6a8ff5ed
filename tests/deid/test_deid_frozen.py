"""The evaluation set is frozen: its files must keep the hashes recorded in FROZEN.md."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "deid"


def _recorded() -> dict[str, str]:
    text = (DATA / "FROZEN.md").read_text(encoding="utf-8")
    return {Path(name).name: sha for name, sha in
            re.findall(r"\| `(data/deid/[\w.]+)` \| `([0-9a-f]{64})` \|", text)}


def test_frozen_files_match_their_recorded_hashes() -> None:
    recorded = _recorded()
    assert set(recorded) == {"eval.src.txt", "eval.jsonl", "holdout.src.txt", "holdout.jsonl",
                             "holdout2.src.txt", "holdout2.jsonl"}
    for name, sha in recorded.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == sha, name


def test_jsonl_is_exactly_what_the_builder_makes_from_the_source() -> None:
    spec = importlib.util.spec_from_file_location("deid_build_set",
                                                  ROOT / "benchmarks" / "deid_build_set.py")
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    for stem in ("eval", "holdout", "holdout2", "dev", "dev2", "dev3", "dev4", "dev5"):
        rows = builder.build(DATA / f"{stem}.src.txt")
        on_disk = [json.loads(line) for line in
                   (DATA / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert rows == on_disk
        for row in rows:  # every span points at exactly its text
            for span in row["spans"]:
                assert row["text"][span["start"]:span["end"]] == span["text"]
