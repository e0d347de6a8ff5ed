"""A project's codes out: gold JSONL (what ``rapport train relationship --gold`` reads),
CSV or Parquet code tables (what ``rapport reliability`` reads) and ELAN ``.eaf`` (tiers per coder).

Gold JSONL follows ``data/realtalk/gold.jsonl`` (``docs/formats.md``, "Gold codings"): one
record per turn and pass, with ``session``, ``turn``, ``speaker`` (T or C), ``codes``,
``empathy`` and ``pick`` (null here), ``pass`` and ``coder``; each coder's codes are a pass
named ``coder:<user>`` and the gold is the ``adjudicated`` pass. Workbench sessions are not
AnnoMI transcripts, so each record also carries the turn's ``text`` and the session's
``video`` (the group that training keeps within one fold). Only sessions whose every turn
has a gold are written: training reads a turn with the turns before it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from rapport.csv_safety import neutralise_cell
from rapport.workbench.agreement import GOLD, MODEL, binary
from rapport.workbench.state import ProjectState, UnitState

FORMATS = ("gold", "csv", "parquet", "eaf")


def _speaker(role: str) -> str:
    return "T" if role == "therapist" else "C"


def _record(unit: UnitState, turn: dict[str, Any], codes: list[str], pass_name: str,
            coder: str) -> str:
    return json.dumps({
        "session": unit.session_key, "turn": int(turn["index"]),
        "speaker": _speaker(str(turn["role"])), "codes": sorted(codes), "empathy": None,
        "pick": None, "pass": pass_name, "coder": coder, "text": turn["text"],
        "video": unit.session_key}, ensure_ascii=False) + "\n"


def gold_jsonl(state: ProjectState) -> tuple[str, int]:
    """The gold file's text and how many sessions were left out (gold not complete)."""
    lines: list[str] = []
    left_out = 0
    for unit in state.units:
        if not unit.complete:
            left_out += 1
            continue
        for coder, codes in unit.codes.items():
            if all(c is not None for c in codes.values()):
                lines += [_record(unit, t, codes[int(t["index"])] or [], f"coder:{coder}",
                                  f"{coder} (workbench, {'/'.join(sorted(unit.modes))})")
                          for t in unit.turns]
        lines += [_record(unit, t, unit.gold[int(t["index"])] or [], "adjudicated",
                          "workbench adjudication") for t in unit.turns]
    return "".join(lines), left_out


def coding_names(state: ProjectState) -> list[str]:
    return [*state.project.coders, GOLD, MODEL]


def code_table_rows(state: ProjectState, coding: str) -> tuple[list[str], list[list[Any]]]:
    """One coding as a code table: session_id, turn_index, role, speaker, text, then one
    column per code ("1"/"0"; None where the code is not for this speaker or the turn is
    not coded yet)."""
    codings = state.codings()
    if coding not in codings:
        from rapport.errors import RapportInputError

        raise RapportInputError(f"no coding named {coding[:64]!r} in this project",
                                where="--coding", fix="use one of: " + ", ".join(codings),
                                code="bad_coding")
    names = [c.name for c in state.codebook.codes]
    rows: list[list[Any]] = []
    for unit in state.units:
        for turn in unit.turns:
            i = int(turn["index"])
            labels = codings[coding].get((unit.id, i))
            role = str(turn["role"])
            rows.append([unit.session_key, i, role, str(turn["speaker"]), str(turn["text"]),
                         *[binary(labels, c.name) if c.applies_to(role) else None
                           for c in state.codebook.codes]])
    return ["session_id", "turn_index", "role", "speaker", "text", *names], rows


def code_table_csv(state: ProjectState, coding: str) -> str:
    """:func:`code_table_rows` as CSV (formula-like cells neutralised)."""
    header, rows = code_table_rows(state, coding)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([*row[:3], neutralise_cell(row[3]), neutralise_cell(row[4]),
                         *["" if c is None else c for c in row[5:]]])
    return out.getvalue()


def code_table_parquet(state: ProjectState, coding: str) -> bytes:
    """:func:`code_table_rows` as Parquet (what `rapport reliability` also reads)."""
    import pandas as pd

    header, rows = code_table_rows(state, coding)
    frame = pd.DataFrame(rows, columns=header).astype(dict.fromkeys(header[5:], "string"))
    out = io.BytesIO()
    frame.to_parquet(out, index=False)
    return out.getvalue()


@dataclass(frozen=True)
class ExportFile:
    body: str | bytes
    media_type: str
    filename: str
    left_out: int = 0  # gold: sessions left out (not every turn has a gold yet)


def export_file(state: ProjectState, fmt: str, *, coding: str = "gold",
                unit: int | None = None) -> ExportFile:
    """One export of ``state`` as the page and the API answer it (``fmt`` in FORMATS)."""
    from rapport.errors import RapportInputError
    from rapport.workbench.eaf import unit_eaf

    pid = state.project.id
    if fmt == "gold":
        text, left_out = gold_jsonl(state)
        return ExportFile(text, "application/x-ndjson", f"coding-{pid}-gold.jsonl", left_out)
    if fmt == "csv":
        return ExportFile(code_table_csv(state, coding), "text/csv",
                          f"coding-{pid}-{coding}.csv")
    if fmt == "parquet":
        return ExportFile(code_table_parquet(state, coding), "application/vnd.apache.parquet",
                          f"coding-{pid}-{coding}.parquet")
    if fmt == "eaf":
        units = [u for u in state.units if unit is None or u.id == unit]
        if len(units) != 1:
            ids = ", ".join(str(u.id) for u in state.units) or "none you can see"
            raise RapportInputError("choose one session (unit) for EAF", where="unit",
                                    fix=f"use one of: {ids}", code="bad_unit")
        return ExportFile(unit_eaf(state, units[0]), "application/xml",
                          f"coding-{pid}-unit-{units[0].id}.eaf")
    raise RapportInputError(f"unknown format {fmt[:20]!r}", where="format",
                            fix="use " + ", ".join(FORMATS), code="bad_format")
