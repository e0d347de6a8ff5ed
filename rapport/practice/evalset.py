"""The practice room's evaluation data: replies, independent coding passes, the gold.

Files live in ``data/practice/`` (see its README): ``eval/replies.jsonl`` (frozen, hash
checked in ``FROZEN.md``), ``eval/pass-a.jsonl`` and ``eval/pass-b.jsonl`` (two independent
coders who saw only the codebook, the drill and the reply), ``eval/gold.jsonl`` (the
adjudicated verdicts and codes) and ``dev/`` (replies for building the judge, one pass).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapport.coding.agreement import cohen_kappa
from rapport.errors import RapportInputError
from rapport.practice.judgement import PRACTICE_CODES, VERDICTS


@dataclass(frozen=True)
class Reply:
    id: str
    drill_id: str
    reply: str


@dataclass(frozen=True)
class Coding:
    """One coder's (or the gold's) reading of one reply."""

    id: str
    verdict: str
    codes: frozenset[str]
    reason: str = ""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _lines(path: Path) -> Iterable[tuple[int, dict[str, object]]]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RapportInputError(f"not JSON ({exc.msg})", where=f"{path}:{number}",
                                    fix="one JSON object per line") from None
        if not isinstance(row, dict):
            raise RapportInputError("each line must be a JSON object", where=f"{path}:{number}",
                                    fix="one JSON object per line")
        yield number, row


def load_replies(path: Path) -> list[Reply]:
    replies = []
    for number, row in _lines(path):
        try:
            replies.append(Reply(str(row["id"]), str(row["drill_id"]), str(row["reply"])))
        except KeyError as exc:
            raise RapportInputError(f"missing field {exc.args[0]!r}", where=f"{path}:{number}",
                                    fix="each reply needs id, drill_id and reply") from None
    return replies


def load_codings(path: Path) -> dict[str, Coding]:
    codings: dict[str, Coding] = {}
    for number, row in _lines(path):
        where = f"{path}:{number}"
        verdict, codes = row.get("verdict"), row.get("codes", [])
        if verdict not in VERDICTS:
            raise RapportInputError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)}",
                                    where=where, fix="use met, partly or not_met")
        if not isinstance(codes, list) or not set(codes) <= set(PRACTICE_CODES):
            unknown = sorted(set(codes) - set(PRACTICE_CODES)) if isinstance(codes, list) else codes
            raise RapportInputError(f"codes outside the codebook: {unknown}", where=where,
                                    fix="use only the codes of docs/practice-codebook.md")
        key = str(row.get("id"))
        if key in codings:
            raise RapportInputError(f"reply {key!r} coded twice", where=where,
                                    fix="keep one line per reply")
        codings[key] = Coding(key, str(verdict), frozenset(str(c) for c in codes),
                              str(row.get("reason", "")))
    return codings


@dataclass(frozen=True)
class Agreement:
    units: int
    verdict_agreement: float
    verdict_kappa: float
    code_kappa: dict[str, tuple[int, int, float]]  # code -> (count in a, count in b, kappa)


def agreement(a: dict[str, Coding], b: dict[str, Coding],
              ids: Sequence[str] | None = None) -> Agreement:
    """Agreement of two codings over the replies both coded (or over ``ids``)."""
    keys = [k for k in (ids if ids is not None else sorted(a)) if k in a and k in b]
    va = [a[k].verdict for k in keys]
    vb = [b[k].verdict for k in keys]
    same = sum(x == y for x, y in zip(va, vb, strict=True))
    per_code: dict[str, tuple[int, int, float]] = {}
    for code in PRACTICE_CODES:
        ca = [code in a[k].codes for k in keys]
        cb = [code in b[k].codes for k in keys]
        per_code[code] = (sum(ca), sum(cb), cohen_kappa(ca, cb))
    return Agreement(len(keys), same / len(keys) if keys else 0.0, cohen_kappa(va, vb), per_code)
