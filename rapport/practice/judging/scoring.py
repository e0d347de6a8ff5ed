"""How well the judge agrees with human coding: the numbers benchmarks/practice_eval.py prints."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapport.coding.agreement import cohen_kappa, confusion_matrix, expected_calibration_error
from rapport.practice.judgement import PRACTICE_CODES, VERDICTS

#: The drills whose advice-without-permission must never be judged met (the issue's goal).
ADVICE_GOAL_SKILLS = ("empathy", "validation", "autonomy")


@dataclass(frozen=True)
class Scored:
    """One reply: the gold and the judge's reading."""

    skill: str
    gold: str
    gold_codes: frozenset[str]
    verdict: str
    codes: frozenset[str]
    confidence: float
    unsure: bool


def verdict_lines(rows: Sequence[Scored]) -> list[str]:
    """Agreement, kappa (overall and per skill), the confusion matrix, ECE, sure/unsure."""
    out = [_agreement_line("all", rows), ""]
    out += ["| skill | replies | agreement | kappa |", "|---|---|---|---|"]
    by_skill: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        by_skill[r.skill].append(r)
    for skill in sorted(by_skill):
        part = by_skill[skill]
        out.append(f"| {skill} | {len(part)} | {_accuracy(part):.3f} | "
                   f"{cohen_kappa([r.gold for r in part], [r.verdict for r in part]):.3f} |")
    matrix = confusion_matrix([r.gold for r in rows], [r.verdict for r in rows], VERDICTS)
    out += ["", "Confusion (rows = gold, columns = judge):", "",
            "| | " + " | ".join(VERDICTS) + " |", "|---|---|---|---|"]
    out += [f"| **{v}** | " + " | ".join(str(n) for n in row) + " |"
            for v, row in zip(VERDICTS, matrix, strict=True)]
    ece = expected_calibration_error([r.confidence for r in rows],
                                     [r.gold == r.verdict for r in rows])
    sure = [r for r in rows if not r.unsure]
    unsure = [r for r in rows if r.unsure]
    split = (f"Sure: {len(sure)} replies, accuracy {_accuracy(sure):.3f}; unsure: "
             f"{len(unsure)} replies, accuracy {_accuracy(unsure):.3f}")
    out += ["", f"ECE of the verdict confidence: {ece:.3f}", split]
    advice = [r for r in rows if r.skill in ADVICE_GOAL_SKILLS
              and "advice_without_permission" in r.gold_codes]
    out.append(f"Advice without permission (gold codes) judged met on empathy/validation/"
               f"autonomy drills: {sum(r.verdict == 'met' for r in advice)} of {len(advice)} "
               "(goal 0)")
    return out


def code_lines(rows: Sequence[Scored]) -> list[str]:
    out = ["| code | gold | judge | precision | recall |", "|---|---|---|---|---|"]
    for code in PRACTICE_CODES:
        gold = sum(code in r.gold_codes for r in rows)
        found = sum(code in r.codes for r in rows)
        both = sum(code in r.gold_codes and code in r.codes for r in rows)
        if gold or found:
            precision = f"{both / found:.2f}" if found else "-"
            recall = f"{both / gold:.2f}" if gold else "-"
            out.append(f"| {code} | {gold} | {found} | {precision} | {recall} |")
    return out


def _accuracy(rows: Sequence[Scored]) -> float:
    return sum(r.gold == r.verdict for r in rows) / len(rows) if rows else float("nan")


def _agreement_line(title: str, rows: Sequence[Scored]) -> str:
    kappa = cohen_kappa([r.gold for r in rows], [r.verdict for r in rows])
    return (f"**{title}: {len(rows)} replies, verdict agreement {_accuracy(rows):.3f} "
            f"(goal >= 0.85), Cohen's kappa {kappa:.3f} (goal >= 0.70)**")
