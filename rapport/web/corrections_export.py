"""Human code corrections as a de-identified CSV for retraining the coders.

One row per correction: where (session, turn), which code, what the model said, what the
human said, who and when. No transcript text, no evidence phrases, no speaker names: the
rows join to a ``rapport code`` table of the same session by turn index, where the text is
kept under the record's own protection.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from rapport.store.annotations import Correction

COLUMNS = ("session_id", "analysis_id", "turn_index", "code", "model_value", "human_value",
           "who", "when")


def model_value(document: dict[str, Any], turn_index: int, code: str) -> str:
    """The model's value of ``code`` on a turn: a label, ``true``/``false``, or empty
    when the model gave none (the family did not apply)."""
    turns = document.get("turns", [])
    if not 0 <= turn_index < len(turns):
        return ""
    value = turns[turn_index].get("codes", {}).get(code, {}).get("value")
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _cell(value: str) -> str:
    # A spreadsheet must not run a value as a formula (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def corrections_csv(session_id: str,
                    analyses: Sequence[tuple[int, dict[str, Any], Sequence[Correction]]]
                    ) -> str:
    """``analyses``: (analysis id, its document, its corrections), oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for analysis_id, document, corrections in analyses:
        for c in corrections:
            writer.writerow([_cell(session_id), analysis_id, c.turn_index, _cell(c.code_name),
                             _cell(model_value(document, c.turn_index, c.code_name)),
                             _cell(c.value), _cell(c.user), c.at.isoformat()])
    return out.getvalue()
