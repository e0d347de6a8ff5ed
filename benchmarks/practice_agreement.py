"""Agreement of the practice set's two independent coding passes (and each with the gold).

    python benchmarks/practice_agreement.py

Prints verdict agreement and Cohen's kappa, overall and per skill, and per-code kappa with
each pass's counts. Reads data/practice/eval/pass-a.jsonl, pass-b.jsonl and gold.jsonl.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from rapport.practice import load_drills
from rapport.practice.evalset import agreement, load_codings, load_replies

EVAL = Path(__file__).resolve().parent.parent / "data" / "practice" / "eval"


def main() -> None:
    replies = load_replies(EVAL / "replies.jsonl")
    skill_of = {d.id: d.skill for d in load_drills()}
    a, b = load_codings(EVAL / "pass-a.jsonl"), load_codings(EVAL / "pass-b.jsonl")
    pairs = [("pass A vs pass B", a, b)]
    if (EVAL / "gold.jsonl").exists():
        gold = load_codings(EVAL / "gold.jsonl")
        pairs += [("pass A vs gold", a, gold), ("pass B vs gold", b, gold)]
    by_skill: dict[str, list[str]] = defaultdict(list)
    for reply in replies:
        by_skill[skill_of[reply.drill_id]].append(reply.id)
    for title, x, y in pairs:
        overall = agreement(x, y, [r.id for r in replies])
        print(f"\n## {title}: {overall.units} replies, verdict agreement "
              f"{overall.verdict_agreement:.3f}, Cohen's kappa {overall.verdict_kappa:.3f}\n")
        print("| skill | replies | agreement | kappa |\n|---|---|---|---|")
        for skill, ids in sorted(by_skill.items()):
            part = agreement(x, y, ids)
            print(f"| {skill} | {part.units} | {part.verdict_agreement:.3f} | "
                  f"{part.verdict_kappa:.3f} |")
        print("\n| code | count (first) | count (second) | kappa |\n|---|---|---|---|")
        for code, (na, nb, kappa) in overall.code_kappa.items():
            if na or nb:
                print(f"| {code} | {na} | {nb} | {kappa:.3f} |")


if __name__ == "__main__":
    main()
