"""Speed of the utterance coders: load time, utterances/s, resident memory; prints a table.

Each measurement runs in a fresh process pinned to the stated number of cores
(``fast``: 1 core, ``accurate``: 2 cores) on AnnoMI utterances coded as whole sessions,
as written and without punctuation (lower case, no marks: the sessions a speech
recogniser writes, which the preset's punctuation-free companion codes; its load is
counted in the coding time, since it is loaded only when such a session arrives).
Then the empathy coder's CPU ms per utterance (all turns counted; it rates therapist
turns), after the relationship coder has embedded the same sessions, as in ``rapport
code``, and alone. Also times ``rapport analyze`` end to end (process start included)
on a 600-turn session of real AnnoMI turns (the first transcripts' turns in order), with
each preset.

    .venv/bin/python benchmarks/coding_speed.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r"""
import json, os, resource, sys, time
cores = int(sys.argv[2])
os.sched_setaffinity(0, set(range(cores)))
t0 = time.perf_counter()
from rapport.coding.utterance import load_coder
coder = load_coder(sys.argv[1])
load_s = time.perf_counter() - t0
from rapport.coding.utterance.data import load_annomi
from rapport.domain import Session
data = load_annomi()
sessions = [Session.build(str(tid), [("T" if r == "therapist" else "C", r, t)
                                     for r, t in zip(g["role"], g["text"], strict=True)])
            for tid, g in data.groupby("transcript_id", sort=True)]
sessions = sessions[:int(sys.argv[3])]
if sys.argv[4] == "bare":
    from rapport.coding.utterance.punctuation import bare_text
    sessions = [Session.build(s.id, [(t.speaker, t.role, bare_text(t.text))
                                             for t in s.turns]) for s in sessions]
n = sum(len(s.turns) for s in sessions)
t0 = time.perf_counter()
c0 = time.process_time()
for s in sessions:
    coder.code_session(s)
rate = n / (time.perf_counter() - t0)
cpu_rate = n / (time.process_time() - c0)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": load_s, "utt_per_s": rate, "utt_per_cpu_s": cpu_rate,
                  "rss_mb": rss, "n": n}))
"""


EMPATHY = r"""
import json, os, sys, time
os.sched_setaffinity(0, {0})
from rapport.coding.empathy import load_coder
from rapport.coding.relationship import load_coder as load_relationship
from rapport.coding.utterance.data import load_annomi
from rapport.domain import Session
data = load_annomi()
sessions = [Session.build(str(tid), [("T" if r == "therapist" else "C", r, t)
                                     for r, t in zip(g["role"], g["text"], strict=True)])
            for tid, g in data.groupby("transcript_id", sort=True)][:int(sys.argv[2])]
coder = load_coder("fast")
coder.code_session(Session.build("w", [("T", "therapist", "Hello there.")]))
if sys.argv[1] == "shared":
    relationship = load_relationship("fast")
    for s in sessions:
        relationship.code_session(s)
n = sum(len(s.turns) for s in sessions)
c0 = time.process_time()
for s in sessions:
    coder.code_session(s)
print(json.dumps({"ms": 1000 * (time.process_time() - c0) / n, "n": n}))
"""


def measure_empathy(mode: str, sessions: int) -> dict[str, float]:
    """CPU ms per utterance of the empathy coder (``mode``: ``shared`` or ``alone``)."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, "-c", EMPATHY, mode, str(sessions)],
                         capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def measure(preset: str, cores: int, sessions: int, text: str = "written"
            ) -> dict[str, float]:
    """One preset in a fresh process; ``text``: ``written`` or ``bare`` (no punctuation)."""
    env = {**os.environ, "OMP_NUM_THREADS": str(cores), "OPENBLAS_NUM_THREADS": str(cores)}
    out = subprocess.run([sys.executable, "-c", CHILD, preset, str(cores), str(sessions), text],
                         capture_output=True, text=True, check=True, env=env, cwd=ROOT)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


ANALYZE = r"""
import sys
from rapport.cli import main
only = ["--coders", "utterance"] if sys.argv[1] == "utterance-only" else []
sys.argv = ["rapport", "analyze", sys.argv[2], "--json", sys.argv[3], "--preset", sys.argv[4],
            "--quiet", *only]
main()
"""


def session_600_turns() -> str:
    """600 real AnnoMI turns in order (the first transcripts, joined), as a text transcript:
    a repeated line would flatter the sentence-embedding cache."""
    from rapport.coding.utterance.data import load_annomi

    data = load_annomi().sort_values(["transcript_id", "utterance_id"]).head(600)
    return "".join(f"{'T' if role == 'therapist' else 'C'}: {' '.join(text.split())}\n"
                   for role, text in zip(data["role"], data["text"], strict=True))


def analyze_600_turns(coders: str, preset: str = "fast") -> float:
    """Wall time of `rapport analyze` on a 600-turn session of real turns.

    ``coders``: ``all`` (every registered coder) or ``utterance-only`` (this box's coder
    alone, to separate its cost from the other coders').
    """
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "session.txt"
        path.write_text(session_600_turns(), encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", ANALYZE, coders, str(path),
                        str(Path(tmp) / "o.json"), preset], capture_output=True, check=True,
                       cwd=ROOT)
        return time.perf_counter() - t0


def main() -> None:
    print(f"machine: {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}")
    # on a shared machine wall time suffers from other jobs; CPU time shows the code's cost
    print("| preset | cores | utterances | utterances/s (wall) | utterances per CPU-second "
          "| load (s) | peak RSS (MB) |")
    print("|---|---|---|---|---|---|---|")
    # goals: fast from issue 3; accurate from issue 21 (load < 2 s, RSS < 600 MB)
    for preset, cores, goal in (("fast", 1, 5000), ("accurate", 2, 100)):
        for text in ("written", "bare"):
            name = preset if text == "written" else f"{preset}, no punctuation (companion)"
            try:
                r = measure(preset, cores, 30, text)
            except subprocess.CalledProcessError as exc:
                print(f"| {name} | {cores} | failed: {exc.stderr.strip().splitlines()[-1]} |")
                continue
            print(f"| {name} | {cores} | {r['n']:.0f} | {r['utt_per_s']:.0f} (goal {goal}) | "
                  f"{r['utt_per_cpu_s']:.0f} | {r['load_s']:.2f} | {r['rss_mb']:.0f} |")
    print()
    print("| empathy coder | utterances | CPU ms per utterance |")
    print("|---|---|---|")
    for mode, what in (("shared", "after the relationship coder's embeddings (rapport code)"),
                       ("alone", "alone (pays for its embeddings)")):
        r = measure_empathy(mode, 30)
        print(f"| {what} | {r['n']:.0f} | {r['ms']:.3f} |")
    print()
    # goals: fast, this coder alone < 2 s (issue 3); accurate, every coder <= 8 s (issue 21)
    for preset, coders, goal in (("fast", "utterance-only", "< 2 s"), ("fast", "all", ""),
                                 ("accurate", "utterance-only", ""),
                                 ("accurate", "all", "<= 8 s")):
        try:
            took = f"{analyze_600_turns(coders, preset):.2f} s"
        except subprocess.CalledProcessError as exc:
            took = "failed: " + exc.stderr.decode().strip().splitlines()[-1]
        print(f"`rapport analyze`, 600 turns, {preset}, coders={coders}, end to end: {took}"
              + (f" (goal {goal})" if goal else ""))

if __name__ == "__main__":
    main()
