"""The evaluation set is frozen: its files must keep the hashes recorded in FROZEN.md."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "deid"


def _recorded() -> dict[str, str]:
    text = (DATA / "FROZEN.md").read_text(encoding="utf-8")
    return {Path(name).name: sha for name, sha in
            re.findall(r"\| `(data/deid/[\w.]+)` \| `([0-9a-f]{64})` \|", text)}


def test_frozen_files_match_their_recorded_hashes() -> None:
    recorded = _recorded()
    assert set(recorded) == {"eval.src.txt", "eval.jsonl", "holdout.src.txt", "holdout.jsonl",
                             "holdout2.src.txt", "holdout2.jsonl", "holdout3.src.txt",
                             "holdout3.jsonl", "holdout3_asr.src.txt", "holdout3_asr.jsonl"}
    for name, sha in recorded.items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == sha, name


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Every labelled set: frozen ones and development ones.
SETS = ("eval", "holdout", "holdout2", "holdout3", "holdout3_asr", "dev", "dev2", "dev3",
        "dev4", "dev5", "dev6", "dev6_asr")


def test_jsonl_is_exactly_what_the_builder_makes_from_the_source() -> None:
    builder = _script("deid_build_set")
    for stem in SETS:
        rows = builder.build(DATA / f"{stem}.src.txt")
        on_disk = [json.loads(line) for line in
                   (DATA / f"{stem}.jsonl").read_text(encoding="utf-8").splitlines()]
        assert rows == on_disk
        for row in rows:  # every span points at exactly its text
            for span in row["spans"]:
                assert row["text"][span["start"]:span["end"]] == span["text"]


def test_speech_copies_are_exactly_what_the_script_makes_from_their_source() -> None:
    """``*_asr.src.txt`` is generated, never hand-edited: lower case, no sentence marks."""
    copier = _script("deid_asr_copy")
    for stem in SETS:
        if stem.endswith("_asr"):
            source = DATA / f"{stem.removesuffix('_asr')}.src.txt"
            assert copier.convert(source) == (DATA / f"{stem}.src.txt").read_text(encoding="utf-8")


def test_speech_copy_keeps_every_identifier_and_session() -> None:
    cased = [json.loads(line) for line in (DATA / "holdout3.jsonl").read_text("utf-8").splitlines()]
    asr = [json.loads(line) for line in
           (DATA / "holdout3_asr.jsonl").read_text("utf-8").splitlines()]
    assert len(cased) == len(asr) and len({r["session"] for r in cased}) >= 30
    for a, b in zip(cased, asr, strict=True):
        assert a["session"] == b["session"] and a["known_names"] == b["known_names"]
        assert [s["type"] for s in a["spans"]] == [s["type"] for s in b["spans"]]
        assert b["text"] == b["text"].lower() and not any(ch in b["text"] for ch in "?!;")
