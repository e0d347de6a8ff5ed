"""The drill library: it loads from the installed package, is big and even enough, and a bad
drill stops with one error naming the file, the drill and the field."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.practice import BOUNDARY_CASES, SKILLS, load_drills
from rapport.practice.drills import parse_drill_file

GOOD = {
    "id": "empathy-99", "skill": "empathy", "title": "A test drill",
    "context": [{"speaker": "client", "text": "It has been a long week."}],
    "client_turn": "I just feel flat all the time.",
    "target": "Reflect the feeling under the words.",
    "good_reply_does": ["complex reflection"],
    "exemplars": ["It sounds like everything has gone grey.", "You're worn right down."],
    "common_mistakes": [{"description": "Advice", "example": "Try going for a walk."},
                        {"description": "Reassurance", "example": "It'll pass."}],
}


def test_library_loads_at_least_150_drills_with_unique_ids() -> None:
    drills = load_drills()
    assert len(drills) >= 150
    ids = [d.id for d in drills]
    assert len(set(ids)) == len(ids)


def test_every_skill_has_at_least_ten_drills() -> None:
    counts = Counter(d.skill for d in load_drills())
    assert set(counts) == set(SKILLS)
    assert min(counts.values()) >= 10, counts


def test_every_boundary_case_has_at_least_two_drills() -> None:
    cases = Counter(d.case for d in load_drills() if d.skill == "boundaries")
    assert all(cases[c] >= 2 for c in BOUNDARY_CASES), cases
    assert set(cases) == set(BOUNDARY_CASES)


def test_each_drill_has_two_or_three_exemplars_and_two_to_four_mistakes() -> None:
    for drill in load_drills():
        assert 2 <= len(drill.exemplars) <= 3, drill.id
        assert 2 <= len(drill.common_mistakes) <= 4, drill.id
        assert 1 <= len(drill.context) <= 3, drill.id


def test_suicide_exemplars_ask_about_suicide_or_plan_safety() -> None:
    words = ("suicide", "kill", "ending your life", "end your life", "safe", "plan", "gun",
             "tablets", "dying", "jumping")
    for drill in load_drills():
        if drill.skill == "suicide_risk":
            for reply in drill.exemplars:
                assert any(w in reply.lower() for w in words), (drill.id, reply)


def test_drill_files_are_package_data_found_by_importlib_resources() -> None:
    folder = resources.files("rapport.practice") / "drills"
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))
    assert names == sorted(f"{skill}.yaml" for skill in SKILLS)


def test_a_good_drill_parses() -> None:
    [drill] = parse_drill_file("drills/empathy.yaml", yaml.safe_dump([GOOD]))
    assert drill.id == "empathy-99"


@pytest.mark.parametrize(("field", "value", "named"), [
    ("skill", "kindness", "skill"),
    ("exemplars", ["only one"], "exemplars"),
    ("common_mistakes", [{"description": "x" * 3}], "common_mistakes.0.example"),
    ("context", [{"speaker": "mother", "text": "hello"}], "context.0.speaker"),
    ("id", "Empathy 1", "id"),
    ("id", "validation-01", "id"),
    ("case", "gift", "case"),
    ("surprise", "field", "surprise"),
])
def test_a_bad_field_is_one_error_naming_file_drill_and_field(field: str, value: object,
                                                              named: str) -> None:
    bad = {**GOOD, field: value}
    with pytest.raises(RapportInputError) as err:
        parse_drill_file("drills/empathy.yaml", yaml.safe_dump([GOOD, bad]))
    assert err.value.where is not None
    assert err.value.where.startswith("drills/empathy.yaml: drill 2")
    assert err.value.where.endswith(named)
    assert err.value.fix


def test_a_missing_field_is_named() -> None:
    bad = {k: v for k, v in GOOD.items() if k != "target"}
    with pytest.raises(RapportInputError, match=r"drill 1 \(empathy-99\), target"):
        parse_drill_file("drills/empathy.yaml", yaml.safe_dump([bad]))


def test_broken_yaml_and_empty_files_are_clear_errors() -> None:
    with pytest.raises(RapportInputError, match="not valid YAML"):
        parse_drill_file("drills/empathy.yaml", "- id: [unclosed\n")
    with pytest.raises(RapportInputError, match="non-empty list"):
        parse_drill_file("drills/empathy.yaml", "")


_FIELDS = sorted(k for k in GOOD if k != "id")
_junk = st.one_of(st.none(), st.integers(), st.just(""), st.just([]), st.just({}),
                  st.lists(st.integers(), min_size=1, max_size=5), st.text(max_size=1))


@given(field=st.sampled_from(_FIELDS), value=_junk)
def test_any_junk_in_any_field_is_one_input_error_naming_that_field(field: str,
                                                                     value: object) -> None:
    bad = {**GOOD, field: value}
    with pytest.raises(RapportInputError) as err:
        parse_drill_file("drills/empathy.yaml", yaml.safe_dump([bad]))
    assert err.value.where is not None
    assert f", {field}" in err.value.where
    assert err.value.where.startswith("drills/empathy.yaml: drill 1 (empathy-99)")
