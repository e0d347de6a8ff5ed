"""The bundled instruments (``rapport/measures/instruments/*.yaml``) and user definitions.

>>> phq9 = get_instrument("phq9")
>>> phq9.short_name, len(phq9.items)
('PHQ-9', 9)
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rapport.errors import RapportInputError
from rapport.measures.schema import Instrument

_PACKAGE = "rapport.measures.instruments"
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "top level"
    return f"{where}: {first['msg']}"


def parse_instrument(data: Any, *, where: str) -> Instrument:
    """Validate one definition (already parsed YAML) or raise :class:`RapportInputError`."""
    try:
        return Instrument.model_validate(data)
    except ValidationError as exc:
        raise RapportInputError(f"invalid instrument definition ({_first_error(exc)})",
                                where=where, fix="see the schema in docs/measures.md",
                                code="bad_instrument") from None


def load_instrument_file(path: Path) -> Instrument:
    """Read a user's own definition file (same schema as the bundled ones)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RapportInputError(f"cannot read the definition ({type(exc).__name__})",
                                where=str(path), fix="give a UTF-8 YAML file",
                                code="bad_instrument") from None
    return parse_instrument(data, where=str(path))


@cache
def _bundled() -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    for entry in sorted(resources.files(_PACKAGE).iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            # libyaml's loader, where installed, reads the bundle ~10x faster (CLI start-up)
            data = yaml.load(entry.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506
            instrument = parse_instrument(data, where=f"{_PACKAGE}/{entry.name}")
            found[instrument.id] = instrument
    return found


def list_instruments() -> list[Instrument]:
    """Every bundled instrument, outcome measures first, then screeners, then alliance."""
    order = {"outcome": 0, "screener": 1, "alliance": 2}
    return sorted(_bundled().values(), key=lambda i: (order[i.kind], i.id))


def definition_version(instrument: Instrument) -> str:
    """A short fingerprint of how ``instrument`` scores (wording excluded), stored with each
    response so a later change to a definition is visible.

    >>> len(definition_version(get_instrument("phq9")))
    16
    """
    scoring = instrument.model_dump(mode="json", include={
        "id", "options", "scale", "scoring", "subscales", "missing", "direction"})
    scoring["items"] = [{"id": i.id, "reverse": i.reverse, "risk": i.risk_item}
                        for i in instrument.items]
    digest = hashlib.sha256(repr(sorted(scoring.items())).encode("utf-8")).hexdigest()
    return digest[:16]


def _normalise(name: str) -> str:
    return name.lower().replace("-", "").replace("_", "").replace(" ", "")


@cache
def _by_name() -> dict[str, Instrument]:
    """Normalised id and short name -> instrument (looked up on every stored response)."""
    index: dict[str, Instrument] = {}
    for instrument in reversed(list(_bundled().values())):  # the first match wins
        index[_normalise(instrument.short_name)] = instrument
        index[_normalise(instrument.id)] = instrument
    return index


def get_instrument(name: str) -> Instrument:
    """Look an instrument up by id or short name, forgivingly (``PHQ-9``, ``phq9``)."""
    found = _by_name().get(_normalise(name))
    if found is not None:
        return found
    known = ", ".join(sorted(_bundled()))
    raise RapportInputError(f"unknown instrument {name!r}", where="instrument",
                            fix=f"use one of: {known} (rapport measures list)",
                            code="unknown_instrument")


def shared_items(first: Instrument, second: Instrument) -> list[str]:
    """Item ids of ``first`` that ``second`` asks too: the same LOINC question code, or the
    same wording. The PHQ-2 is PHQ-9 items 1-2 and the GAD-2 GAD-7 items 1-2, so one form
    holding both would ask those questions twice.

    >>> shared_items(get_instrument("phq2"), get_instrument("phq9"))
    ['phq2_1', 'phq2_2']
    >>> shared_items(get_instrument("phq9"), get_instrument("gad7"))
    []
    """
    codes = {item.loinc for item in second.items if item.loinc}
    texts = {_words(item.text) for item in second.items if item.text}
    return [item.id for item in first.items
            if (item.loinc and item.loinc in codes) or (item.text and _words(item.text) in texts)]


def _words(text: str) -> str:
    return " ".join(text.lower().split())
