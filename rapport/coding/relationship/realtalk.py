"""The real-talk gold (``data/realtalk/``) as training and evaluation rows.

Each row is one turn of a project-coded AnnoMI transcript with the turns before it
(speaker-tagged, the newest last), its fifteen codebook codes (with a mask: therapist codes
on therapist turns, client codes on client turns) and, on therapist turns, its EPITOME
empathy ratings. The gold of a double-coded transcript is its ``adjudicated`` pass; a
single-coded transcript has pass ``A`` only. A file exported by the coding workbench
(``rapport coding export --format gold``) has the same records plus ``text`` and ``video``
(not AnnoMI, so they cannot be looked up). The frozen evaluation transcripts
(``plan.json``, ``split.evaluation``) are kept apart by :func:`split_rows`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
REALTALK = ROOT / "data" / "realtalk"
ANNOMI = ROOT / "data" / "annomi" / "AnnoMI-simple.csv"
THERAPIST_CODES = ("affirm", "seek_collaboration", "emphasize_autonomy", "persuade",
                   "persuade_with_permission", "confront", "repair", "normalize",
                   "self_disclosure", "metacommunication", "boundary_statement")
CLIENT_CODES = ("withdrawal", "confrontation", "emotional_disclosure", "boundary_issue")
CODES = (*THERAPIST_CODES, *CLIENT_CODES)
EMPATHY = ("er", "ip", "ex")
CONTEXT_TURNS = 4


@dataclass(frozen=True)
class GoldTurn:
    session: str
    turn: int
    speaker: str  # "T" or "C"
    text: str
    codes: frozenset[str]
    empathy: tuple[float, float, float] | None
    pick: dict[str, str] | None


@dataclass
class GoldSession:
    session: str
    video: str
    quality: str
    turns: list[GoldTurn] = field(default_factory=list)
    globals: dict[str, float] = field(default_factory=dict)


def tag(speaker: str, text: str) -> str:
    """How the encoder sees a turn: ``Therapist: ...`` or ``Client: ...``."""
    return f"{'Therapist' if speaker == 'T' else 'Client'}: {' '.join(text.split())}"


def context_of(turns: list[tuple[str, str]], index: int) -> str:
    """The :data:`CONTEXT_TURNS` turns before ``index``, tagged, oldest first."""
    return " ".join(tag(s, t) for s, t in turns[max(0, index - CONTEXT_TURNS):index])


def load_gold(path: Path | None = None, *, passes: tuple[str, ...] = ("adjudicated", "A")
              ) -> dict[str, GoldSession]:
    """Each transcript's gold: the first of ``passes`` it has (adjudicated, else A)."""
    import pandas as pd

    frame = pd.read_csv(ANNOMI)
    text = {(f"annomi-{r.transcript_id}", int(str(r.utterance_id))): str(r.utterance_text)
            for r in frame.itertuples()}
    meta = {f"annomi-{t}": (str(g["video_url"].iloc[0]), str(g["mi_quality"].iloc[0]))
            for t, g in frame.groupby("transcript_id")}
    by_pass: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for line in (path or REALTALK / "gold.jsonl").read_text("utf-8").splitlines():
        rec = json.loads(line)
        by_pass.setdefault(rec["session"], {}).setdefault(rec["pass"], []).append(rec)
    out: dict[str, GoldSession] = {}
    for session, available in by_pass.items():
        chosen = next((p for p in passes if p in available), None)
        if chosen is None:
            continue
        # A file exported by the coding workbench carries each turn's text and the
        # session's group (``video``) itself; the real-talk gold reads them from AnnoMI.
        first = available[chosen][0]
        video, quality = meta.get(session) or (str(first.get("video", session)), "unknown")
        gold = GoldSession(session, video, quality)
        for rec in available[chosen]:
            if rec["turn"] is None:
                gold.globals = dict(rec["globals"])
                continue
            e = rec.get("empathy")
            gold.turns.append(GoldTurn(
                session=session, turn=int(rec["turn"]), speaker=rec["speaker"],
                text=str(rec["text"]) if "text" in rec else text[(session, int(rec["turn"]))],
                codes=frozenset(rec["codes"]),
                empathy=None if e is None else (float(e["er"]), float(e["ip"]),
                                                float(e["ex"])),
                pick=rec.get("pick")))
        out[session] = gold
    return out


def evaluation_sessions() -> set[str]:
    plan = json.loads((REALTALK / "plan.json").read_text("utf-8"))
    return {f"annomi-{t}" for t in plan["split"]["evaluation"]}


def rows_of(sessions: list[GoldSession]) -> list[dict[str, Any]]:
    rows = []
    for s in sessions:
        turns = [(t.speaker, t.text) for t in s.turns]
        for t in s.turns:
            own = THERAPIST_CODES if t.speaker == "T" else CLIENT_CODES
            rows.append({
                "key": f"{s.session}:{t.turn}", "group": f"video:{s.video}",
                "context": context_of(turns, t.turn), "text": tag(t.speaker, t.text),
                "labels": [int(c in t.codes) for c in CODES],
                "mask": [int(c in own) for c in CODES],
                "empathy": list(t.empathy) if t.empathy is not None else None})
    return rows


def split_rows(gold: dict[str, GoldSession]) -> tuple[list[dict[str, Any]],
                                                      list[dict[str, Any]]]:
    """(development rows, frozen evaluation rows), each in a fixed order."""
    held = evaluation_sessions()
    dev = [gold[k] for k in sorted(gold) if k not in held]
    ev = [gold[k] for k in sorted(gold) if k in held]
    return rows_of(dev), rows_of(ev)


def write_table(rows: list[dict[str, Any]], path: Path) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
