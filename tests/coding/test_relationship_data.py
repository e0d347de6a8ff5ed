"""The relationship data: the frozen evaluation set cannot change silently; rows are valid."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rapport.coding.relationship.codes import ALL_CODES
from rapport.coding.relationship.data import (
    DATA_DIR,
    EVAL_FILE,
    TRAIN_FILE,
    file_sha256,
    load_examples,
)
from rapport.errors import RapportInputError


def test_frozen_eval_set_matches_the_recorded_hash() -> None:
    recorded = re.search(r"`([0-9a-f]{64})`", (DATA_DIR / "FROZEN.md").read_text("utf-8"))
    assert recorded is not None
    assert file_sha256(EVAL_FILE) == recorded.group(1)


@pytest.mark.parametrize("path", [TRAIN_FILE, EVAL_FILE], ids=["train", "eval"])
def test_every_code_has_enough_positives_and_the_ids_are_unique(path: Path) -> None:
    rows = load_examples(path)
    assert len({r.id for r in rows}) == len(rows)
    # the written data predate the two codes defined by context (repair, persuasion with
    # permission); the gold supplies those
    for code in set(ALL_CODES) - {"repair", "persuade_with_permission"}:
        assert sum(code in r.codes for r in rows) >= 35, code
    # hard negatives: rows with no code at all, for both roles
    assert sum(not r.codes and r.role == "client" for r in rows) >= 150
    assert sum(not r.codes and r.role == "therapist" for r in rows) >= 150


def test_training_rows_never_copy_an_evaluation_row() -> None:
    frozen = {(r.previous.lower(), r.text.lower()) for r in load_examples(EVAL_FILE)}
    train = {(r.previous.lower(), r.text.lower()) for r in load_examples(TRAIN_FILE)}
    assert not frozen & train


def test_old_code_names_are_read_as_the_codebook_names(tmp_path: Path) -> None:
    path = tmp_path / "old.jsonl"
    path.write_text('{"id": "a", "role": "therapist", "previous": "", "text": "Well done.", '
                    '"codes": ["affirmation", "advice_without_permission"]}\n', "utf-8")
    assert load_examples(path)[0].codes == ("affirm", "persuade")


@pytest.mark.parametrize(("line", "message"), [
    ('{"id": "x", "role": "therapist", "previous": "", "text": "Hi"}', "missing"),
    ('{"id": "x", "role": "nurse", "previous": "", "text": "Hi", "codes": []}', "role"),
    ('{"id": "x", "role": "client", "previous": "", "text": "Hi", "codes": ["confront"]}',
     "client codes"),
    ("not json", "JSON"),
])
def test_a_bad_line_is_one_clear_input_error(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "ok", "role": "client", "previous": "", "text": "Hi", '
                    '"codes": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(RapportInputError, match=message) as info:
        load_examples(path)
    assert info.value.where == f"{path}:2"
