"""The ``rapport code`` table: one row per turn, one column pair per code family.

Columns: ``session_id, turn_index, role, speaker, text, start, end``, then for each
single-label family ``<family>`` and ``<family>_confidence``, and for each multi-label
code ``code_<name>`` (0/1) and ``code_<name>_confidence``; a rating-scale family
(``numeric``, the empathy ratings) holds numbers. A cell is empty where the family does
not apply (client families on therapist turns, ``question_type`` on a turn that is not a
question). See ``docs/formats.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rapport.domain import CodedSession, CodeFamily

if TYPE_CHECKING:
    import pandas as pd

BASE_COLUMNS = ("session_id", "turn_index", "role", "speaker", "text", "start", "end")


def code_columns(families: Sequence[CodeFamily]) -> list[str]:
    return [col for f in families for col in f.columns]


def code_table(coded: Sequence[CodedSession], families: Sequence[CodeFamily]
               ) -> pd.DataFrame:
    """Build the table for many coded sessions (families give the column order)."""
    import pandas as pd

    rows = []
    for cs in coded:
        for turn, tc in zip(cs.session.turns, cs.codes, strict=True):
            row: dict[str, object] = {
                "session_id": cs.session.id, "turn_index": turn.index,
                "role": turn.role.value, "speaker": turn.speaker, "text": turn.text,
                "start": turn.start, "end": turn.end}
            for fam in families:
                label_col, conf_col = fam.columns
                code = tc.get(fam.name)
                if code is None:
                    row[label_col] = None
                    row[conf_col] = None
                elif fam.kind == "multi":
                    row[label_col] = int(bool(code.value))
                    # confidence is the probability that the code applies
                    row[conf_col] = code.confidence if code.value else 1 - code.confidence
                else:
                    row[label_col] = float(code.value) if fam.numeric else code.value
                    row[conf_col] = code.confidence
            rows.append(row)
    frame = pd.DataFrame(rows, columns=[*BASE_COLUMNS, *code_columns(families)])
    types: dict[str, str] = {"start": "float64", "end": "float64", "turn_index": "int64"}
    for fam in families:
        label_col, conf_col = fam.columns
        types[conf_col] = "float64"
        types[label_col] = ("Int64" if fam.kind == "multi"
                            else "Float64" if fam.numeric else "string")
    return frame.astype(types)
