"""The three output tables of ``rapport batch`` and how their parts are written.

``DIR/<table>/part-XXXXX.parquet`` for the tables ``utterances`` (exactly the columns of
``rapport code``, :mod:`rapport.pipeline.table`), ``sessions`` (one row per session: its
metadata as a JSON object, its profile metrics, the models and the Rapport version) and
``errors`` (inputs skipped and warnings). Every part of a table has the same schema,
also when it has no rows, so any Parquet reader can read a table's folder as one table.

A part is written to a hidden temporary file in its folder and renamed into place
(readers skip names starting with "."); the ``sessions`` part is renamed last, so a
partition is finished exactly when all three of its parts exist.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rapport.domain import CodedSession

if TYPE_CHECKING:
    import pandas as pd

#: Table folders, in the order their parts are renamed into place (``sessions`` last).
TABLES = ("errors", "utterances", "sessions")
SESSION_BASE = ("session_id", "input", "language", "date", "metadata", "turns", "words")
SESSION_TAIL = ("preset", "models", "rapport_version")
ERROR_COLUMNS = ("partition", "input", "level", "code", "message")


def part_path(out: Path, table: str, name: str) -> Path:
    return out / table / f"{name}.parquet"


def is_finished(out: Path, name: str) -> bool:
    return all(part_path(out, table, name).exists() for table in TABLES)


@functools.cache
def metric_keys() -> tuple[str, ...]:
    """The profile metrics every session row carries, in report order.

    The report sections produce the same flat ``metrics`` keys for every session (a
    metric that cannot be computed is ``None``, not absent); they are read once from a
    two-turn session so that a partition with no sessions still writes every column.
    """
    from rapport.domain import Session, TurnCodes
    from rapport.pipeline import analyze_coded

    probe = Session.build("probe", [("T", "therapist", "How are you?"),
                                    ("C", "client", "Fine.")])
    codes = tuple(TurnCodes(session_id="probe", turn_index=t.index) for t in probe.turns)
    doc = analyze_coded(CodedSession(session=probe, codes=codes)).document
    return tuple(doc.metrics)


def session_table(coded: Sequence[CodedSession], inputs: Sequence[str], preset: str
                  ) -> pd.DataFrame:
    """One row per session: identity, size, every profile metric, models and version."""
    import pandas as pd

    from rapport import __version__
    from rapport.pipeline import analyze_coded

    keys = metric_keys()
    rows = []
    for cs, source in zip(coded, inputs, strict=True):
        metrics = analyze_coded(cs).document.metrics
        session = cs.session
        rows.append({
            "session_id": session.id, "input": source, "language": session.language,
            "date": session.date.isoformat() if session.date else None,
            "metadata": json.dumps(session.metadata, ensure_ascii=False, sort_keys=True),
            "turns": len(session.turns), "words": sum(t.words for t in session.turns),
            **{k: metrics.get(k) for k in keys},
            "preset": preset, "models": " ".join(cs.models), "rapport_version": __version__,
        })
    frame = pd.DataFrame(rows, columns=[*SESSION_BASE, *keys, *SESSION_TAIL])
    types = dict.fromkeys((*SESSION_BASE, *SESSION_TAIL), "string")
    types |= {"turns": "int64", "words": "int64"} | dict.fromkeys(keys, "float64")
    return frame.astype(types)


def error_table(rows: Sequence[dict[str, object]]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(list(rows), columns=list(ERROR_COLUMNS))
    return frame.astype({"partition": "int64", "input": "string", "level": "string",
                         "code": "string", "message": "string"})


def write_parts(out: Path, name: str, frames: dict[str, pd.DataFrame]) -> None:
    """Write every table's part to a temporary file, then rename them, sessions last."""
    staged: list[tuple[Path, Path]] = []
    try:
        for table in TABLES:
            target = part_path(out, table, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name_tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            os.close(fd)
            staged.append((Path(name_tmp), target))
            frames[table].to_parquet(name_tmp, index=False)
        for tmp, target in staged:
            tmp.replace(target)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)


def remove_stale_temporaries(out: Path) -> None:
    """Temporary parts left by a worker that died while writing."""
    for table in TABLES:
        folder = out / table
        if folder.is_dir():
            for tmp in folder.glob(".part-*.parquet.*"):
                tmp.unlink(missing_ok=True)
