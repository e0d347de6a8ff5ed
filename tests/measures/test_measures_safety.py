"""Safety flags that nothing can hide (issue 15, items 1, 2, 4 and 10): PHQ-9 item 9 left
blank, flags of every instrument first whatever the filter, items named in words, and
open flags in the FHIR export. Pure properties over the whole answer grid, then the real
CLI on a real record (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.measures import get_instrument, list_instruments, score
from rapport.store.database import Store

PHQ9 = get_instrument("phq9")
ITEM9_WORDS = "item 9 (thoughts that you would be better off dead, or of hurting yourself)"
UNANSWERED = f"{ITEM9_WORDS} not answered — ask directly"
cli = Cli()


def _grid(instrument_id: str, *, blanks: bool = True) -> st.SearchStrategy[dict[str, float | None]]:
    """Any administration of the instrument: every item any allowed value (or blank)."""
    instrument = get_instrument(instrument_id)
    if instrument.scale is None:
        value = st.sampled_from([float(o.value) for o in instrument.options])
    else:
        scale = instrument.scale
        steps = round((scale.max - scale.min) / scale.step)
        value = st.integers(0, steps).map(lambda n: round(scale.min + n * scale.step, 1))
    one = st.one_of(st.none(), value) if blanks else value
    return st.fixed_dictionaries(dict.fromkeys(instrument.item_ids, one))


# -- item 1: item 9 left blank is an urgent flag ---------------------------------------------
def test_eight_items_at_maximum_and_item_9_blank_is_urgent() -> None:
    result = score(PHQ9, {**dict.fromkeys(PHQ9.item_ids[:8], 3.0), "phq9_9": None})
    assert result.total is None  # no total, but not "no alert"
    assert [(f.item_number, f.reason) for f in result.safety_flags] == [(9, "unanswered")]
    assert result.safety_flags[0].message == f"PHQ-9 {UNANSWERED}"


@given(_grid("phq9"))
def test_item_9_flags_exactly_when_above_zero_or_blank(answers: dict[str, float | None]
                                                       ) -> None:
    flags = score(PHQ9, answers).safety_flags
    item9 = answers["phq9_9"]
    expected = [] if item9 == 0 else ["unanswered" if item9 is None else "answered"]
    assert [f.reason for f in flags] == expected


# -- item 4: alerts name items in words, never field ids --------------------------------------
@pytest.mark.parametrize("instrument_id", [i.id for i in list_instruments()])
@given(data=st.data())
def test_no_flag_message_shows_a_field_id(instrument_id: str, data: st.DataObject) -> None:
    instrument = get_instrument(instrument_id)
    result = score(instrument, data.draw(_grid(instrument_id)))
    for flag in result.safety_flags:
        assert not any(re.search(rf"\b{item}\b", flag.message) for item in instrument.item_ids)
        assert instrument.item_in_words(flag.item) in flag.message


def test_item_words_come_from_the_definition() -> None:
    assert PHQ9.item("phq9_9").alert_label == ITEM9_WORDS.split("(", 1)[1].rstrip(")")
    assert PHQ9.item_in_words("phq9_9") == ITEM9_WORDS
    # without a label, the item's own text in words; a licensed item: its number only
    assert PHQ9.item_in_words("phq9_1") == "item 1 (little interest or pleasure in doing things)"
    assert get_instrument("srs").item_in_words("srs_2") == "item 2"


# -- the record: every CLI entry path, the progress filter, FHIR ------------------------------
def _blank9(tmp_path: Path) -> list[list[str]]:
    """Item 9 blank from the command line, a JSON file and a CSV file."""
    as_json = tmp_path / "blank9.json"
    as_json.write_text(json.dumps({f"phq9_{n}": 3 for n in range(1, 9)}), encoding="utf-8")
    as_csv = tmp_path / "blank9.csv"
    as_csv.write_text(",".join(PHQ9.item_ids) + "\n3,3,3,3,3,3,3,3,\n", encoding="utf-8")
    return [["--answers", "3,3,3,3,3,3,3,3,"], ["--file", str(as_json)],
            ["--file", str(as_csv)]]


def test_item_9_blank_from_every_cli_path_is_urgent(clinic: Store, tmp_path: Path) -> None:
    for session, source in enumerate(_blank9(tmp_path), 1):
        scored = cli("measures", "score", "phq9", *source, code=0)
        assert scored.stdout.startswith(f"!! SAFETY: PHQ-9 {UNANSWERED}"), scored.stdout
        stored = cli("measures", "record", "C-1", "phq9", "--session", str(session), *source,
                     "--as", "tom", code=0)
        assert stored.stdout.startswith(f"!! SAFETY: PHQ-9 {UNANSWERED}")
    progress = cli("progress", "C-1", "--no-chart", "--as", "tom", code=0).stdout
    top = progress.splitlines()[1:5]
    assert top[0] == "Safety flags: 3 open, 0 acknowledged"
    assert all(line.startswith("!! OPEN  session ") and UNANSWERED in line for line in top[1:])
    assert "Alerts: none" not in progress and "phq9_9" not in progress.split("[")[0]


def test_a_filter_never_hides_a_safety_flag(clinic: Store) -> None:
    cli("measures", "record", "C-1", "phq9", "-s", "1", "-a", "1,1,1,1,1,1,1,1,2",
        "--as", "tom", code=0)
    for view in (["--instrument", "gad7"], ["--instrument", "phq9"], []):
        out = cli("progress", "C-1", *view, "--no-chart", "--as", "tom", code=0).stdout
        lines = out.splitlines()
        assert lines[1] == "Safety flags: 1 open, 0 acknowledged", view
        assert lines[2].startswith(f"!! OPEN  session 1: PHQ-9 {ITEM9_WORDS} answered 2"), view
        assert "No questionnaire responses recorded" not in out
    gad7 = cli("progress", "C-1", "--instrument", "gad7", "--as", "tom", code=0).stdout
    assert "No GAD-7 responses recorded." in gad7
    # the supervisor's view of the same client says the same
    sam = cli("progress", "C-1", "--instrument", "gad7", "--as", "sam", code=0).stdout
    assert sam.splitlines()[1] == "Safety flags: 1 open, 0 acknowledged"
    listed = cli("flags", "list", "--as", "sam", code=0).stdout
    assert listed.startswith("C-1  !! OPEN  session 1: PHQ-9")


def test_fhir_export_carries_open_flags_linked_to_the_observation(clinic: Store,
                                                                   tmp_path: Path) -> None:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.flag import Flag

    from rapport.caseload import acknowledge, client_flags

    cli("measures", "record", "C-1", "phq9", "-s", "1", "-a", "1,1,1,1,1,1,1,1,1",
        "--as", "tom", code=0)
    cli("measures", "record", "C-1", "phq9", "-s", "2", "-a", "1,1,1,1,1,1,1,1,0",
        "--as", "tom", code=0)
    cli("measures", "record", "C-1", "phq9", "-s", "3", "-a", "2,2,2,2,2,2,2,2,",
        "--as", "tom", code=0)
    cli("measures", "record", "C-1", "phq9", "-s", "4", "-a", "2,2,2,2,2,2,2,2,3",
        "--as", "tom", code=0)
    with clinic.transaction("tom") as tx:
        flags, _ = client_flags(tx, "C-1")
        first = next(f for f in flags if f.session == 1)
        acknowledge(tx, "C-1", first.ref, action="assessed", note="asked; no intent")
    out = tmp_path / "c1.json"
    result = cli("measures", "fhir", "C-1", "--out", out, "--as", "tom", code=0)
    assert "2 of them open safety flags" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    bundle = Bundle.model_validate(data)  # structure checked by fhir.resources
    resources = {f"urn:uuid:{e.resource.id}": e.resource for e in bundle.entry or []}
    flags_out = [r for r in resources.values() if r.get_resource_type() == "Flag"]
    assert len(flags_out) == 2  # session 3 (blank) and 4 (answered 3); not the acknowledged 1
    for flag in flags_out:
        Flag.model_validate(flag.model_dump())
        assert flag.status == "active" and flag.category[0].coding[0].code == "safety"
        assert flag.subject.reference == "Patient/C-1"
        linked = [resources[x.valueReference.reference] for x in flag.extension or []
                  if x.url == "http://hl7.org/fhir/StructureDefinition/flag-detail"]
        kinds = sorted(r.get_resource_type() for r in linked)
        assert "QuestionnaireResponse" in kinds
    by_code = {f.code.coding[0].code: f for f in flags_out}
    assert UNANSWERED in by_code["risk-item-unanswered"].code.text
    answered = by_code["risk-item-answered"]
    observation = next(resources[x.valueReference.reference] for x in answered.extension
                       if resources[x.valueReference.reference].get_resource_type()
                       == "Observation")
    assert observation.valueQuantity.value == 19  # session 4's total
    # with a filter, the open PHQ-9 flags are said to be left out
    gad7 = cli("measures", "fhir", "C-1", "--instrument", "gad7", "--out",
               tmp_path / "g.json", "--as", "tom", code=0)
    assert "2 open safety flag(s) of other questionnaires are not in this export" \
        in gad7.stderr
