"""Reading untrusted JSON: syntax errors located, hostile nesting and NaN refused."""

from __future__ import annotations

import json
from typing import Any, NoReturn

from rapport.ingest.raw import Context


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a number JSON allows")


def load_json(text: str, ctx: Context, line: int | None = None) -> Any:
    """Parse JSON text; any problem becomes one input error naming the line."""
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = exc.lineno if line is None else line
        raise ctx.error(f"invalid JSON: {exc.msg} (column {exc.colno})", where,
                        fix="repair the JSON (a missing comma or quote?)",
                        code="bad_json") from None
    except RecursionError:
        # the C decoder counts its depth against the interpreter's recursion limit and
        # stops cleanly, so hostile nesting costs nothing and cannot crash us
        raise ctx.error("JSON nested too deeply to be a transcript", line,
                        fix="check the file: Rapport reads Whisper JSON and Rapport JSONL",
                        code="bad_json") from None
    except ValueError as exc:
        raise ctx.error(f"invalid JSON: {exc}", line, fix="repair the JSON",
                        code="bad_json") from None


def type_name(value: object) -> str:
    """JSON's name for a value's type, for messages."""
    names = {dict: "object", list: "array", str: "string", bool: "true/false",
             int: "number", float: "number", type(None): "null"}
    return names.get(type(value), type(value).__name__)
