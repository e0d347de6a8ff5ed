"""Relationship codes on AnnoMI: how often each fires on real counselling talk, with samples.

    .venv/bin/python benchmarks/relationship_annomi.py [--sample 10]

AnnoMI (108 transcripts of motivational-interviewing demonstration videos, in
``data/annomi``; see its README for licence and citation) has no relationship
labels, so this is a spot check (odd transcript ids only: the even ones are weak
negatives in training) on talk the model never saw, written by other people: it
prints, per code, the share of turns coded and a fixed random sample of coded turns (with
the turn they answer) for a person to judge. ``docs/relationship-codes.md`` reports one
such judgement.
"""

from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

import pandas as pd

from rapport.coding.relationship import load_coder
from rapport.coding.relationship.codes import ALL_CODES, role_of
from rapport.coding.relationship.data import ANNOMI_FILE
from rapport.domain import Session

ANNOMI = Path(os.environ.get("ANNOMI_FILE", str(ANNOMI_FILE)))


def sessions() -> list[Session]:
    frame = pd.read_csv(ANNOMI).sort_values(["transcript_id", "utterance_id"], kind="stable")
    out = []
    for tid, rows in frame.groupby("transcript_id", sort=True):
        if int(str(tid)) % 2 == 0:
            continue  # even transcripts are weak negatives in training; check on odd ones
        triples = [("T" if r == "therapist" else "C", r, str(t))
                   for r, t in zip(rows["interlocutor"], rows["utterance_text"], strict=True)]
        out.append(Session.build(f"annomi-{tid}", triples))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=10)
    args = parser.parse_args()
    coder = load_coder("fast")
    found: dict[str, list[tuple[str, str, float]]] = {c: [] for c in ALL_CODES}
    turns = {"therapist": 0, "client": 0}
    for session in sessions():
        for turn, tc in zip(session.turns, coder.code_session(session), strict=True):
            turns[turn.role.value] += 1
            previous = session.turns[turn.index - 1].text if turn.index else ""
            for code in tc.codes:
                if code.value is True:
                    found[code.name].append((previous, turn.text, code.confidence))
    print(f"{sum(turns.values())} turns ({turns['therapist']} therapist, "
          f"{turns['client']} client)\n")
    print(f"{'code':28} {'coded':>6} {'% of role turns':>16}")
    for code in ALL_CODES:
        n = len(found[code])
        print(f"{code:28} {n:6d} {100 * n / turns[role_of(code).value]:15.1f}%")
    rng = random.Random(0)
    for code in ALL_CODES:
        picked = rng.sample(found[code], min(args.sample, len(found[code])))
        print(f"\n## {code}")
        for i, (previous, text, p) in enumerate(picked, start=1):
            print(f"{i:2d}. [{p:.2f}] {text[:160]!r}  <- {previous[:80]!r}")


if __name__ == "__main__":
    main()
