"""The Parquet corpus: many sessions in one table, one row per turn.

Columns (names exact, extra columns ignored):

- ``session_id`` (string, required): the session the turn belongs to.
- ``turn_index`` (integer, required): the turn's position in its session, 0, 1, 2, ...
  Rows may come in any order; a session's turns are put in ``turn_index`` order, which
  must be 0..n-1 without gaps or repeats.
- ``speaker`` (string, required): the speaker label as written.
- ``text`` (string, required): what was said.
- ``role`` (string, optional): therapist, client or other; empty or missing lets the
  role words and the ``--therapist``/``--client-speaker`` flags decide, as for CSV.
- ``start``, ``end`` (numbers, optional): seconds from the start of the session.

The sessions go through the same checks as every other format
(:func:`rapport.ingest.assemble.assemble`): empty turns, times, limits, language guess.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapport.domain import Role
from rapport.errors import RapportInputError
from rapport.ingest.api import ImportResult, RoleMap
from rapport.settings import Settings

REQUIRED = ("session_id", "turn_index", "speaker", "text")
OPTIONAL = ("role", "start", "end")
_FIX = ("a Parquet corpus has one row per turn with the columns session_id, turn_index, "
        "speaker, text (optional: role, start, end); see docs/research.md")


def _read(path: Path, columns: Sequence[str], filters: Any = None) -> Any:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not path.exists():
        raise RapportInputError("file not found", where=str(path),
                                fix="check the path (and quote names with spaces)",
                                code="not_found")
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        raise RapportInputError(f"not a readable Parquet file ({type(exc).__name__})",
                                where=str(path), fix=_FIX, code="bad_parquet") from None
    missing = [c for c in REQUIRED if c in columns and c not in schema.names]
    if missing:
        raise RapportInputError(f"missing column(s) {', '.join(missing)}", where=str(path),
                                fix=_FIX, code="missing_columns")
    present = [c for c in columns if c in schema.names]
    try:
        return pq.read_table(path, columns=present, filters=filters)
    except (pa.ArrowException, OSError) as exc:
        raise RapportInputError(f"Parquet file could not be read ({type(exc).__name__})",
                                where=str(path), fix=_FIX, code="bad_parquet") from None


def corpus_session_ids(path: Path) -> list[str]:
    """Session ids in order of first appearance (reads only that column)."""
    table = _read(path, ["session_id"])
    ids = table.column("session_id").to_pylist()
    if any(not isinstance(i, str) or not i.strip() for i in ids):
        raise RapportInputError("a row has an empty or non-text session_id", where=str(path),
                                fix="fill in session_id as text on every row",
                                code="bad_parquet")
    return list(dict.fromkeys(ids))


def _text(value: object, column: str, where: str) -> str:
    if not isinstance(value, str):
        raise RapportInputError(f"{column} is {type(value).__name__}, not text", where=where,
                                fix=_FIX, code="bad_parquet")
    return value


def _seconds(value: object, column: str, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not math.isfinite(value) or value < 0:
        raise RapportInputError(f"{column} is not a number of seconds >= 0", where=where,
                                fix="give times in seconds, or leave them empty",
                                code="bad_time")
    return float(value)


def read_corpus(path: Path, *, roles: RoleMap, settings: Settings,
                session_ids: Sequence[str] = ()) -> ImportResult:
    """The sessions of a Parquet corpus (only ``session_ids`` when given), in corpus order."""
    from rapport.ingest.assemble import assemble
    from rapport.ingest.raw import Context, RawSession, RawTurn
    from rapport.ingest.roles import role_word

    filters = [("session_id", "in", list(session_ids))] if session_ids else None
    table = _read(path, [*REQUIRED, *OPTIONAL], filters)
    ctx = Context(name=path.name, where=str(path), roles=roles, settings=settings)
    order = list(session_ids) or corpus_session_ids(path)
    rows: dict[str, list[dict[str, Any]]] = {sid: [] for sid in order}
    for row in table.to_pylist():
        if row["session_id"] in rows:
            rows[row["session_id"]].append(row)
    raws: list[RawSession] = []
    for sid, turns in rows.items():
        raw = RawSession(own_id=sid)
        turns.sort(key=lambda r: (r["turn_index"] is None, r["turn_index"] or 0))
        for position, row in enumerate(turns):
            place = f"session {sid!r} turn_index {row['turn_index']}"
            if row["turn_index"] != position:
                raise ctx.error(f"session {sid!r}: turn_index should be {position} here",
                                place, fix="number each session's turns 0, 1, 2, ... "
                                "without gaps or repeats", code="bad_index")
            stated = row.get("role") or ""
            role = role_word(_text(stated, "role", ctx.loc(place))) if stated else None
            if stated and role is None:
                if stated.casefold() != "other":
                    raise ctx.error(f"role {stated!r} is not therapist, client or other",
                                    place, fix="use therapist, client or other",
                                    code="bad_parquet")
                role = Role.OTHER
            speaker = " ".join(_text(row["speaker"], "speaker", ctx.loc(place)).split())
            raw.add(RawTurn(speaker, _text(row["text"], "text", ctx.loc(place)).strip(),
                            place, _seconds(row.get("start"), "start", ctx.loc(place)),
                            _seconds(row.get("end"), "end", ctx.loc(place)), role), ctx)
        raws.append(raw)
    done = assemble(raws, "parquet", ctx)
    return ImportResult(sessions=done.sessions, format="parquet", warnings=done.warnings,
                        per_session=done.per_session, general=done.general,
                        unmatched_flags=done.unmatched_flags)
