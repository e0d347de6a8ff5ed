"""The practice evaluation set stays frozen: hashes, counts and drill ids are checked."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rapport.practice import SKILLS, load_drills
from rapport.practice.evalset import load_replies, sha256_of

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "practice"
FROZEN = {
    DATA / "eval" / "replies.jsonl":
        "d3ba9acac5dfd4b93721df0392a5f00b92161dd5bd5265f4a528f4dd3ae82934",
    DATA / "dev" / "replies.jsonl":
        "1f9d55839dba686b56967d3e746bd04e745782e04386c75a36d6102b8cb7414f",
    DATA / "dev" / "replies-2.jsonl":
        "ede80dac42a4097e61f626263bd4d5bfb93a8db9036ef382b6cd3921e54b8cdf",
    DATA / "eval" / "gold.jsonl":
        "7384d112b492e25223fff2046c9160bdaa793e9d5f9dd612bd925a7e3494b443",
    ROOT / "docs" / "practice-codebook.md":
        "09f0769958a7b452785aa07c4ae8b4373f4786477c3063c6c4d3a9758ce434f5",
}


def test_frozen_files_are_unchanged() -> None:
    for path, digest in FROZEN.items():
        assert sha256_of(path) == digest, f"{path} changed after it was frozen"


def test_every_reply_answers_a_known_drill_and_every_skill_has_its_share() -> None:
    skill_of = {d.id: d.skill for d in load_drills()}
    for part, per_skill in (("eval", 36), ("dev", 20)):
        replies = load_replies(DATA / part / "replies.jsonl")
        assert len({r.id for r in replies}) == len(replies)
        counts = Counter(skill_of[r.drill_id] for r in replies)
        assert counts == dict.fromkeys(SKILLS, per_skill)


def test_gold_and_both_passes_cover_every_evaluation_reply_with_codebook_values() -> None:
    from rapport.practice.evalset import load_codings

    ids = {r.id for r in load_replies(DATA / "eval" / "replies.jsonl")}
    for name in ("pass-a", "pass-b", "gold"):
        assert set(load_codings(DATA / "eval" / f"{name}.jsonl")) == ids
    dev = {r.id for r in load_replies(DATA / "dev" / "replies.jsonl")}
    assert set(load_codings(DATA / "dev" / "pass-a.jsonl")) == dev
    second = load_replies(DATA / "dev" / "replies-2.jsonl")
    assert set(load_codings(DATA / "dev" / "pass-2.jsonl")) == {r.id for r in second}
    skill_of = {d.id: d.skill for d in load_drills()}
    # 40 per skill were written; two short ones that an evaluation reply repeats word for
    # word ("Are you suicidal?", "Fair enough.") were taken out before any training
    assert sum(Counter(skill_of[r.drill_id] for r in second).values()) == 478
    assert not {r.reply for r in second} & {r.reply for r in load_replies(
        DATA / "eval" / "replies.jsonl")}
