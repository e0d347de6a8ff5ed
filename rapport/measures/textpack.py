"""Text packs: the user's licensed item wording, checked against a scoring definition.

Licensed instruments (SRS, ORS, WAI-SR, ARM-5, SAI) ship without their wording. A clinic
that holds a licence writes the wording into a small YAML or JSON file::

    instrument: srs
    copyright_line: "© ... (the line your licence asks you to show)"
    stem: "Please rate today's session ..."          # optional
    options: {1: "Seldom", 5: "Always"}              # optional labels, by value
    items:
      srs_1: {text: "Relationship", low_anchor: "...", high_anchor: "..."}
      srs_2: "Goals and topics"

The pack must name exactly the definition's items and option values; anything else is
rejected whole, naming the offending item, so a pack for another version of a form can
never be scored silently with the wrong key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from rapport.errors import RapportInputError
from rapport.measures.schema import Instrument, Item, Option


class PackItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=1)
    low_anchor: str | None = None
    high_anchor: str | None = None


class TextPack(BaseModel):
    """A parsed text pack (see the module docstring for the file layout)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    instrument: str
    copyright_line: str = Field(min_length=1)
    version: str | None = None
    stem: str | None = None
    options: dict[int, str] = Field(default_factory=dict)
    items: dict[str, PackItem | Annotated[str, StringConstraints(min_length=1)]]


def read_text_pack(path: Path) -> TextPack:
    """Parse a YAML/JSON text pack file; a malformed one raises :class:`RapportInputError`."""
    try:
        raw = path.read_text(encoding="utf-8")
        data = json.loads(raw) if path.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise RapportInputError(f"cannot read the text pack ({type(exc).__name__})",
                                where=str(path), fix="give a UTF-8 YAML or JSON file",
                                code="bad_text_pack") from None
    try:
        return TextPack.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(part) for part in first["loc"]) or "top level"
        raise RapportInputError(f"text pack field {loc}: {first['msg']}", where=str(path),
                                fix="see 'Text packs' in docs/measures.md",
                                code="bad_text_pack") from None


def apply_text_pack(instrument: Instrument, pack: TextPack, *, where: str = "text pack"
                    ) -> Instrument:
    """Return ``instrument`` with the pack's wording; reject any mismatch whole."""
    def reject(what: str, fix: str) -> RapportInputError:
        return RapportInputError(what, where=where, fix=fix, code="text_pack_mismatch")

    if pack.instrument.lower() != instrument.id:
        raise reject(f"the pack is for {pack.instrument!r}, not {instrument.id!r}",
                     f"use a text pack whose 'instrument' is {instrument.id}")
    expected = instrument.item_ids
    unknown = [key for key in pack.items if key not in expected]
    if unknown:
        raise reject(f"item {unknown[0]!r} is not an item of {instrument.short_name}",
                     "use the item ids listed by: rapport measures show " + instrument.id)
    missing = [key for key in expected if key not in pack.items]
    if missing:
        raise reject(f"item {missing[0]!r} of {instrument.short_name} has no text",
                     f"give text for all {len(expected)} items")
    values = {option.value for option in instrument.options}
    stray = [value for value in pack.options if value not in values]
    if stray:
        raise reject(f"option value {stray[0]} is not a response value of "
                     f"{instrument.short_name}", f"use values {sorted(values)}")

    items: list[Item] = []
    for item in instrument.items:
        entry = pack.items[item.id]
        entry = entry if isinstance(entry, PackItem) else PackItem(text=entry)
        items.append(item.model_copy(update={"text": entry.text, "low_anchor": entry.low_anchor,
                                             "high_anchor": entry.high_anchor}))
    options = [Option(value=o.value, label=pack.options.get(o.value, o.label),
                      loinc_answer=o.loinc_answer) for o in instrument.options]
    copyright_ = instrument.copyright.model_copy(update={"required_line": pack.copyright_line})
    return instrument.model_copy(update={
        "items": items, "options": options, "copyright": copyright_,
        "stem": pack.stem or instrument.stem,
    })


def load_text_pack(instrument: Instrument, path: Path) -> Instrument:
    """Read ``path`` and apply it to ``instrument`` (see :func:`apply_text_pack`)."""
    return apply_text_pack(instrument, read_text_pack(path), where=str(path))


def pack_as_dict(pack: TextPack) -> dict[str, Any]:
    """A pack as plain data, e.g. to write an example file."""
    return pack.model_dump(exclude_none=True)
