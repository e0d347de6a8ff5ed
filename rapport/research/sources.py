"""Coded sessions for an export: from transcripts (coded here) or from a code table.

A code table (``rapport code`` output, or a human coding in the same layout) is turned
back into sessions and codes so that both sources go through one de-identification and
one writer: the export never depends on where the codes came from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from rapport.domain import (
    Code,
    CodedSession,
    CodeFamily,
    Role,
    Session,
    Speaker,
    Turn,
    TurnCodes,
    is_backchannel,
)
from rapport.errors import RapportInputError
from rapport.research.codings import code_columns, label_of, normalise_keys, read_table

if TYPE_CHECKING:
    import pandas as pd

#: Columns a code table must have to be exported (codes are optional).
REQUIRED_COLUMNS = ("session_id", "turn_index", "role", "speaker", "text")
#: ``Code.source`` of codes read back from a table that does not say who made them.
IMPORTED_SOURCE = "code-table"


@dataclass(frozen=True)
class CodedCorpus:
    """Coded sessions plus the families (column order) and models that coded them."""

    coded: list[CodedSession]
    families: tuple[CodeFamily, ...]
    models: tuple[str, ...]


def from_transcripts(paths: Sequence[Path], *, therapist: Sequence[str] = (),
                     client: Sequence[str] = (), other: Sequence[str] = (),
                     roles_file: Path | None = None,
                     fmt: str | None = None, encoding: str | None = None,
                     preset: str | None = None) -> tuple[CodedCorpus, list[str]]:
    """Read and code transcripts exactly as ``rapport code`` does; returns warnings too."""
    from rapport.ingest import all_warnings, read_sessions, role_map
    from rapport.pipeline import AnalyzeOptions, all_families, code_sessions
    from rapport.settings import get_settings

    roles = role_map(list(therapist), list(client), list(other), roles_file)
    read = read_sessions(paths, roles=roles, fmt=fmt, encoding=encoding)
    coders = AnalyzeOptions.from_settings(get_settings(), preset=preset).load_coders()
    coded = code_sessions([r.session for r in read], coders)
    return CodedCorpus(coded=coded, families=all_families(coders),
                       models=tuple(c.model_id for c in coders)), all_warnings(read)


def _families(frame: pd.DataFrame) -> tuple[CodeFamily, ...]:
    out = []
    for column in code_columns(frame):
        labels = sorted({v for v in map(label_of, frame[column].tolist()) if v is not None})
        if column.startswith("code_"):
            out.append(CodeFamily(name=column.removeprefix("code_"), kind="multi"))
        else:
            out.append(CodeFamily(name=column, kind="single", labels=tuple(labels)))
    return tuple(out)


def _confidence(row: dict[str, object], column: str) -> float:
    value = row.get(f"{column}_confidence")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return number if 0.0 <= number <= 1.0 else 1.0  # NaN or out of range: none given


def _turn_codes(session_id: str, index: int, row: dict[str, object],
                families: Sequence[CodeFamily], where: str) -> TurnCodes:
    codes = []
    for fam in families:
        column = fam.columns[0]
        label = label_of(row[column])
        if label is None:
            continue
        confidence = _confidence(row, column)
        if fam.kind == "multi":
            if label not in {"0", "1"}:
                raise RapportInputError(f"{column} is {label!r}, not 0 or 1", where=where,
                                        fix="multi-label code columns (code_*) hold 0 or 1",
                                        code="bad_code")
            applies = label == "1"
            codes.append(Code(name=fam.name, value=applies, source=IMPORTED_SOURCE,
                              confidence=confidence if applies else 1 - confidence))
        else:
            codes.append(Code(name=fam.name, value=label, confidence=confidence,
                              source=IMPORTED_SOURCE))
    return TurnCodes(session_id=session_id, turn_index=index, codes=tuple(codes))


def _time(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _session(session_id: str, rows: list[dict[str, object]],
             families: Sequence[CodeFamily], where: str) -> CodedSession:
    rows = sorted(rows, key=lambda r: int(r["turn_index"]))  # type: ignore[call-overload]
    indices = [int(r["turn_index"]) for r in rows]  # type: ignore[call-overload]
    if indices != list(range(len(rows))):
        raise RapportInputError(f"session {session_id!r}: turn_index runs {indices[0]}.."
                                f"{indices[-1]} over {len(rows)} rows", where=where,
                                fix="export whole sessions: turn_index 0, 1, 2, ... without "
                                "gaps", code="bad_keys")
    speakers: dict[str, Role] = {}
    turns = []
    try:
        for r in rows:
            role = Role(str(r["role"]).strip().lower())
            name = str(r["speaker"])
            speakers.setdefault(name, role)
            text = "" if label_of(r["text"]) is None else str(r["text"])
            turns.append(Turn(index=int(r["turn_index"]),  # type: ignore[call-overload]
                              speaker=name, role=role, text=text, start=_time(r.get("start")),
                              end=_time(r.get("end")), backchannel=is_backchannel(text)))
        session = Session(id=session_id, turns=tuple(turns),
                          speakers=tuple(Speaker(name=n, role=ro) for n, ro in speakers.items()))
    except (ValueError, ValidationError) as exc:
        first = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        raise RapportInputError(f"session {session_id!r}: {first}", where=where,
                                fix="role is therapist, client or other; each speaker keeps "
                                "one role; end is not before start", code="bad_session"
                                ) from None
    codes = tuple(_turn_codes(session_id, t.index, r, families, where)
                  for t, r in zip(turns, rows, strict=True))
    return CodedSession(session=session, codes=codes, families=tuple(families))


def from_code_table(path: Path) -> CodedCorpus:
    """Sessions and codes back from a code table (whole sessions, turn text included)."""
    where = str(path)
    frame = read_table(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise RapportInputError(f"missing column(s) {', '.join(missing)}", where=where,
                                fix="export a table written by `rapport code` (it has "
                                + ", ".join(REQUIRED_COLUMNS) + ")", code="missing_columns")
    frame = normalise_keys(frame, where)
    families = _families(frame)
    by_session: dict[str, list[dict[str, object]]] = {}
    for row in frame.to_dict("records"):
        by_session.setdefault(str(row["session_id"]), []).append(
            {str(k): v for k, v in row.items()})
    coded = [_session(sid, rows, families, where) for sid, rows in by_session.items()]
    return CodedCorpus(coded=coded, families=families, models=())
