"""De-identification speed: utterances per second through ``deidentify_session``.

Uses the development set's utterances (never the frozen set) as turns of sessions of 100
turns, after one warm-up session (the spaCy model load is reported separately).

    .venv/bin/python benchmarks/deid_speed.py [ROUNDS]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from rapport.domain import Session

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rows = [json.loads(line) for line in
            (ROOT / "data" / "deid" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = [r["text"] for r in rows]
    turns = [("Therapist" if i % 2 else "Client", "therapist" if i % 2 else "client",
              texts[i % len(texts)]) for i in range(100)]
    sessions = [Session.build(f"bench-{k}", turns) for k in range(rounds)]

    t0 = time.perf_counter()
    from rapport.deid import deidentify_session
    from rapport.deid.engine import analyzer

    analyzer()
    load = time.perf_counter() - t0
    deidentify_session(sessions[0], salt="warm-up")
    t1, c1 = time.perf_counter(), time.process_time()
    for s in sessions:
        deidentify_session(s, salt="bench")
    elapsed = time.perf_counter() - t1
    cpu = time.process_time() - c1  # less sensitive than wall time to a busy machine
    n = sum(len(s.turns) for s in sessions)
    words = sum(s.turns[i].words for s in sessions for i in range(len(s.turns)))
    print("| measure | value |\n|---|---:|")
    print(f"| model + engine load | {load:.1f} s |")
    print(f"| utterances | {n} ({words} words) |")
    print(f"| utterances/s | {n / elapsed:.0f} |")
    print(f"| ms per utterance | {1000 * elapsed / n:.1f} |")
    print(f"| utterances per CPU-second | {n / cpu:.0f} |")
    load_avg = os.getloadavg()[0]
    print(f"| load average (1 min) at the end | {load_avg:.1f} on {os.cpu_count()} CPUs |")


if __name__ == "__main__":
    main()
