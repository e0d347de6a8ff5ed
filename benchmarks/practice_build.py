"""Build the practice evaluation data from the writers' files, and the coders' packets.

    python benchmarks/practice_build.py replies --from /work/practice-writing
    python benchmarks/practice_build.py packets --out /work/practice-coding
    python benchmarks/practice_build.py passes --out /work/practice-coding
    python benchmarks/practice_build.py adjudication --out /work/practice-coding
    python benchmarks/practice_build.py gold --out /work/practice-coding
    python benchmarks/practice_build.py replies2|packets2|passes2   # the second dev batch

``replies`` writes data/practice/{eval,dev}/replies.jsonl and data/practice/intent.jsonl
(the writers' intended style, kept from the coders). ``packets`` writes one folder per
coder holding only what a coder may see: the frozen codebook, the drills of their replies
and the replies (shuffled with a fixed seed, without the writers' intent). ``passes`` copies
the coders' ``coding.jsonl`` into data/practice/{eval,dev}/pass-{a,b}.jsonl in the replies'
order. ``adjudication`` writes a packet of the evaluation replies on which the passes
differ (verdict or codes) with both readings; ``gold`` joins the agreed replies and the
adjudicator's decisions into data/practice/eval/gold.jsonl.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path

import yaml

from rapport.practice import load_drills

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "practice"
# coder -> the reply files they code; pass A codes the development replies too.
PACKETS = {
    "pass-a-1": ["eval/replies.jsonl:ea-", "dev/replies.jsonl:da-"],
    "pass-a-2": ["eval/replies.jsonl:eb-", "dev/replies.jsonl:db-"],
    "pass-b-1": ["eval/replies.jsonl:ea-"],
    "pass-b-2": ["eval/replies.jsonl:eb-"],
}
# The second development batch (written after the first scoring of the evaluation set):
# one pass, two coders.
PACKETS_2 = {
    "dev2-1": ["dev/replies-2.jsonl:dc-"],
    "dev2-2": ["dev/replies-2.jsonl:dd-"],
}


def _read(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def replies(source: Path) -> None:
    for part in ("eval", "dev"):
        rows = [r for half in ("a", "b") for r in _read(source / f"{part}-{half}.jsonl")]
        _write(DATA / part / "replies.jsonl",
               [{"id": r["id"], "drill_id": r["drill_id"], "reply": r["reply"]} for r in rows])
        print(f"{part}: {len(rows)} replies")
    _write(DATA / "intent.jsonl", [r for half in ("a", "b")
                                   for r in _read(source / f"intent-{half}.jsonl")])


def replies2(source: Path) -> None:
    rows = [r for half in ("a", "b") for r in _read(source / f"dev2-{half}.jsonl")]
    _write(DATA / "dev" / "replies-2.jsonl",
           [{"id": r["id"], "drill_id": r["drill_id"], "reply": r["reply"]} for r in rows])
    intents = [r for half in ("a", "b") for r in _read(source / f"intent2-{half}.jsonl")]
    _write(DATA / "intent.jsonl", _read(DATA / "intent.jsonl") + intents)
    print(f"dev batch 2: {len(rows)} replies")


def packets(out: Path, table: dict[str, list[str]] | None = None) -> None:
    drills = {d.id: d for d in load_drills()}
    for coder, sources in (table or PACKETS).items():
        folder = out / coder
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for source in sources:
            name, prefix = source.split(":")
            rows += [r for r in _read(DATA / name) if r["id"].startswith(prefix)]
        random.Random(coder).shuffle(rows)
        _write(folder / "replies.jsonl", rows)
        used = sorted({r["drill_id"] for r in rows})
        (folder / "drills.yaml").write_text(yaml.safe_dump(
            [drills[i].model_dump(exclude_none=True) for i in used], sort_keys=False,
            allow_unicode=True, width=100), encoding="utf-8")
        shutil.copy(ROOT / "docs" / "practice-codebook.md", folder / "codebook.md")
        print(f"{coder}: {len(rows)} replies, {len(used)} drills")


def _coded(out: Path, prefix: str) -> dict[str, dict[str, object]]:
    return {str(r["id"]): r for coder in PACKETS if coder.startswith(prefix)
            for r in _read(out / coder / "coding.jsonl")}


def _codings_in_order(part: str, coded: dict[str, dict[str, object]]) -> list[dict[str, object]]:
    rows = [coded[r["id"]] for r in _read(DATA / part / "replies.jsonl") if r["id"] in coded]
    return [{"id": r["id"], "verdict": r["verdict"], "codes": sorted(r["codes"]),  # type: ignore[call-overload]
             "reason": r.get("reason", "")} for r in rows]


def passes(out: Path) -> None:
    a, b = _coded(out, "pass-a"), _coded(out, "pass-b")
    for part, name, coded in (("eval", "pass-a", a), ("dev", "pass-a", a), ("eval", "pass-b", b)):
        rows = _codings_in_order(part, coded)
        _write(DATA / part / f"{name}.jsonl", rows)  # type: ignore[arg-type]
        print(f"{part}/{name}.jsonl: {len(rows)} codings")


def _disagreements() -> tuple[list[dict[str, object]], dict[str, dict[str, object]]]:
    a = {str(r["id"]): r for r in _read(DATA / "eval" / "pass-a.jsonl")}
    b = {str(r["id"]): r for r in _read(DATA / "eval" / "pass-b.jsonl")}
    differ, agreed = [], {}
    for reply in _read(DATA / "eval" / "replies.jsonl"):
        x, y = a[reply["id"]], b[reply["id"]]
        if x["verdict"] == y["verdict"] and sorted(x["codes"]) == sorted(y["codes"]):  # type: ignore[call-overload]
            agreed[reply["id"]] = x
        else:
            differ.append({**reply, "first": {k: x[k] for k in ("verdict", "codes", "reason")},
                           "second": {k: y[k] for k in ("verdict", "codes", "reason")}})
    return differ, agreed


def adjudication(out: Path) -> None:
    differ, _ = _disagreements()
    folder = out / "adjudication"
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "disagreements.jsonl", differ)  # type: ignore[arg-type]
    drills = {d.id: d for d in load_drills()}
    used = sorted({str(r["drill_id"]) for r in differ})
    (folder / "drills.yaml").write_text(yaml.safe_dump(
        [drills[i].model_dump(exclude_none=True) for i in used], sort_keys=False,
        allow_unicode=True, width=100), encoding="utf-8")
    shutil.copy(ROOT / "docs" / "practice-codebook.md", folder / "codebook.md")
    print(f"adjudication: {len(differ)} replies on which the passes differ")


def gold(out: Path) -> None:
    _, agreed = _disagreements()
    decided = {str(r["id"]): r for r in _read(out / "adjudication" / "decisions.jsonl")}
    rows = []
    for reply in _read(DATA / "eval" / "replies.jsonl"):
        row = agreed.get(reply["id"]) or decided[reply["id"]]
        rows.append({"id": reply["id"], "verdict": row["verdict"], "codes": sorted(row["codes"]),  # type: ignore[call-overload]
                     "reason": row.get("reason", ""),
                     "source": "agreed" if reply["id"] in agreed else "adjudicated"})
    _write(DATA / "eval" / "gold.jsonl", rows)  # type: ignore[arg-type]
    shutil.copy(out / "adjudication" / "decisions.jsonl", DATA / "eval" / "adjudication.jsonl")
    print(f"gold: {len(rows)} replies, {len(decided)} adjudicated")


def packets2(out: Path) -> None:
    packets(out, PACKETS_2)


def passes2(out: Path) -> None:
    coded = {str(r["id"]): r for coder in PACKETS_2
             for r in _read(out / coder / "coding.jsonl")}
    rows = [coded[r["id"]] for r in _read(DATA / "dev" / "replies-2.jsonl")]
    _write(DATA / "dev" / "pass-2.jsonl", [
        {"id": r["id"], "verdict": r["verdict"], "codes": sorted(r["codes"]),  # type: ignore[call-overload]
         "reason": r.get("reason", "")} for r in rows])
    print(f"dev/pass-2.jsonl: {len(rows)} codings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["replies", "packets", "passes", "adjudication", "gold",
                                         "replies2", "packets2", "passes2"])
    parser.add_argument("--from", dest="source", type=Path, default=Path("/work/practice-writing"))
    parser.add_argument("--out", type=Path, default=Path("/work/practice-coding"))
    args = parser.parse_args()
    if args.step in ("replies", "replies2"):
        (replies if args.step == "replies" else replies2)(args.source)
    else:
        {"packets": packets, "passes": passes, "adjudication": adjudication, "gold": gold,
         "packets2": packets2, "passes2": passes2}[args.step](args.out)


if __name__ == "__main__":
    main()
