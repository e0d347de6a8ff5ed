"""``rapport batch`` throughput: 1 and 2 Dask workers against one plain process.

    .venv/bin/python benchmarks/batch_throughput.py [--utterances 1000000] [--workers 1,2]

Generates a Parquet corpus (sessions of ``--turns`` turns, therapist and client taking
turns) whose utterances are AnnoMI utterances recombined (one or two of them joined, so
the text is real counselling talk but the corpus can be any size), then measures:

- ``single process``: what ``rapport code`` does in one process (``code_sessions`` and
  the code table) plus the session profiles that ``rapport batch`` adds, on the first
  ``--baseline`` utterances (a rate, so a sample is enough);
- ``batch, N workers``: ``run_batch`` end to end on the whole corpus on a local cluster
  of N worker processes (started before the clock, as a running cluster would be), and
  each worker's peak resident memory (``ru_maxrss``).

Goals (docs/performance.md): 2 workers at least 1.6x the speed of 1; each worker at least
80% of the single-process speed.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapport.batch import ReadOptions, run_batch  # noqa: E402
from rapport.batch.cluster import open_client  # noqa: E402
from rapport.batch.tables import session_table  # noqa: E402
from rapport.coding.utterance.data import DATA_DIR  # noqa: E402
from rapport.ingest import RoleMap  # noqa: E402
from rapport.ingest.parquet_corpus import read_corpus  # noqa: E402
from rapport.pipeline import all_families, code_sessions, load_coders  # noqa: E402
from rapport.pipeline.table import code_table  # noqa: E402
from rapport.settings import get_settings  # noqa: E402

ANNOMI = Path(os.environ.get("ANNOMI_FILE", str(DATA_DIR / "AnnoMI-simple.csv")))


def make_corpus(path: Path, utterances: int, turns: int, seed: int = 11) -> int:
    """Write the corpus; return its number of sessions."""
    source = pd.read_csv(ANNOMI)
    pools = {role: source.loc[source["interlocutor"] == role, "utterance_text"]
             .dropna().astype(str).str.strip().loc[lambda s: s != ""].tolist()
             for role in ("therapist", "client")}
    rng = random.Random(seed)
    rows = []
    for n in range(utterances):
        session, index = divmod(n, turns)
        role = "therapist" if index % 2 == 0 else "client"
        pool = pools[role]
        parts = rng.sample(pool, 2) if rng.random() < 0.3 else [rng.choice(pool)]
        rows.append((f"s{session:07d}", index, role.capitalize(), role, " ".join(parts)))
    frame = pd.DataFrame(rows, columns=["session_id", "turn_index", "speaker", "role", "text"])
    frame.to_parquet(path, index=False, row_group_size=turns * 20)
    return int(frame["session_id"].nunique())


def single_process(path: Path, baseline: int, turns: int) -> tuple[float, float]:
    """Utterances per second (wall clock, CPU time) coded and profiled in this process."""
    ids = [f"s{k:07d}" for k in range(max(1, baseline // turns))]
    sessions = read_corpus(path, roles=RoleMap(), settings=get_settings(),
                           session_ids=ids).sessions
    coders = load_coders("fast")
    start, cpu = time.perf_counter(), time.process_time()
    coded = code_sessions(sessions, coders)
    table = code_table(coded, all_families(coders))
    session_table(coded, [str(path)] * len(coded), "fast")
    return (len(table) / (time.perf_counter() - start),
            len(table) / (time.process_time() - cpu))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def batch(path: Path, workers: int, partition_size: int
          ) -> tuple[float, int, float, list[float]]:
    """Seconds, utterances written, workers' CPU seconds, each worker's peak RSS in MiB."""
    with tempfile.TemporaryDirectory() as tmp, \
            open_client(None, workers=workers, dashboard=False) as client:
        client.register_plugin(_warm_up())
        cpu_before = sum(client.run(cpu_seconds).values())
        start = time.perf_counter()
        summary = run_batch([path], Path(tmp) / "out", options=ReadOptions(), preset="fast",
                            partition_size=partition_size, scheduler=client.scheduler.address)
        seconds = time.perf_counter() - start
        cpu = sum(client.run(cpu_seconds).values()) - cpu_before
        rss = sorted(client.run(peak_rss_mib).values())
    if summary.failed or summary.errors:
        raise SystemExit(f"batch failed: {summary}")
    return seconds, summary.utterances, cpu, rss


def _warm_up() -> object:
    from rapport.batch.cluster import PreloadCoders

    return PreloadCoders("fast")  # models loaded before the clock starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--utterances", type=int, default=20_000)
    parser.add_argument("--turns", type=int, default=100, help="turns per session")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--partition-size", type=int, default=20)
    parser.add_argument("--baseline", type=int, default=10_000,
                        help="utterances timed in the single process")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.parquet"
        t0 = time.perf_counter()
        sessions = make_corpus(path, args.utterances, args.turns)
        print(f"corpus: {args.utterances:,} utterances in {sessions:,} sessions, "
              f"{path.stat().st_size / 2**20:.0f} MiB Parquet, made in "
              f"{time.perf_counter() - t0:.0f} s; {os.cpu_count()} CPUs", flush=True)
        single, single_cpu = single_process(path, min(args.baseline, args.utterances),
                                            args.turns)
        print(f"single process: {single:,.0f} utterances/s, load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        rows = [("single process (code + profile)", 1, "", single, "", single_cpu, "", "")]
        rates: dict[int, float] = {}
        for n in (int(w) for w in args.workers.split(",")):
            seconds, done, cpu, rss = batch(path, n, args.partition_size)
            rates[n] = done / seconds
            rss_text = " / ".join(f"{r:.0f}" for r in rss)
            rows.append((f"batch, {n} worker{'s' if n > 1 else ''}", n, f"{seconds:.0f}",
                         rates[n], f"{rates[n] / n / single:.0%}", done / cpu,
                         f"{done / cpu / single_cpu:.0%}", rss_text))
            print(f"{n} worker(s): {done:,} utterances in {seconds:.0f} s, load average "
                  f"{os.getloadavg()[0]:.1f}", flush=True)
    print("\n| run | workers | wall s | utterances/s | per worker vs single | "
          "utterances per CPU s | vs single | peak RSS per worker, MiB |\n"
          "|---|---:|---:|---:|---:|---:|---:|---|")
    for name, n, wall, rate, share, per_cpu, cpu_share, rss_text in rows:
        print(f"| {name} | {n} | {wall} | {rate:,.0f} | {share} | {per_cpu:,.0f} | "
              f"{cpu_share} | {rss_text} |")
    if 1 in rates and 2 in rates:
        print(f"\nspeed-up 1 -> 2 workers: {rates[2] / rates[1]:.2f}x (goal >= 1.6x)")


if __name__ == "__main__":
    main()
