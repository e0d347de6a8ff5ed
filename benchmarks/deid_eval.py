"""Span-level precision, recall and F1 of ``find_identifiers`` per identifier type.

A gold span is *found* when a predicted span of the same type overlaps it (and *exact* when
start and end match too); a predicted span is *correct* when it overlaps a gold span of the
same type. Rows of one transcript (``"session"`` in the JSONL) are scored together, as
``rapport deid`` sees a session; other rows each on their own. *Other words kept* is the share
of word tokens outside every gold span that no predicted span touches (how much of the text
that identifies no one stays readable). Prints a Markdown table per set.

    .venv/bin/python benchmarks/deid_eval.py                      # frozen set (eval)
    .venv/bin/python benchmarks/deid_eval.py holdout2             # a set by name
    .venv/bin/python benchmarks/deid_eval.py data/deid/dev.jsonl  # or by path
    .venv/bin/python benchmarks/deid_eval.py --misses dev dev2 holdout  # development only

``--misses`` also lists every missed gold span and every wrong prediction with its text. Use
it on development sets only: looking at the misses of a frozen set turns it into one.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rapport.deid import IdType, Span, find_identifiers_session

ROOT = Path(__file__).resolve().parent.parent


def _overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def sessions(rows: list[dict[str, object]]) -> list[list[dict[str, object]]]:
    """Rows grouped by transcript, in order; a row without a session is its own group."""
    groups: dict[str, list[dict[str, object]]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(str(row.get("session", f"\x00row{i}")), []).append(row)
    return list(groups.values())


def predict(group: Sequence[dict[str, object]]) -> list[list[Span]]:
    """What ``rapport deid`` finds in one transcript's turns."""
    known = [str(n) for n in group[0]["known_names"]]  # type: ignore[attr-defined]
    return find_identifiers_session([str(r["text"]) for r in group], known_names=known)


def words_kept(text: str, gold: Sequence[dict[str, object]], pred: Sequence[Span],
               ) -> tuple[int, int]:
    """(kept, total) word tokens of ``text`` outside every gold span."""
    kept = total = 0
    for m in _WORD.finditer(text):
        if any(_overlap(m.start(), m.end(), int(g["start"]), int(g["end"]))  # type: ignore[call-overload]
               for g in gold):
            continue
        total += 1
        kept += not any(_overlap(m.start(), m.end(), p.start, p.end) for p in pred)
    return kept, total


def score(rows: list[dict[str, object]], misses: list[str] | None = None,
          ) -> dict[str, Counter[str]]:
    """Tally gold/found/exact/pred/correct per type (and words kept under ``"WORDS"``);
    append readable errors to ``misses``."""
    tallies: dict[str, Counter[str]] = {t.value: Counter() for t in IdType}
    words: Counter[str] = Counter()
    for group in sessions(rows):
        for row, pred in zip(group, predict(group), strict=True):
            _score_row(row, pred, tallies, words, misses)
    tallies["WORDS"] = words
    return tallies


def _score_row(row: dict[str, object], pred: list[Span], tallies: dict[str, Counter[str]],
           words: Counter[str], misses: list[str] | None) -> None:
    text = str(row["text"])
    gold: list[dict[str, object]] = row["spans"]  # type: ignore[assignment]
    kept, total = words_kept(text, gold, pred)
    words["kept"] += kept
    words["total"] += total
    for g in gold:
        t = tallies[str(g["type"])]
        t["gold"] += 1
        hits = [p for p in pred if p.type.value == g["type"]
                and _overlap(p.start, p.end, int(g["start"]), int(g["end"]))]  # type: ignore[call-overload]
        t["found"] += bool(hits)
        t["exact"] += any(p.start == g["start"] and p.end == g["end"] for p in hits)
        if misses is not None and not hits:
            misses.append(f"MISS {g['type']:8} {g['text']!r:28} in {text!r}")
    for p in pred:
        t = tallies[p.type.value]
        t["pred"] += 1
        right = any(p.type.value == g["type"] and _overlap(
            p.start, p.end, int(g["start"]), int(g["end"])) for g in gold)  # type: ignore[call-overload]
        t["correct"] += right
        if misses is not None and not right:
            misses.append(f"FALSE {p.type.value:7} {p.text!r:28} in {text!r}")


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "n/a"


def table(tallies: dict[str, Counter[str]]) -> str:
    total: Counter[str] = Counter()
    lines = ["| type | gold | predicted | recall | precision | F1 | exact-span recall |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    kinds = [(k, t) for k, t in tallies.items() if k != "WORDS"]
    for kind, t in [*kinds, ("ALL", total)]:
        if kind != "ALL":
            total.update(t)
        r = t["found"] / t["gold"] if t["gold"] else 0.0
        p = t["correct"] / t["pred"] if t["pred"] else 0.0
        f1 = f"{2 * p * r / (p + r):.3f}" if p + r else "n/a"
        lines.append(f"| {kind} | {t['gold']} | {t['pred']} | {_ratio(t['found'], t['gold'])} "
                     f"| {_ratio(t['correct'], t['pred'])} | {f1} "
                     f"| {_ratio(t['exact'], t['gold'])} |")
    words = tallies.get("WORDS", Counter())
    if words["total"]:
        lines.append(f"\nOther words kept: {_ratio(words['kept'], words['total'])} "
                     f"({words['kept']} of {words['total']} words outside gold spans)")
    return "\n".join(lines)


def set_path(name: str) -> Path:
    """A set given by name ("holdout2") or by path ("data/deid/dev.jsonl")."""
    path = Path(name)
    if path.suffix == ".jsonl":
        return path
    return ROOT / "data" / "deid" / f"{name}.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sets", nargs="*", default=["eval"],
                        help="set names in data/deid (eval, holdout, holdout2, dev...) or paths")
    parser.add_argument("--misses", action="store_true",
                        help="list missed and wrong spans (development sets only)")
    args = parser.parse_args()
    for name in args.sets:
        path = set_path(name)
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        misses: list[str] | None = [] if args.misses else None
        tallies = score(rows, misses)
        print(f"{path.name}: {len(rows)} utterances\n")
        print(table(tallies))
        for line in misses or []:
            print(line)
        print()


if __name__ == "__main__":
    main()
