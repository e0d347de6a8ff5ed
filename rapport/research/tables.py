"""Writing a table as CSV, Parquet or JSONL in one go (temporary file, then rename)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def write_table(frame: pd.DataFrame, path: Path, *, raw_csv: bool = False) -> None:
    """Write ``frame`` by the ending of ``path`` (.csv, .parquet or .jsonl); a CSV's
    formula-like cells are neutralised (:mod:`rapport.csv_safety`) unless ``raw_csv``."""
    from rapport.csv_safety import neutralise_frame
    from rapport.pipeline import write_atomically

    suffix = path.suffix.lower()
    if suffix == ".csv":
        cells = frame if raw_csv else neutralise_frame(frame)
        write_atomically(path, cells.to_csv(index=False))
    elif suffix == ".jsonl":
        # pandas rounds to 10 digits unless told; 15 is its maximum
        write_atomically(path, frame.to_json(orient="records", lines=True, force_ascii=False,
                                             double_precision=15))
    elif suffix == ".parquet":
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        write_atomically(path, buffer.getvalue())
    else:
        msg = f"no writer for {suffix!r}"
        raise ValueError(msg)
