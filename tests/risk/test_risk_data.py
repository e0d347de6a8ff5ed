"""The risk data: frozen evaluation set untouched, development sets apart from it."""

from __future__ import annotations

import hashlib
import json

from rapport.risk.codes import RISK_CODES
from rapport.risk.data import DATA_DIR, EVAL_DIR, load_items
from rapport.risk.evaluation import FROZEN, frozen_items
from rapport.risk.training import dev_folders


def test_the_evaluation_set_is_the_frozen_one() -> None:
    for name, digest in FROZEN.items():
        assert hashlib.sha256((EVAL_DIR / name).read_bytes()).hexdigest() == digest
    text = (DATA_DIR / "FROZEN.md").read_text("utf-8")
    assert all(digest in text for digest in FROZEN.values())


def test_the_evaluation_set_meets_its_minimums() -> None:
    items = frozen_items()
    assert len(items) >= 300
    for code in RISK_CODES:
        assert sum(code in i.codes for i in items) >= 30, code
    assert sum(not i.codes for i in items) / len(items) >= 0.40
    assert all(i.response is not None for i in items if i.codes)
    assert all(i.evidence in i.client for i in items if i.codes)


def test_no_development_turn_repeats_an_evaluation_turn() -> None:
    held = {" ".join(i.client.lower().split()) for i in load_items(EVAL_DIR)}
    for folder in dev_folders():
        for item in load_items(folder):
            assert " ".join(item.client.lower().split()) not in held, item.id


def test_judged_annomi_turns_name_known_codes() -> None:
    for line in (DATA_DIR / "annomi_judged.jsonl").read_text("utf-8").splitlines():
        record = json.loads(line)
        assert set(record["codes"]) <= set(RISK_CODES) and record["why"]
