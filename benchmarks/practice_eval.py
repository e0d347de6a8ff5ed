"""The practice judge against human coding: development replies (cross-validated, grouped
by drill) and the frozen evaluation set (vs its adjudicated gold), with latency.

    python benchmarks/practice_eval.py                 # dev CV, then the frozen eval set
    python benchmarks/practice_eval.py --dev-only      # dev CV and latency only
    python benchmarks/practice_eval.py --eval-dir DIR  # another folder shaped like eval/

Dev: every development reply (both batches, 720) is judged by learned parts fitted
without its drill (5 folds grouped by drill: the code detectors, the direct verdict and
the verdict layer; the phrase rules and codebook rules are fixed), against its coding
(pass A for the first batch, pass 2 for the second). Eval: the shipped judge, exactly as
the app calls it, against ``gold.jsonl``; the two independent passes' agreement is
printed beside. Latency: the cold start (a fresh process: imports, models, first
reply) and warm p50/p95 per reply, with 2 threads. Results: docs/practice-judge.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np

from rapport.practice import judge_reply, load_drills
from rapport.practice.evalset import agreement, load_codings, load_replies
from rapport.practice.judgement import VERDICTS
from rapport.practice.judging import training
from rapport.practice.judging.model import shipped_model
from rapport.practice.judging.scoring import Scored, code_lines, verdict_lines

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "data" / "practice" / "dev"
EVAL = ROOT / "data" / "practice" / "eval"
_COLD = ("import time; t = time.perf_counter(); from rapport.practice import judge_reply, "
         "load_drills; d = load_drills()[0]; judge_reply(d, 'It sounds like a lot.'); "
         "print(time.perf_counter() - t)")
# warm timing in a fresh process, so no reply's embedding is already cached from scoring
_WARM = ("import json, sys, time; from rapport.practice import judge_reply, load_drills; "
         "from rapport.practice.evalset import load_replies; "
         "d = {x.id: x for x in load_drills()}; judge_reply(d['empathy-01'], 'warm up'); "
         "out = []\nfor r in load_replies(__import__('pathlib').Path(sys.argv[1])):\n"
         "    t = time.perf_counter(); judge_reply(d[r.drill_id], r.reply); "
         "out.append(time.perf_counter() - t)\nprint(json.dumps(out))")


def dev_section() -> list[str]:
    rows = training.build_rows(DEV)
    model = shipped_model()
    c = float(model.card["cv"]["c"])
    p = training.out_of_fold(rows, c)
    scored = []
    for i in np.flatnonzero(rows.is_dev):
        best = int(p[i].argmax())
        scored.append(Scored(rows.skills[i], VERDICTS[int(rows.y[i])], rows.gold_codes[i],
                             VERDICTS[best], rows.codes[i], float(p[i, best]),
                             float(p[i, best]) < model.unsure_below))
    title = ("## Development replies (both batches; learned detectors, direct verdict and "
             "verdict layer all cross-validated, grouped by drill; "
             f"C = {c}, unsure below {model.unsure_below})")
    return [title, "", *verdict_lines(scored), "", *code_lines(scored)]


def eval_section(folder: Path) -> tuple[list[str], list[float]]:
    drills = {d.id: d for d in load_drills()}
    replies = load_replies(folder / "replies.jsonl")
    gold = load_codings(folder / "gold.jsonl")
    scored, times = [], []
    for reply in replies:
        start = time.perf_counter()
        j = judge_reply(drills[reply.drill_id], reply.reply)
        times.append(time.perf_counter() - start)
        g = gold[reply.id]
        scored.append(Scored(j.skill, g.verdict, g.codes, j.verdict,
                             frozenset(c.code for c in j.codes), j.confidence, j.unsure))
    lines = [f"## Frozen evaluation set ({folder.name}/, vs gold.jsonl)", "",
             *verdict_lines(scored), "", *code_lines(scored), ""]
    ids = [r.id for r in replies]
    for a_name, b_name in (("pass-a", "pass-b"), ("pass-a", "gold"), ("pass-b", "gold")):
        a_file, b_file = folder / f"{a_name}.jsonl", folder / f"{b_name}.jsonl"
        if a_file.exists() and b_file.exists():
            agree = agreement(load_codings(a_file), load_codings(b_file), ids)
            lines.append(f"Human {a_name} vs {b_name}: agreement {agree.verdict_agreement:.3f}, "
                         f"kappa {agree.verdict_kappa:.3f} ({agree.units} replies)")
    return lines, times


def _run(code: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.strip()


def latency_lines(replies: Path) -> list[str]:
    cold = [float(_run(_COLD)) for _ in range(2)]
    warm = np.array(json.loads(_run(_WARM, str(replies)))) * 1000
    cold_line = ("Cold start (fresh process: imports, models, first reply): "
                 f"{min(cold):.2f} s (best of 2)")
    warm_line = (f"Warm per reply: p50 {np.percentile(warm, 50):.0f} ms, p95 "
                 f"{np.percentile(warm, 95):.0f} ms, max {warm.max():.0f} ms over {len(warm)} "
                 f"replies of {replies.parent.name}/, each new to the process (goal < 300 ms)")
    return ["## Latency (2 threads)", "", cold_line, warm_line]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev-only", action="store_true")
    parser.add_argument("--eval-dir", type=Path, default=EVAL)
    args = parser.parse_args()
    lines = dev_section() if (DEV / "pass-a.jsonl").exists() else [
        "(no data/practice/dev/pass-a.jsonl: dev section skipped)"]
    if not args.dev_only:
        more, times = eval_section(args.eval_dir)
        warm = np.array(times[1:]) * 1000
        timing = (f"Eval replies as scored here: p50 {np.percentile(warm, 50):.0f} ms, "
                  f"p95 {np.percentile(warm, 95):.0f} ms per reply")
        lines += ["", *more, "", timing]
    lines += ["", *latency_lines(DEV / "replies.jsonl")]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
