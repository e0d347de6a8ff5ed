"""The risk data: project-written items with their gold labels (``data/risk/``).

An item is one client turn with up to three earlier turns and the therapist's reply.
``load_items(folder)`` reads ``items.jsonl`` with ``gold.jsonl`` (the evaluation set, or a
development set once reconciled); development sets may use ``intent.jsonl`` until then.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from rapport.errors import RapportInputError
from rapport.risk.codes import RISK_CODES

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "risk"
EVAL_DIR = DATA_DIR / "eval"
DEV_DIRS = tuple(sorted(DATA_DIR.glob("dev*"))) if DATA_DIR.exists() else ()
STATES = ("urgent", "history")
RESPONSES = ("asked_directly", "explored", "moved_on", "none")


@dataclass(frozen=True)
class RiskItem:
    """One client turn, what led to it, the reply, and its gold coding."""

    id: str
    client: str
    context: tuple[tuple[str, str], ...] = ()
    reply: str | None = None
    codes: frozenset[str] = field(default_factory=frozenset)
    state: str | None = None
    response: str | None = None
    evidence: str | None = None
    group: str = ""

    @property
    def previous(self) -> str:
        """The last earlier turn by the therapist ("" when none)."""
        return next((text for who, text in reversed(self.context) if who == "T"), "")


def _labels(folder: Path) -> Path:
    for name in ("gold.jsonl", "intent.jsonl"):
        if (folder / name).exists():
            return folder / name
    raise RapportInputError("no gold.jsonl or intent.jsonl", where=str(folder),
                            fix="see data/risk/README.md")


def load_items(folder: Path) -> list[RiskItem]:
    """Items of one folder with their labels (gold if present, else the writer's intent)."""
    labels = {j["id"]: j for j in map(json.loads, _labels(folder).read_text("utf-8")
                                      .splitlines())}
    out = []
    for line in (folder / "items.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        gold = labels[item["id"]]
        unknown = set(gold["codes"]) - set(RISK_CODES)
        if unknown:
            raise RapportInputError(f"unknown code {sorted(unknown)[0]!r}",
                                    where=f"{folder}, {item['id']}", fix="see codebook.md")
        out.append(RiskItem(
            id=item["id"], client=item["client"], reply=item.get("reply"),
            context=tuple((c["speaker"], c["text"]) for c in item.get("context", ())),
            codes=frozenset(gold["codes"]), state=gold.get("state"),
            response=gold.get("response"), evidence=gold.get("evidence"),
            group=folder.name))
    return out


def data_sha256(folders: list[Path]) -> str:
    """One digest over the files a model was trained on (recorded in the model)."""
    digest = hashlib.sha256()
    for folder in sorted(folders):
        for name in ("items.jsonl", _labels(folder).name):
            digest.update((folder / name).read_bytes())
    return digest.hexdigest()
