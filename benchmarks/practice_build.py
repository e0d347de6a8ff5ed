"""Build the practice evaluation data from the writers' files, and the coders' packets.

    python benchmarks/practice_build.py replies --from /work/practice-writing
    python benchmarks/practice_build.py packets --out /work/practice-coding

``replies`` writes data/practice/{eval,dev}/replies.jsonl and data/practice/intent.jsonl
(the writers' intended style, kept from the coders). ``packets`` writes one folder per
coder holding only what a coder may see: the frozen codebook, the drills of their replies
and the replies (shuffled with a fixed seed, without the writers' intent).
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


def packets(out: Path) -> None:
    drills = {d.id: d for d in load_drills()}
    for coder, sources in PACKETS.items():
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["replies", "packets"])
    parser.add_argument("--from", dest="source", type=Path, default=Path("/work/practice-writing"))
    parser.add_argument("--out", type=Path, default=Path("/work/practice-coding"))
    args = parser.parse_args()
    replies(args.source) if args.step == "replies" else packets(args.out)


if __name__ == "__main__":
    main()
