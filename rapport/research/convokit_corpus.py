"""Write coded sessions as a ConvoKit corpus, directly in ConvoKit's on-disk format.

The format (ConvoKit's "Corpus data format" page, and ``convokit/model/corpus_helpers.py``
of ConvoKit 5.0.0, which reads it) is a folder holding:

- ``utterances.jsonl``: one JSON object per line with ``id``, ``speaker``,
  ``conversation_id`` (the id of the conversation's first utterance), ``reply_to`` (the
  previous utterance's id, ``null`` for the first), ``timestamp`` (ConvoKit sorts by it:
  here the turn's start in seconds, or its index when the session lacks times), ``text``,
  ``meta`` and ``vectors``;
- ``speakers.json`` and ``conversations.json``: ``{id: {"meta": {...}, "vectors": []}}``;
- ``corpus.json``: the corpus-level meta;
- ``index.json``: per object type, each meta key with the Python type names of its values
  (``"<class 'str'>"``; ``[]`` for a key that is only ever null), plus ``version`` and
  ``vectors``.

ConvoKit itself is not needed to write this (it pulls in torch); the tests load what is
written with ``convokit.Corpus(filename=...)``. Field meanings: ``docs/exports.md``.
"""

from __future__ import annotations

import json
import math
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from rapport.research.sources import CodedCorpus

if TYPE_CHECKING:
    from rapport.profile import ProfileResult

#: Written to ``corpus.json`` so a reader knows which layout of meta keys to expect.
EXPORT_FORMAT = "rapport-convokit/1"
#: Table columns that are ConvoKit utterance fields rather than meta.
_FIELDS = ("session_id", "speaker", "text")
Meta = dict[str, object]


@dataclass(frozen=True)
class ConvoKitSummary:
    utterances: int
    speakers: int
    conversations: int


def utterance_id(session_id: str, turn_index: int) -> str:
    return f"{session_id}_{turn_index}"


def speaker_id(session_id: str, name: str) -> str:
    """Speakers are per session: "T" or "[CLIENT]" in two sessions are not one person."""
    return f"{session_id}/{name}"


def _plain(value: object) -> object:
    """JSON-native values: numpy scalars unwrapped, NaN/NA as null."""
    if hasattr(value, "item"):
        value = value.item()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _index(metas: Iterable[Meta]) -> dict[str, list[str]]:
    """ConvoKit's meta index: key -> type names of its non-null values, in first-seen order."""
    out: dict[str, list[str]] = {}
    for meta in metas:
        for key, value in meta.items():
            types = out.setdefault(key, [])
            name = str(type(value))
            if value is not None and name not in types:
                types.append(name)
    return out


def _profile_meta(profile: ProfileResult | None) -> Meta:
    if profile is None:
        return {}
    meta: Meta = {"profile_version": profile.version}
    for key, value in profile.flat_metrics().items():  # unavailable metrics have no value
        meta[f"profile_{key.removeprefix('profile.')}"] = value
    return meta


def build_corpus(corpus: CodedCorpus, table: pd.DataFrame,
                 profiles: Sequence[ProfileResult | None], corpus_meta: Meta
                 ) -> tuple[list[Meta], dict[str, Meta], dict[str, Meta], Meta]:
    """Utterances, speakers, conversations and corpus meta, ready to be written."""
    rows = [{str(k): _plain(v) for k, v in r.items()}
            for r in table.astype(object).to_dict("records")]
    by_session: dict[str, list[Meta]] = {}
    for row in rows:
        by_session.setdefault(str(row["session_id"]), []).append(row)
    utterances: list[Meta] = []
    speakers: dict[str, Meta] = {}
    conversations: dict[str, Meta] = {}
    for coded, profile in zip(corpus.coded, profiles, strict=True):
        session = coded.session
        turns = by_session.get(session.id, [])
        if not turns:
            continue  # ConvoKit has no empty conversations
        root = utterance_id(session.id, 0)
        # ConvoKit orders a conversation by timestamp: seconds when every turn has a start,
        # else the turn index (never a mix, which would not sort).
        timed = all(t.start is not None for t in session.turns)
        for speaker in session.speakers:
            speakers[speaker_id(session.id, speaker.name)] = {
                "meta": {"name": speaker.name, "role": speaker.role.value,
                         "session_id": session.id}, "vectors": []}
        for row in turns:
            index = int(row["turn_index"])  # type: ignore[call-overload]
            meta = {k: v for k, v in row.items() if k not in _FIELDS}
            meta["backchannel"] = session.turns[index].backchannel
            utterances.append({
                "id": utterance_id(session.id, index),
                "speaker": speaker_id(session.id, str(row["speaker"])),
                "conversation_id": root,
                "reply_to": utterance_id(session.id, index - 1) if index else None,
                "timestamp": row.get("start") if timed else index, "text": row["text"],
                "meta": meta,
                "vectors": []})
        conversations[root] = {"meta": {
            "session_id": session.id, "turns": len(session.turns),
            "language": session.language,
            "date": None if session.date is None else session.date.isoformat(),
            **_profile_meta(profile)}, "vectors": []}
    return utterances, speakers, conversations, {"format": EXPORT_FORMAT, **corpus_meta}


def write_convokit(corpus: CodedCorpus, table: pd.DataFrame,
                   profiles: Sequence[ProfileResult | None], out: Path, *,
                   corpus_meta: Meta) -> ConvoKitSummary:
    """Write the corpus folder ``out`` (which must not exist yet) all at once.

    Everything goes to a temporary sibling folder that is renamed into place at the end,
    so a failure leaves no half corpus.
    """
    utterances, speakers, conversations, overall = build_corpus(corpus, table, profiles,
                                                                corpus_meta)
    index = {
        "utterances-index": _index(u["meta"] for u in utterances),  # type: ignore[misc]
        "speakers-index": _index(s["meta"] for s in speakers.values()),  # type: ignore[misc]
        "conversations-index": _index(c["meta"] for c in conversations.values()),  # type: ignore[misc]
        "overall-index": _index([overall]),
        "version": 1, "vectors": []}
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with (tmp / "utterances.jsonl").open("w", encoding="utf-8") as fh:
            for utt in utterances:
                fh.write(json.dumps(utt, ensure_ascii=False) + "\n")
        for name, data in (("speakers.json", speakers), ("conversations.json", conversations),
                           ("corpus.json", overall), ("index.json", index)):
            (tmp / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return ConvoKitSummary(utterances=len(utterances), speakers=len(speakers),
                           conversations=len(conversations))
