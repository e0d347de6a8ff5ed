"""The `rapport code` budget: CPU milliseconds per utterance for each stage, and the whole
command's throughput and peak memory on a corpus of N copies of AnnoMI (prints a table).

    .venv/bin/python benchmarks/code_budget.py --copies 10 [--workers 2]

Stages are timed in this process with `time.process_time` (CPU, not wall: other jobs on a
shared machine do not inflate them): parsing the CSV, each default coder alone, building
the table rows and writing CSV. The whole command runs `rapport code` as users do (CSV in
and out, one worker per core) and reports wall time, utterances per second and the peak
proportional set size (PSS) of the process and its workers together, sampled every 50 ms,
and the CPU time of the process and its workers (CPU ms per utterance: on a shared machine
the wall time follows the other jobs, the CPU time much less). A last line says how the
PSS moved over the run: its median, the median of each quarter of the run (level when
memory does not grow with the corpus) and its 99th percentile beside the peak.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.ingest import read_sessions  # noqa: E402
from rapport.pipeline import CODERS, code_session, code_table, load_coders  # noqa: E402
from rapport.pipeline.coders import all_families  # noqa: E402

ANNOMI = ROOT / "data" / "annomi" / "AnnoMI-simple.csv"
GOAL_RATE, GOAL_PSS_MB = 2500, 500


def make_corpus(path: Path, copies: int) -> int:
    frame = pd.read_csv(ANNOMI)
    parts = []
    for k in range(copies):
        part = frame.copy()
        part["transcript_id"] = part["transcript_id"].astype(str) + f"-{k}"
        parts.append(part)
    pd.concat(parts).to_csv(path, index=False)
    return sum(len(p) for p in parts)


def _cpu(fn):  # type: ignore[no-untyped-def]
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def stages(path: Path) -> list[tuple[str, float]]:
    """(stage, CPU ms per utterance) measured in this process."""
    read, parse_s = _cpu(lambda: read_sessions([path]))
    sessions = [r.session for r in read]
    n = sum(len(s.turns) for s in sessions)
    rows = [("parse (CSV to sessions)", 1000 * parse_s / n)]
    loaded = []
    for spec in CODERS:
        if not spec.default:
            continue
        (coder,) = load_coders("fast", [spec.name])
        loaded.append(coder)
        _, s = _cpu(lambda c=coder: [c.code_session(x) for x in sessions])
        rows.append((f"coder: {spec.name}", 1000 * s / n))
    coded = [code_session(x, loaded) for x in sessions]
    table, table_s = _cpu(lambda: code_table(coded, all_families(loaded)))
    rows.append(("table rows", 1000 * table_s / n))
    with tempfile.TemporaryDirectory() as tmp:
        _, write_s = _cpu(lambda: table.to_csv(Path(tmp) / "t.csv", index=False))
    rows.append(("write CSV", 1000 * write_s / n))
    return rows


def _pss_kb(pid: int) -> int:
    """PSS of ``pid`` and all its descendants (shared pages counted once, split)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        todo.extend(int(c) for c in children)
    return total


def over_the_run(samples: list[int]) -> str:
    """PSS samples (KB, in time order) as one line: the median, the median of each quarter
    of the run (flat memory keeps them level; a peak alone grows with the run's length,
    since a longer run has more chances to catch a brief spike), the 99th percentile and
    the peak, in MB."""
    mb = np.array(samples, dtype=float) / 1024
    quarters = " / ".join(f"{np.median(q):.0f}" for q in np.array_split(mb, 4))
    return (f"PSS over the run ({len(mb):,} samples, 50 ms apart plus the time to read "
            f"them): median {np.median(mb):.0f} MB; medians of its four quarters "
            f"{quarters} MB; 99th percentile {np.percentile(mb, 99):.0f} MB; "
            f"peak {mb.max():.0f} MB")


def whole_command(path: Path, workers: int | None) -> tuple[float, float, float, str]:
    """(wall seconds, peak PSS MB, CPU seconds, PSS over the run) of `rapport code path
    --out x.csv`."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(Path(sys.executable).with_name("rapport")), "code", str(path), "--out",
               str(Path(tmp) / "codes.csv")]
        if workers:
            cmd += ["--workers", str(workers)]
        start = time.perf_counter()
        # the workers are waited for by `rapport code`, so their CPU time counts here too
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples: list[int] = []
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                pss = _pss_kb(proc.pid)
                if pss:  # 0: the process has not started or has just ended
                    samples.append(pss)
                time.sleep(0.05)

        sampler = threading.Thread(target=sample)
        sampler.start()
        code = proc.wait()
        done.set()
        sampler.join()
        if code != 0:
            msg = f"rapport code exited {code}"
            raise RuntimeError(msg)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return (time.perf_counter() - start, max(samples, default=0) / 1024, cpu,
                over_the_run(samples or [0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--skip-stages", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.csv"
        n = make_corpus(corpus, args.copies)
        print(f"corpus: {args.copies} x AnnoMI = {n:,} utterances\n")
        if not args.skip_stages:
            print("| stage | CPU ms per utterance |")
            print("|---|---|")
            total = 0.0
            for name, ms in stages(corpus):
                total += ms
                print(f"| {name} | {ms:.3f} |")
            print(f"| **total** | **{total:.3f}** (2 cores at 100%: "
                  f"{2000 / total:,.0f} utterances/s) |\n")
        wall, pss, cpu, trace = whole_command(corpus, args.workers)
        print("| command | utterances | wall (s) | utterances/s | CPU ms per utterance "
              "(2 cores at 100%: utterances/s) | peak PSS (MB) |")
        print("|---|---|---|---|---|---|")
        print(f"| `rapport code` (workers: {args.workers or 'one per core'}) | {n:,} | "
              f"{wall:.1f} | {n / wall:,.0f} (goal {GOAL_RATE:,}) | {1000 * cpu / n:.3f} "
              f"({2 * n / cpu:,.0f}) | {pss:.0f} (goal {GOAL_PSS_MB}) |")
        print(f"\n{trace}")
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
