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

from rapport.csv_safety import neutralise_cell
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


def corrections_csv(session_id: str,
                    analyses: Sequence[tuple[int, dict[str, Any], Sequence[Correction]]]
                    ) -> str:
    """``analyses``: (analysis id, its document, its corrections), oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for analysis_id, document, corrections in analyses:
        for c in corrections:
            # A spreadsheet must not run a value as a formula (CSV injection).
            writer.writerow([neutralise_cell(session_id), analysis_id, c.turn_index,
                             neutralise_cell(c.code_name),
                             neutralise_cell(model_value(document, c.turn_index, c.code_name)),
                             neutralise_cell(c.value), neutralise_cell(c.user),
                             c.at.isoformat()])
    return out.getvalue()
