"""How many visual-analogue answer sets a float sum puts on the wrong side of a cut-off.

ORS and SRS answers are 0-10 in steps of 0.1 on four lines. For every answer set whose
*exact* total is the cut-off itself (ORS 25: "below 25" is the clinical range; SRS 36:
"below 36" is an alliance concern), the script compares the exact verdict (not below)
with the verdict of a plain float sum (the scoring before issue 15) and with
``rapport.measures.score``. It does the same for SRS drops of exactly one point between
two sessions (the PCOMS rule: a drop of 1 point or more), over pairs of answer sets drawn
at random (seeded).

Run: ``.venv/bin/python benchmarks/measures_exact_totals.py`` (about a minute)
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Iterator

from rapport.measures import get_instrument, score
from rapport.measures.alerts import Administration, alliance_alerts


def answer_sets(total_tenths: int) -> Iterator[tuple[int, int, int, int]]:
    """Every four answers in tenths (0-100 each) adding up to ``total_tenths``."""
    for a in range(101):
        for b in range(101):
            rest = total_tenths - a - b
            for c in range(max(0, rest - 100), min(100, rest) + 1):
                yield a, b, c, rest - c


def boundary_row(name: str, cut_tenths: int) -> tuple[int, int, int]:
    instrument = get_instrument(name)
    n = float_wrong = rapport_wrong = 0
    for tenths in answer_sets(cut_tenths):
        values = [t / 10 for t in tenths]  # what a form or file gives: 6.6, 9.7, ...
        n += 1
        float_wrong += sum(values) < cut_tenths / 10  # exact total is not below
        result = score(instrument, dict(zip(instrument.item_ids, values, strict=True)))
        rapport_wrong += result.in_clinical_range is not False
    return n, float_wrong, rapport_wrong


def drop_row(pairs: int, seed: int) -> tuple[int, int, int]:
    """SRS totals exactly 1.0 apart: does a float difference and does Rapport call it a
    drop of (at least) one point?"""
    srs = get_instrument("srs")
    rng = random.Random(seed)
    float_wrong = rapport_wrong = 0
    for _ in range(pairs):
        before = [rng.randint(10, 100) for _ in range(4)]
        after = list(before)
        after[rng.randrange(4)] -= 10  # one line 1.0 lower: the total drops exactly 1.0
        b, a = [x / 10 for x in before], [x / 10 for x in after]
        float_wrong += not sum(b) - sum(a) >= 1.0
        admins = [Administration(session=s, score=score(srs, dict(zip(srs.item_ids, v,
                                                                       strict=True))))
                  for s, v in ((1, b), (2, a))]
        drops = [x for x in alliance_alerts(srs, admins) if x.rule == "alliance.drop"]
        rapport_wrong += not drops
    return pairs, float_wrong, rapport_wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    start = time.perf_counter()
    print("| instrument | exact total | answer sets | wrong side, float sum | "
          "wrong side, Rapport |")
    print("|---|---|---|---|---|")
    for name, cut in (("ors", 250), ("srs", 360)):
        n, float_wrong, rapport_wrong = boundary_row(name, cut)
        print(f"| {name.upper()} | {cut / 10:g} (not below {cut / 10:g}) | {n:,} | "
              f"{float_wrong:,} ({float_wrong / n:.2%}) | {rapport_wrong} |")
    pairs, float_wrong, rapport_wrong = drop_row(args.pairs, args.seed)
    print(f"\n| SRS drop of exactly 1.0 | pairs (seed {args.seed}) | missed, float "
          "difference | missed, Rapport |")
    print("|---|---|---|---|")
    print(f"| drop rule >= 1 point | {pairs:,} | {float_wrong:,} "
          f"({float_wrong / pairs:.2%}) | {rapport_wrong} |")
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
