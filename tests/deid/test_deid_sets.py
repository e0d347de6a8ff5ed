"""The evaluation-set tools: transcript headers in the builder, and the speech-style copy."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILDER = _script("deid_build_set")
COPIER = _script("deid_asr_copy")


def test_transcript_headers_group_rows_and_give_them_known_names(tmp_path: Path) -> None:
    source = tmp_path / "t.src.txt"
    source.write_text("== s1 known=Dr. Lee;Amara\nHi [[PERSON:Amara]].\n"
                      "known=Other :: Bye.\n== s2\nNo names.\n", encoding="utf-8")
    rows = BUILDER.build(source)
    assert [(r["session"], r["known_names"]) for r in rows] == [
        ("s1", ["Dr. Lee", "Amara"]), ("s1", ["Other"]), ("s2", [])]


def test_a_bad_transcript_header_is_one_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "t.src.txt"
    source.write_text("== s1 names=Dr. Lee\nHi.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="bad transcript header"):
        BUILDER.build(source)


def test_speech_copy_of_one_line() -> None:
    line = "known=Dr. Lee :: Hi, [[PERSON:Dr. Amara]]! Call (614) 555-0187 or jo.smith@mail.com."
    assert COPIER.asr_line(line, BUILDER.parse_line) == (
        "known=Dr. Lee :: hi [[PERSON:dr amara]] call 614 555-0187 or jo.smith@mail.com")


_WORDS = st.text(alphabet="abcXYZ .,!?;:'-()@_0123", min_size=0, max_size=12)
_VALUE = st.text(alphabet="abcXYZ.-@_0123'", min_size=1, max_size=10).filter(
    lambda v: any(ch.isalnum() for ch in v))


@given(st.lists(st.tuples(_WORDS, _VALUE), min_size=1, max_size=4), _WORDS)
def test_speech_copy_keeps_every_span_lower_cased_and_unpunctuated(
        parts: list[tuple[str, str]], tail: str) -> None:
    line = "".join(f"{before} [[PERSON:{value}]] " for before, value in parts) + tail
    _, _, spans = BUILDER.parse_line(line)
    copied = COPIER.asr_line(line, BUILDER.parse_line)
    text, _, new_spans = BUILDER.parse_line(copied)
    assert len(new_spans) == len(spans)
    assert text == text.lower() and "  " not in text and text == text.strip()
    for old, new in zip(spans, new_spans, strict=True):
        assert new["text"] == text[new["start"]:new["end"]]
        kept = "".join(ch for ch in str(old["text"]).lower() if ch.isalnum())
        assert "".join(ch for ch in new["text"] if ch.isalnum()) == kept
