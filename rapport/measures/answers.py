"""Reading answers from the command line or a file, before scoring.

Accepted shapes (all rejected whole on any problem, naming the item or position):

* text ``"3,2,1,,0"``: values in item order; an empty value is an unanswered item;
* JSON: a list in item order, an object ``{"phq9_1": 3, ...}``, or ``{"answers": {...}}``;
* CSV: a header row of item ids and one row of values, or two columns ``item,value``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from rapport.errors import RapportInputError
from rapport.measures.schema import Instrument
from rapport.measures.scoring import answers_from_list


def _number(token: str, *, where: str, label: str) -> float | None:
    token = token.strip()
    if not token:
        return None
    try:
        return float(token)
    except ValueError:
        raise RapportInputError(f"answer {label} is {token!r}, not a number", where=where,
                                fix="give numbers only, e.g. --answers 3,2,1", code="bad_answer"
                                ) from None


def parse_answer_text(instrument: Instrument, text: str, *, where: str = "--answers"
                      ) -> dict[str, float | None]:
    """``"3,2,1"`` -> ``{item_1: 3.0, item_2: 2.0, item_3: 1.0}`` in item order."""
    tokens = text.split(",")
    values = [_number(tok, where=where, label=f"{n}") for n, tok in enumerate(tokens, 1)]
    return answers_from_list(instrument, values)


def _from_json(instrument: Instrument, data: Any, where: str) -> dict[str, float | None]:
    if isinstance(data, dict) and set(data) == {"answers"}:
        data = data["answers"]
    if isinstance(data, list):
        return answers_from_list(instrument, [_coerce(v, where, str(n))
                                              for n, v in enumerate(data, 1)])
    if isinstance(data, dict):
        return {str(key): _coerce(value, where, str(key)) for key, value in data.items()}
    raise RapportInputError("answers must be a JSON list or object", where=where,
                            fix='e.g. {"phq9_1": 3, "phq9_2": 1, ...}', code="bad_answer")


def _coerce(value: Any, where: str, label: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise RapportInputError(f"answer {label} is not a number", where=where,
                                fix="give numbers only", code="bad_answer")
    return _number(str(value), where=where, label=label)


def _from_csv(text: str, where: str) -> dict[str, float | None]:
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise RapportInputError("the CSV file is empty", where=where,
                                fix="add a header row of item ids and a row of values",
                                code="bad_answer")
    header = [cell.strip() for cell in rows[0]]
    if [h.lower() for h in header[:2]] == ["item", "value"]:
        return {row[0].strip(): _number(row[1] if len(row) > 1 else "",
                                        where=f"{where}:{n}", label=row[0].strip())
                for n, row in enumerate(rows[1:], 2)}
    if len(rows) != 2:
        raise RapportInputError(f"expected one row of values, found {len(rows) - 1}",
                                where=where, fix="one administration per file", code="bad_answer")
    values = rows[1] + [""] * (len(header) - len(rows[1]))
    return {key: _number(value, where=f"{where}:2", label=key)
            for key, value in zip(header, values, strict=False)}


def read_answers_file(instrument: Instrument, path: Path) -> dict[str, float | None]:
    """Read one administration's answers from a JSON or CSV file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RapportInputError(f"cannot read the answers ({type(exc).__name__})",
                                where=str(path), fix="give a UTF-8 JSON or CSV file",
                                code="bad_answer") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise RapportInputError(f"not valid JSON ({exc})", where=str(path),
                                    fix="check the file's syntax", code="bad_answer") from None
        return _from_json(instrument, data, str(path))
    if path.suffix.lower() == ".csv":
        return _from_csv(text, str(path))
    raise RapportInputError("answers files must end in .json or .csv", where=str(path),
                            fix="rename the file or convert it", code="bad_answer")
