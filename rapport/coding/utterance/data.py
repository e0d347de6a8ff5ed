"""AnnoMI as training data: one row per utterance, one label column per code family.

The repo copy in ``data/annomi/`` is the only training source. Pitfalls handled here (see
``data/annomi/README.md``): the multi-annotated transcripts (ids 7, 55, 66) appear once per
annotator in AnnoMI-full and are reduced to one row per utterance; sub-behaviour labels
come from AnnoMI-full and, for those transcripts, from the majority of the annotators
who agreed with the main label; splits must group by ``video_url``.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rapport.coding.utterance.families import FAMILIES

if TYPE_CHECKING:
    import pandas as pd

#: Repository root (``data/annomi`` lives beside the package in a source checkout).
DATA_DIR = Path(__file__).resolve().parents[3] / "data" / "annomi"
FILES = ("AnnoMI-simple.csv", "AnnoMI-full.csv")
MULTI_ANNOTATED = (7, 55, 66)
_MAIN = {"question": "question", "reflection": "reflection", "therapist_input": "input",
         "other": "other"}
_SUB_COLUMNS = {"question_type": "question_subtype", "reflection_type": "reflection_subtype",
                "input_type": "therapist_input_subtype"}
LABEL_COLUMNS = tuple(f.name for f in FAMILIES)


def data_sha256(data_dir: Path = DATA_DIR) -> str:
    """One hash over both CSV files: recorded in every model trained from them."""
    digest = hashlib.sha256()
    for name in FILES:
        digest.update(name.encode())
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def _clean(value: object) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _majority(values: list[str | None]) -> str | None:
    """Most frequent non-missing value; ties go to the alphabetically first (determinism)."""
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    best = max(counts.values())
    return sorted(v for v, c in counts.items() if c == best)[0]


def load_annomi(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """One row per utterance in transcript order, with a label column per family.

    Columns: ``transcript_id, utterance_id, video_url, role, text`` and one column per
    family in :data:`LABEL_COLUMNS` (``None`` where the family does not apply).
    """
    import pandas as pd

    simple = pd.read_csv(data_dir / FILES[0])
    full = pd.read_csv(data_dir / FILES[1])
    simple = simple.sort_values(["transcript_id", "utterance_id"], kind="stable")
    by_utterance: dict[tuple[int, int], list[dict[Any, Any]]] = {}
    for r in full.to_dict("records"):
        by_utterance.setdefault((int(r["transcript_id"]), int(r["utterance_id"])), []).append(r)
    subs = {key: {fam: _majority([_clean(r[col]) for r in rows
                                  if _MAIN.get(str(_clean(r["main_therapist_behaviour"])))
                                  == _parent_label(fam)])
                  for fam, col in _SUB_COLUMNS.items()}
            for key, rows in by_utterance.items()}
    records = []
    for row in simple.to_dict("records"):
        role = str(row["interlocutor"])
        main = _MAIN.get(str(_clean(row["main_therapist_behaviour"]))) \
            if role == "therapist" else None
        sub = subs.get((int(row["transcript_id"]), int(row["utterance_id"])), {})
        rec: dict[str, object] = {
            "transcript_id": int(row["transcript_id"]),
            "utterance_id": int(row["utterance_id"]), "video_url": str(row["video_url"]),
            "role": role, "text": str(row["utterance_text"]), "therapist_behaviour": main,
            "client_talk": _clean(row["client_talk_type"]) if role == "client" else None}
        for fam in _SUB_COLUMNS:
            rec[fam] = sub.get(fam) if main == _parent_label(fam) else None
        records.append(rec)
    return pd.DataFrame.from_records(records)


def _parent_label(family: str) -> str:
    return {"question_type": "question", "reflection_type": "reflection",
            "input_type": "input"}[family]


def annotator_labels(family: str, data_dir: Path = DATA_DIR
                     ) -> dict[tuple[int, int], dict[int, str]]:
    """Every annotator's label per utterance of the multi-annotated transcripts.

    For a sub-family an annotator contributes a label only where their own main label is
    the parent (a missing value otherwise), which is what AnnoMI's coders saw.
    """
    import pandas as pd

    full = pd.read_csv(data_dir / FILES[1])
    full = full[full["transcript_id"].isin(MULTI_ANNOTATED)]
    out: dict[tuple[int, int], dict[int, str]] = {}
    for row in full.to_dict("records"):
        label: str | None
        main = _MAIN.get(str(_clean(row["main_therapist_behaviour"])))
        if family == "therapist_behaviour":
            label = main if row["interlocutor"] == "therapist" else None
        elif family == "client_talk":
            label = _clean(row["client_talk_type"]) if row["interlocutor"] == "client" else None
        else:
            label = _clean(row[_SUB_COLUMNS[family]]) if main == _parent_label(family) else None
        if label is not None:
            key = (int(row["transcript_id"]), int(row["utterance_id"]))
            out.setdefault(key, {})[int(row["annotator_id"])] = label
    return out
