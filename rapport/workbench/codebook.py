"""Codebooks for the coding workbench: Rapport's relationship codebook or one in YAML.

A codebook names its codes, which speaker's turns each code applies to, whether a turn
takes one code (``single``) or any number (``multi``), and for each code its definition,
decision rules and examples (what a coder reads with the ``?`` key). A custom codebook::

    name: my-scheme
    labels: multi            # or single: each turn gets exactly one code (or none)
    codes:
      - name: reflection
        speaker: therapist   # therapist, client or any
        key: r               # optional: the key that toggles it (default: 1-9, then a-z)
        definition: mirrors what the client said
        rules: ["a question is never a reflection"]
        examples: ["So you felt left out."]

Every problem is one :class:`RapportInputError` naming the place (``codes[2].speaker``),
what is wrong and how to fix it; nothing else escapes the parser.

>>> book = parse_codebook("name: x\\ncodes:\\n  - {name: a, speaker: any, definition: d}\\n")
>>> [c.name for c in book.codes], book.labels
(['a'], 'multi')
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from rapport.errors import RapportInputError

SPEAKERS = ("therapist", "client", "any")
#: Keys a code may not take: the coding screen's own commands.
RESERVED_KEYS = frozenset("jknpuz?")
DEFAULT_KEYS = "123456789abcdefghilmoqrstvwxy"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
BUILTIN = "rapport-relationship"
#: One code per turn naming its utterance families (``rapport train utterance --gold``).
UTTERANCE = "rapport-utterance"
BUILTINS = (BUILTIN, UTTERANCE)


class CodeDef(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    speaker: Literal["therapist", "client", "any"]
    key: str
    definition: str
    rules: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    def applies_to(self, role: str) -> bool:
        return self.speaker in ("any", role)


class Codebook(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    labels: Literal["single", "multi"]
    codes: tuple[CodeDef, ...]

    def code(self, name: str) -> CodeDef:
        return next(c for c in self.codes if c.name == name)

    def codes_for(self, role: str) -> tuple[CodeDef, ...]:
        return tuple(c for c in self.codes if c.applies_to(role))

    def check_labels(self, labels: list[str], role: str) -> list[str]:
        """``labels`` sorted and checked for a turn of ``role``; else one input error."""
        allowed = {c.name for c in self.codes_for(role)}
        unknown = sorted(set(labels) - allowed)
        if unknown:
            raise RapportInputError(f"{unknown[0][:64]!r} is not a code for {role} turns",
                                    where="labels", fix="use one of: " + ", ".join(
                                        sorted(allowed)) if allowed else "leave it empty",
                                    code="bad_code")
        if self.labels == "single" and len(set(labels)) > 1:
            raise RapportInputError("this codebook takes one code per turn", where="labels",
                                    fix="choose one code", code="bad_code")
        return sorted(set(labels))


def _fail(where: str, what: str, fix: str) -> RapportInputError:
    return RapportInputError(what, where=f"codebook: {where}", fix=fix, code="bad_codebook")


def _text(value: Any, where: str, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(where, "must be a non-empty text" if required else "must be a text",
                    "write it as a quoted string")
    return value.strip()


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _fail(where, "must be a list of texts", "write one item per line with '- '")
    return tuple(_text(v, f"{where}[{i}]", required=True) for i, v in enumerate(value))


def _key(raw: dict[str, Any], where: str) -> str | None:
    key = raw.get("key")
    if key is None:
        return None
    if (not isinstance(key, str) or len(key) != 1 or not key.isprintable() or key == " "
            or key.lower() in RESERVED_KEYS):
        raise _fail(f"{where}.key", f"{str(key)[:10]!r} cannot be a key",
                    "one printable character other than " + " ".join(sorted(RESERVED_KEYS)))
    return key


def _code(raw: Any, where: str, key: str) -> CodeDef:
    name = raw.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise _fail(f"{where}.name", f"{str(name)[:40]!r} is not a code name",
                    "lower-case letters, digits and _, starting with a letter (max 64)")
    speaker = raw.get("speaker", "any")
    if speaker not in SPEAKERS:
        raise _fail(f"{where}.speaker", f"{str(speaker)[:40]!r} is not a speaker",
                    "use therapist, client or any")
    return CodeDef(name=name, speaker=speaker, key=key,
                   definition=_text(raw.get("definition"), f"{where}.definition",
                                    required=True),
                   rules=_texts(raw.get("rules"), f"{where}.rules"),
                   examples=_texts(raw.get("examples"), f"{where}.examples"))


def _checked_fields(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _fail(where, "must be a mapping (name:, speaker:, definition:)",
                    "see docs/workbench.md for an example")
    unknown = sorted(set(map(str, raw)) - {"name", "speaker", "key", "definition", "rules",
                                           "examples"})
    if unknown:
        raise _fail(f"{where}.{unknown[0][:40]}", "is not a field of a code",
                    "use name, speaker, key, definition, rules, examples")
    return raw


def codebook_from_data(data: Any) -> Codebook:
    """A codebook from parsed YAML/JSON data; every problem is one input error."""
    if not isinstance(data, dict):
        raise _fail("top level", "must be a mapping with name: and codes:",
                    "see docs/workbench.md for an example")
    unknown = sorted(set(map(str, data)) - {"name", "labels", "codes"})
    if unknown:
        raise _fail(unknown[0][:40], "is not a field of a codebook", "use name, labels, codes")
    name = _text(data.get("name"), "name", required=True)[:120]
    labels = data.get("labels", "multi")
    if labels not in ("single", "multi"):
        raise _fail("labels", f"{str(labels)[:40]!r} is not single or multi",
                    "write labels: single (one code per turn) or labels: multi")
    raw_codes = data.get("codes")
    if not isinstance(raw_codes, list) or not raw_codes:
        raise _fail("codes", "must be a non-empty list of codes",
                    "list the codes under codes:, one '- name: ...' each")
    fields = [_checked_fields(raw, f"codes[{i}]") for i, raw in enumerate(raw_codes)]
    # Keys given in the file first, so a default key never takes one named further down.
    keys: list[str | None] = []
    for i, raw in enumerate(fields):
        key = _key(raw, f"codes[{i}]")
        if key is not None and key in keys:
            raise _fail(f"codes[{i}].key", f"key {key!r} is used by another code",
                        "give each code its own key")
        keys.append(key)
    free = iter(k for k in DEFAULT_KEYS if k not in keys)
    codes: list[CodeDef] = []
    for i, raw in enumerate(fields):
        key = keys[i] or next(free, None)
        if key is None:
            raise _fail(f"codes[{i}].key", "no key is left for this code",
                        "give the codes keys of their own (one character each)")
        code = _code(raw, f"codes[{i}]", key)
        if any(c.name == code.name for c in codes):
            raise _fail(f"codes[{i}].name", f"{code.name!r} appears twice",
                        "give each code one entry")
        codes.append(code)
    return Codebook(name=name, labels=labels, codes=tuple(codes))


def parse_codebook(text: str) -> Codebook:
    """A codebook from YAML text."""
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "YAML"
        raise _fail(where, "is not valid YAML", "check the indentation and quotes") from None
    return codebook_from_data(data)


def relationship_codebook() -> Codebook:
    """Rapport's relationship codebook (the real-talk gold's turn codes, docs/codebook.md)."""
    from rapport.coding.relationship.codes import CLIENT_CODES, THERAPIST_CODES

    codes = [{"name": n, "speaker": "therapist", "definition": d}
             for n, d in THERAPIST_CODES.items()]
    codes += [{"name": n, "speaker": "client", "definition": d} for n, d in CLIENT_CODES.items()]
    return codebook_from_data({"name": BUILTIN, "labels": "multi", "codes": codes})


def utterance_codebook() -> Codebook:
    """Rapport's utterance families as one single-label code per turn
    (``rapport.coding.utterance.gold``), so the gold trains the utterance coder."""
    from rapport.coding.utterance.gold import CODES

    return codebook_from_data({"name": UTTERANCE, "labels": "single", "codes": [
        {"name": n, "speaker": speaker, "definition": d,
         "rules": ["one code per turn; it names the family path "
                   + ", ".join(f"{k}={v}" for k, v in labels.items())]}
        for n, (speaker, d, labels) in CODES.items()]})


def load_codebook(choice: str | None, yaml_text: str | None = None) -> Codebook:
    """A built-in codebook (``choice`` empty: ``rapport-relationship``; or
    ``rapport-utterance``) or ``yaml_text``."""
    if yaml_text and yaml_text.strip():
        return parse_codebook(yaml_text)
    if choice in (None, "", BUILTIN):
        return relationship_codebook()
    if choice == UTTERANCE:
        return utterance_codebook()
    raise _fail("choice", f"{choice[:40]!r} is not a built-in codebook",
                f"use {' or '.join(BUILTINS)}, or give a YAML file")
