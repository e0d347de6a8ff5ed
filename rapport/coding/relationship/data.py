"""The project-written relationship data: rows of ``{id, role, previous, text, codes}``.

Written by the project for the first relationship coder. Since the coder learns from the
real-talk gold (``data/realtalk/``), ``train.jsonl`` adds rows only for codes too rare in
real talk, and ``eval.jsonl`` (frozen, ``data/relationship/FROZEN.md``) is kept for
comparison with that first coder; it no longer counts as evaluation.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rapport.coding.relationship.codes import CODES_BY_ROLE, LEGACY_NAMES
from rapport.domain import Role
from rapport.errors import RapportInputError

#: Where the labelled data lives in a source checkout (it is not shipped in the wheel).
DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "relationship"
TRAIN_FILE = DATA_DIR / "train.jsonl"
EVAL_FILE = DATA_DIR / "eval.jsonl"


@dataclass(frozen=True)
class Example:
    """One labelled utterance with the turn it answers."""

    id: str
    role: str
    previous: str
    text: str
    codes: tuple[str, ...]


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (recorded in saved models and in FROZEN.md)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _example(row: object, where: str) -> Example:
    if not isinstance(row, dict):
        raise RapportInputError("each line must be a JSON object", where=where,
                                fix='write {"id", "role", "previous", "text", "codes"}')
    missing = {"id", "role", "previous", "text", "codes"} - row.keys()
    if missing:
        raise RapportInputError(f"missing field(s) {sorted(missing)}", where=where,
                                fix='write {"id", "role", "previous", "text", "codes"}')
    if row["role"] not in ("therapist", "client"):
        raise RapportInputError(f"unknown role {row['role']!r}", where=where,
                                fix="use 'therapist' or 'client'")
    allowed = CODES_BY_ROLE[Role(row["role"])]
    codes = row["codes"]
    if isinstance(codes, list):  # the written examples predate the codebook's names
        codes = [LEGACY_NAMES.get(c, c) for c in codes]
    if not isinstance(codes, list) or any(c not in allowed for c in codes):
        raise RapportInputError(f"codes {codes!r} are not all {row['role']} codes",
                                where=where, fix="use only: " + ", ".join(allowed))
    return Example(id=str(row["id"]), role=row["role"], previous=str(row["previous"]),
                   text=str(row["text"]), codes=tuple(codes))


def load_examples(path: Path) -> list[Example]:
    """Read and validate a JSONL data file; any bad line is a :class:`RapportInputError`."""
    if not path.is_file():
        raise RapportInputError("data file not found", where=str(path),
                                fix="run from a source checkout that has data/relationship/")
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RapportInputError(f"not valid JSON ({exc.msg})", where=where,
                                    fix="write one JSON object per line") from exc
        out.append(_example(row, where))
    return out
