"""The bundled definitions: schema, verbatim text, licences, the not-validated label."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path
from typing import Any

import pytest
import yaml

from rapport.errors import RapportInputError
from rapport.measures import get_instrument, list_instruments, load_instrument_file
from rapport.measures.catalog import parse_instrument

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data" / "instruments"
FREE = ["phq9", "gad7", "phq2", "gad2", "who5", "k10"]
LICENSED = ["srs", "ors", "cors", "wai_sr", "arm5", "sai"]


def test_every_bundled_instrument_is_listed() -> None:
    assert {i.id for i in list_instruments()} == {*FREE, *LICENSED, "checkin"}


@pytest.mark.parametrize("name", FREE)
def test_free_instruments_bundle_text_and_copyright(name: str) -> None:
    instrument = get_instrument(name)
    assert instrument.licence.kind == "free"
    assert all(item.text for item in instrument.items)
    assert instrument.copyright.required_line
    assert all(option.label for option in instrument.options)
    assert instrument.sources


@pytest.mark.parametrize("name", FREE)
def test_free_text_is_verbatim_from_the_checked_pack(name: str) -> None:
    source_file = SHARED / f"{name}.yaml"
    if not source_file.exists():
        pytest.skip("the project's shared instrument packs are not next to this checkout")
    source: dict[str, Any] = yaml.safe_load(source_file.read_text(encoding="utf-8"))
    instrument = get_instrument(name)
    assert [i.text for i in instrument.items] == [i["text"] for i in source["items"]]
    assert [i.id for i in instrument.items] == [i["id"] for i in source["items"]]
    assert instrument.stem == source["stem"]
    assert {o.value: o.label for o in instrument.options} == {
        o["value"]: o["label"] for o in source["options"]}
    assert instrument.copyright.required_line == source["copyright"]["required_line"]
    assert instrument.licence.status == source["licence"]["status"]
    assert instrument.sources == source["sources"]
    for key in ("instruction", "example"):  # WHO-5 only; kept verbatim, in order
        if key in source:
            assert source[key] in (instrument.instruction or "")


@pytest.mark.parametrize("name", LICENSED)
def test_licensed_instruments_carry_no_text(name: str) -> None:
    instrument = get_instrument(name)
    assert instrument.licence.kind == "licensed"
    assert instrument.needs_text_pack
    assert not any(item.text for item in instrument.items)


def test_checkin_is_labelled_not_validated() -> None:
    checkin = get_instrument("checkin")
    assert checkin.validated is False
    assert "not validated" in checkin.name.lower()
    assert "not validated" in checkin.short_name.lower()
    assert "not validated" in (checkin.copyright.required_line or "").lower()
    assert all(i.validated for i in list_instruments() if i.id != "checkin")


def test_published_values() -> None:
    phq9 = get_instrument("PHQ-9")
    assert phq9.loinc.panel == "44249-1" and phq9.loinc.total == "44261-6"
    assert phq9.item("phq9_9").risk_item and phq9.item("phq9_9").loinc == "44260-8"
    assert [i.id for i in phq9.items if i.risk_item] == ["phq9_9"]
    assert get_instrument("gad7").loinc.total == "70274-6"
    assert get_instrument("phq2").loinc.total == "55758-7"
    assert get_instrument("arm5").item("arm5_3").reverse
    assert get_instrument("wai_sr").subscales["task"] == [
        "wai_sr_1", "wai_sr_2", "wai_sr_10", "wai_sr_12"]
    assert get_instrument("k10").total_range == (10, 50)
    srs = get_instrument("srs")
    assert srs.cut_off is not None and srs.cut_off.value == 36


def test_unknown_instrument_is_an_input_error() -> None:
    with pytest.raises(RapportInputError, match="unknown instrument 'phq10'") as err:
        get_instrument("phq10")
    assert "phq9" in (err.value.fix or "")


def _minimal() -> dict[str, Any]:
    return {"id": "mine", "name": "Mine", "short_name": "Mine", "version": "1", "kind": "outcome",
            "validated": False, "assesses": "x", "direction": "higher_is_worse",
            "options": [{"value": 0}, {"value": 1}],
            "items": [{"id": "a"}, {"id": "b"}], "licence": {"kind": "project", "status": "ok"}}


@pytest.mark.parametrize(("change", "message"), [
    ({"colour": "red"}, "colour"),
    ({"subscales": {"s": ["a", "zz"]}}, "unknown items"),
    ({"bands": [{"min": 0, "max": 9, "label": "too wide"}]}, "outside"),
    ({"scale": {"min": 0, "max": 10}}, "exactly one"),
    ({"items": [{"id": "a"}, {"id": "a"}]}, "unique"),
    ({"reliable_change": {"reliability": 0.8, "source": "s"}}, "threshold"),
    ({"kind": "alliance"}, "alliance"),
    ({"licence": {"kind": "licensed", "status": "x"}, "items": [{"id": "a", "text": "t"}]},
     "must not bundle"),
    ({"missing": {"max_missing": 2}}, "max_missing"),
])
def test_bad_definitions_are_rejected(change: dict[str, Any], message: str) -> None:
    with pytest.raises(RapportInputError, match=message):
        parse_instrument({**_minimal(), **change}, where="mine.yaml")


def test_user_definition_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(_minimal()), encoding="utf-8")
    assert load_instrument_file(path).total_range == (0, 2)
    path.write_text("items: [", encoding="utf-8")
    with pytest.raises(RapportInputError, match="cannot read"):
        load_instrument_file(path)


@pytest.mark.parametrize("module", [
    "rapport.measures", "rapport.measures.scoring", "rapport.measures.change",
    "rapport.measures.rupture", "rapport.measures.attendance", "rapport.measures.consistency",
    "rapport.measures.catalog"])
def test_docstring_examples_hold(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
