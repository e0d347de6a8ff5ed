"""Reading two codings of the same utterances and lining them up.

A coding is a code table as ``rapport code`` writes it (``docs/formats.md``, "The code
table"), or any CSV/Parquet/JSONL table with ``session_id``, ``turn_index`` and code
columns; a *session table* (``session_id`` and numeric columns, no ``turn_index``) holds
session-level scores. Every problem a user can fix is one :class:`RapportInputError`
naming the file, what is wrong and what to do; nothing is guessed.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapport.csv_safety import restore_frame
from rapport.errors import RapportInputError
from rapport.pipeline import BASE_COLUMNS, current_column

if TYPE_CHECKING:
    import pandas as pd

TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl")
UTTERANCE_KEYS = ("session_id", "turn_index")
SESSION_KEYS = ("session_id",)
SIDE_A, SIDE_B = "@a", "@b"
#: How many example keys an error message shows.
EXAMPLES = 3


def read_table(path: Path) -> pd.DataFrame:
    """A CSV, Parquet or JSONL table, or a folder of Parquet parts, with ``session_id``."""
    import pandas as pd

    if path.is_dir():
        return _read_parquet_folder(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise RapportInputError(f"cannot read {suffix or 'a file without an ending'} here",
                                where=str(path), fix="give a code table ending in "
                                + ", ".join(TABLE_SUFFIXES), code="bad_extension")
    if not path.is_file():
        raise RapportInputError("no such file", where=str(path),
                                fix="check the path", code="not_found")
    try:
        if suffix == ".csv":
            # A row with more cells than the header is refused: pandas would otherwise turn
            # the extra cells into an index, or (index_col=False) drop them with a warning.
            with warnings.catch_warnings():
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(path, dtype={"session_id": str}, index_col=False)
            # undo the apostrophe Rapport puts before formula-like cells, exactly
            frame = restore_frame(frame)
        elif suffix == ".jsonl":
            frame = pd.read_json(path, lines=True, dtype={"session_id": str})
        else:
            frame = pd.read_parquet(path)
    except (ValueError, OSError, UnicodeDecodeError, pd.errors.ParserError,
            pd.errors.ParserWarning) as exc:
        # The library's message says what it choked on; no cell content is echoed.
        raise RapportInputError(f"not a readable {suffix[1:]} table ({type(exc).__name__})",
                                where=str(path), fix=f"check that the file is {suffix[1:]} "
                                "as written by `rapport code`", code="unreadable") from None
    return _checked(frame, path)


def _read_parquet_folder(path: Path) -> pd.DataFrame:
    """A folder of Parquet parts read as one table (``rapport batch`` writes these)."""
    import pandas as pd

    if not any(p.suffix == ".parquet" and not p.name.startswith((".", "_"))
               for p in path.iterdir()):
        raise RapportInputError("folder holds no .parquet parts", where=str(path),
                                fix="give a code table file, or a folder of Parquet parts "
                                "such as rapport batch's utterances/", code="not_found")
    try:
        frame = pd.read_parquet(path)
    except (ValueError, OSError) as exc:
        raise RapportInputError(f"the Parquet parts do not read as one table "
                                f"({type(exc).__name__})", where=str(path),
                                fix="every part needs the same columns", code="unreadable"
                                ) from None
    return _checked(frame, path)


def _checked(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    # a table written before a code was renamed reads under the current names
    frame = frame.rename(columns={c: current_column(str(c)) for c in frame.columns})
    if "session_id" not in frame.columns:
        raise RapportInputError(
            "no session_id column (found: " + ", ".join(map(str, frame.columns[:12])) + ")",
            where=str(path), fix="a coding needs session_id and turn_index columns "
            "(see docs/formats.md, 'The code table')", code="missing_columns")
    if frame.empty:
        raise RapportInputError("the table has no rows", where=str(path),
                                fix="code at least one utterance", code="empty")
    return frame


def keys_of(frame: pd.DataFrame) -> tuple[str, ...]:
    return UTTERANCE_KEYS if "turn_index" in frame.columns else SESSION_KEYS


def _example_keys(keys: Sequence[tuple[object, ...]]) -> str:
    shown = ", ".join("#".join(map(str, k)) for k in keys[:EXAMPLES])
    return shown + (", ..." if len(keys) > EXAMPLES else "")


def _first_row(mask: pd.Series) -> int:
    """The 1-based data row of the first True (by position: index labels may be anything)."""
    import numpy as np

    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def normalise_keys(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Keys as (text, int); missing, fractional or repeated keys are refused."""
    import pandas as pd

    out = frame.copy()
    if out["session_id"].isna().any():
        row = _first_row(out["session_id"].isna())
        raise RapportInputError("empty session_id", where=f"{where}, row {row}",
                                fix="give every row its session id", code="bad_keys")
    out["session_id"] = out["session_id"].astype(str)
    if "turn_index" in out.columns:
        turn = pd.to_numeric(out["turn_index"], errors="coerce")
        bad = turn.isna() | (turn < 0) | (turn.fillna(0) % 1 != 0)
        if bad.any():
            row = _first_row(bad)
            raise RapportInputError(f"turn_index {out['turn_index'][bad].iloc[0]!r} is not a "
                                    "whole number >= 0", where=f"{where}, row {row}",
                                    fix="turn_index is the 0-based position of the turn in "
                                    "its session", code="bad_keys")
        out["turn_index"] = turn.astype("int64")
    keys = list(keys_of(out))
    repeated = out.duplicated(keys, keep=False)
    if repeated.any():
        examples = list(out.loc[repeated, keys].drop_duplicates().itertuples(index=False,
                                                                              name=None))
        raise RapportInputError(
            f"{len(examples)} key(s) appear more than once ({_example_keys(examples)})",
            where=where, fix="keep one row per " + " and ".join(keys), code="duplicate_keys")
    return out


def code_columns(frame: pd.DataFrame) -> list[str]:
    """Columns holding codes: everything but keys, turn fields and confidences."""
    return [str(c) for c in frame.columns
            if c not in BASE_COLUMNS and not str(c).endswith("_confidence")]


def label_of(value: object) -> str | None:
    """One spelling per label across file types: 1, 1.0 and True are "1"; empty is None."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value).strip()
    if text in {"", "<NA>", "nan", "NaN"}:
        return None
    return text


@dataclass(frozen=True)
class Aligned:
    """The rows both codings cover, side by side (columns suffixed ``@a`` / ``@b``)."""

    joined: pd.DataFrame
    keys: tuple[str, ...]
    only_in_a: int
    only_in_b: int


def align(a: pd.DataFrame, b: pd.DataFrame, *, where_a: str, where_b: str,
          allow_partial: bool) -> Aligned:
    """Join on the keys; refuse codings that do not cover the same units unless partial."""
    keys = keys_of(a)
    if keys != keys_of(b):
        has, lacks = (where_a, where_b) if "turn_index" in a.columns else (where_b, where_a)
        raise RapportInputError(
            f"{has} has a turn_index column but {lacks} does not", where=lacks,
            fix="compare two utterance codings (session_id, turn_index) or two session "
            "tables (session_id only)", code="missing_columns")
    a = normalise_keys(a, where_a)
    b = normalise_keys(b, where_b)
    ka = set(a[list(keys)].itertuples(index=False, name=None))
    kb = set(b[list(keys)].itertuples(index=False, name=None))
    only_a, only_b = sorted(ka - kb), sorted(kb - ka)
    unit = "utterances" if len(keys) == 2 else "sessions"
    if (only_a or only_b) and (not allow_partial or not ka & kb):
        parts = []
        if only_a:
            parts.append(f"{len(only_a)} of the {len(ka)} {unit} in {where_a} are missing "
                         f"from {where_b} (e.g. {_example_keys(list(only_a))})")
        if only_b:
            parts.append(f"{len(only_b)} of the {len(kb)} {unit} in {where_b} are missing "
                         f"from {where_a} (e.g. {_example_keys(list(only_b))})")
        fix = ("code the same sessions in both files, numbered the same way "
               "(session_id and 0-based turn_index)")
        if ka & kb:
            fix += (f", or pass --allow-partial to compare only the {len(ka & kb)} {unit} "
                    "both cover")
        else:
            fix += "; the two files share no " + unit
        raise RapportInputError("the two codings do not cover the same " + unit + ": "
                                + "; ".join(parts), where=f"{where_a} vs {where_b}", fix=fix,
                                code="mismatched_units")
    a = a.rename(columns={c: c + SIDE_A for c in a.columns if c not in keys})
    b = b.rename(columns={c: c + SIDE_B for c in b.columns if c not in keys})
    joined = a.merge(b, on=list(keys), how="inner", sort=True)
    return Aligned(joined=joined, keys=keys, only_in_a=len(only_a), only_in_b=len(only_b))
