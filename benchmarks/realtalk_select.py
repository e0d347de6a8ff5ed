"""Choose which AnnoMI transcripts the real-talk gold codes, and write them out for coders.

Deterministic (seeded): run it again and the same transcripts come out. Grouping is by
``video_url`` throughout, so one video never sits on both sides of a split.

    .venv/bin/python benchmarks/realtalk_select.py --plan data/realtalk/plan.json
    .venv/bin/python benchmarks/realtalk_select.py --plan data/realtalk/plan.json \
        --transcripts /tmp/realtalk-transcripts

The plan lists the calibration transcripts (used to settle the codebook, then excluded from
the gold), the double-coded transcripts (all low-quality ones plus a seeded sample of
high-quality ones), the single-coded rest, and the development/evaluation split of the
double-coded ones. A plan's ``second_pass`` list (single-coded transcripts given pass B
and adjudication later, 2026-12-07) is kept when the plan is written again. A transcript
for a coder is one line per turn: ``index<TAB>T|C<TAB>text`` (no AnnoMI labels, no model
output).
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import pandas as pd

ANNOMI = Path(__file__).resolve().parents[1] / "data" / "annomi" / "AnnoMI-simple.csv"
SEED = 20261204
N_CALIBRATION = 3
N_DOUBLE_HIGH = 42
EVAL_SHARE = 1 / 3


def _videos(frame: pd.DataFrame) -> pd.DataFrame:
    per = frame.groupby("transcript_id").agg(
        url=("video_url", "first"), quality=("mi_quality", "first"),
        turns=("utterance_id", "count"))
    return per.reset_index()


def make_plan(frame: pd.DataFrame) -> dict[str, object]:
    """The calibration / double / single sets and the dev/eval split, by video."""
    per = _videos(frame)
    rng = random.Random(SEED)
    # a video holding any low-quality transcript goes with the low ones (all double-coded)
    low_urls = sorted(set(per.loc[per.quality == "low", "url"]))
    high_urls = sorted(set(per.url) - set(low_urls))
    rng.shuffle(high_urls)
    # calibration: short single-transcript high-quality videos (cheap to discuss)
    single = per.groupby("url").transcript_id.count()
    cal_urls = [u for u in high_urls if single[u] == 1
                and 30 <= int(per.loc[per.url == u, "turns"].iloc[0]) <= 70][:N_CALIBRATION]
    rest = [u for u in high_urls if u not in cal_urls]
    double_high: list[str] = []
    for url in rest:
        if sum(single[u] for u in double_high) >= N_DOUBLE_HIGH:
            break
        double_high.append(url)
    single_urls = [u for u in rest if u not in double_high]
    double_urls = low_urls + double_high
    # evaluation part: a third of the double-coded videos, low and high alike
    rng2 = random.Random(SEED + 1)
    low_eval = rng2.sample(low_urls, round(len(low_urls) * EVAL_SHARE))
    high_eval = rng2.sample(double_high, round(len(double_high) * EVAL_SHARE))
    eval_urls = set(low_eval) | set(high_eval)

    def ids(urls: list[str] | set[str]) -> list[int]:
        return sorted(int(t) for t in per.loc[per.url.isin(list(urls)), "transcript_id"])

    double = ids(double_urls)
    return {
        "seed": SEED,
        "source": "data/annomi/AnnoMI-simple.csv",
        "calibration": ids(cal_urls),
        "double_coded": double,
        "single_coded": ids(single_urls),
        "split": {
            "evaluation": ids(eval_urls),
            "development": [t for t in double if t not in ids(eval_urls)],
        },
    }


def write_transcripts(frame: pd.DataFrame, ids: list[int], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for tid in ids:
        rows = frame[frame.transcript_id == tid].sort_values("utterance_id")
        lines = [f"{r.utterance_id}\t{'T' if r.interlocutor == 'therapist' else 'C'}\t"
                 f"{' '.join(str(r.utterance_text).split())}" for r in rows.itertuples()]
        (out / f"annomi-{tid}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, required=True)
    parser.add_argument("--transcripts", type=Path, help="write every planned transcript here")
    args = parser.parse_args()
    frame = pd.read_csv(ANNOMI)
    plan = make_plan(frame)
    if args.plan.exists():  # what was coded after the plan was made stays recorded
        later = json.loads(args.plan.read_text("utf-8")).get("second_pass")
        if later is not None:
            plan["second_pass"] = later
    args.plan.write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")
    if args.transcripts:
        every = plan["calibration"] + plan["double_coded"] + plan["single_coded"]  # type: ignore[operator]
        write_transcripts(frame, every, args.transcripts)
    per = _videos(frame).set_index("transcript_id")
    for name in ("calibration", "double_coded", "single_coded"):
        chosen = plan[name]
        assert isinstance(chosen, list)
        print(f"{name:14} {len(chosen):3} transcripts {int(per.loc[chosen, 'turns'].sum()):5} turns"
              f" low={int((per.loc[chosen, 'quality'] == 'low').sum())}")
    split = plan["split"]
    assert isinstance(split, dict)
    for name, chosen in split.items():
        print(f"{name:14} {len(chosen):3} transcripts {int(per.loc[chosen, 'turns'].sum()):5} turns"
              f" low={int((per.loc[chosen, 'quality'] == 'low').sum())}")


if __name__ == "__main__":
    main()
