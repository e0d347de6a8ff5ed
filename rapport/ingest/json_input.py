"""Reading untrusted JSON: syntax errors located, hostile nesting and NaN refused."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from rapport.ingest.raw import Context

#: Deeper than any file we read needs; deeper input is refused before it can hurt.
MAX_DEPTH = 32


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def _too_deep(text: str) -> bool:
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}":
            depth -= 1
    return False


def load_json(text: str, ctx: Context, line: int | None = None) -> Any:
    """Parse JSON text; any problem becomes one input error naming the line."""
    if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(text):
        raise ctx.error(f"JSON nested more than {MAX_DEPTH} levels deep", line,
                        fix="this is not a transcript Rapport reads; check the file",
                        code="bad_json")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = exc.lineno if line is None else line
        raise ctx.error(f"invalid JSON: {exc.msg} (column {exc.colno})", where,
                        fix="repair the JSON (a missing comma or quote?)",
                        code="bad_json") from None
    except (ValueError, RecursionError) as exc:
        raise ctx.error(f"invalid JSON: {exc}", line, fix="repair the JSON",
                        code="bad_json") from None


def type_name(value: object) -> str:
    """JSON's name for a value's type, for messages."""
    names = {dict: "object", list: "array", str: "string", bool: "true/false",
             int: "number", float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
