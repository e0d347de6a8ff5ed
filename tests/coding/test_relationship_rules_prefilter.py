"""The relationship rules' one-alternation pre-check never hides a hit (issue 17 speed-up)."""

from __future__ import annotations

import pytest

from rapport.coding.relationship import rules
from rapport.coding.relationship.training import gold_dialogues, written_dialogues


@pytest.mark.parametrize("role", ["therapist", "client"])
def test_a_turn_the_precheck_skips_has_no_phrase_hit(role: str) -> None:
    dev, frozen = gold_dialogues()
    texts = [t for d in [*dev, *frozen, *written_dialogues()] for t in d.texts]
    skipped = hit = 0
    for text in texts:
        norm = rules.normalise(text)
        full = rules.phrase_hits(norm, role)
        if rules._any_pattern(role).search(norm) is None:
            skipped += 1
            assert full == [], text
        hit += bool(full)
        # what the coder reads starts with the full loop's answer (context rules follow)
        assert rules.rule_hits(text, "", role)[:len(full)] == full
    assert skipped and hit  # both paths are exercised by real turns
