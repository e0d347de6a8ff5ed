"""Text packs for licensed instruments: accepted when they match, rejected whole otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from rapport.errors import RapportInputError
from rapport.measures import apply_text_pack, get_instrument, load_text_pack, read_text_pack
from rapport.measures.textpack import TextPack

# Placeholder wording written for the tests; not the licensed text of any instrument.
SRS_PACK: dict[str, Any] = {
    "instrument": "srs",
    "copyright_line": "(c) Test Licence Holder - placeholder wording for tests",
    "stem": "Test stem",
    "items": {
        "srs_1": {"text": "Placeholder one", "low_anchor": "low one", "high_anchor": "high one"},
        "srs_2": "Placeholder two",
        "srs_3": "Placeholder three",
        "srs_4": "Placeholder four",
    },
}


def _write(tmp_path: Path, data: dict[str, Any], name: str = "pack.yaml") -> Path:
    path = tmp_path / name
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["pack.yaml", "pack.json"])
def test_matching_pack_supplies_text_and_copyright(tmp_path: Path, name: str) -> None:
    srs = load_text_pack(get_instrument("srs"), _write(tmp_path, SRS_PACK, name))
    assert [i.text for i in srs.items] == ["Placeholder one", "Placeholder two",
                                           "Placeholder three", "Placeholder four"]
    assert srs.items[0].low_anchor == "low one" and srs.items[1].low_anchor is None
    assert srs.copyright.required_line == SRS_PACK["copyright_line"]
    assert srs.stem == "Test stem" and not srs.needs_text_pack
    # the bundled definition itself is untouched
    assert get_instrument("srs").needs_text_pack


def test_option_labels_for_a_likert_instrument() -> None:
    pack = TextPack(instrument="wai_sr", copyright_line="(c) test",
                    options={1: "lowest", 5: "highest"},
                    items={f"wai_sr_{n}": f"item {n}" for n in range(1, 13)})
    wai = apply_text_pack(get_instrument("wai_sr"), pack)
    assert [o.label for o in wai.options] == ["lowest", None, None, None, "highest"]


@pytest.mark.parametrize(("change", "message"), [
    ({"instrument": "ors"}, "pack is for 'ors', not 'srs'"),
    ({"items": {**SRS_PACK["items"], "srs_5": "extra"}}, "'srs_5' is not an item of SRS"),
    ({"items": {k: v for k, v in SRS_PACK["items"].items() if k != "srs_3"}},
     "'srs_3' of SRS has no text"),
])
def test_mismatching_pack_is_rejected_naming_the_item(tmp_path: Path, change: dict[str, Any],
                                                       message: str) -> None:
    path = _write(tmp_path, {**SRS_PACK, **change})
    with pytest.raises(RapportInputError, match=message) as err:
        load_text_pack(get_instrument("srs"), path)
    assert err.value.code == "text_pack_mismatch" and err.value.where == str(path)


def test_stray_option_value_is_rejected() -> None:
    pack = TextPack(instrument="arm5", copyright_line="(c) test", options={8: "too high"},
                    items={f"arm5_{n}": "x" for n in range(1, 6)})
    with pytest.raises(RapportInputError, match="option value 8"):
        apply_text_pack(get_instrument("arm5"), pack)


@pytest.mark.parametrize(("content", "message"), [
    ("instrument: srs\nitems: {srs_1: x}\n", "copyright_line"),
    ("instrument: srs\ncopyright_line: c\nitems: {srs_1: ''}\n", "items"),
    ("instrument: srs\ncopyright_line: c\nitems: {}\ncolour: red\n", "colour"),
    ("items: [", "cannot read"),
])
def test_malformed_pack_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RapportInputError, match=message):
        read_text_pack(path)
