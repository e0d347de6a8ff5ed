"""A change to an administration with an urgent item is never "recovered" on its own; an
administration with no answered item is never stored; one form never asks a question
twice. Pure properties of the library, then the real CLI and the record (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_runner import Cli
from hypothesis import given
from hypothesis import strategies as st

from rapport.errors import RapportInputError
from rapport.measures import Administration, classify_change, get_instrument, progress, score
from rapport.measures.catalog import list_instruments
from rapport.store.database import Store
from rapport.store.responses import list_responses

PHQ9 = get_instrument("phq9")
GAD7 = get_instrument("gad7")
CAVEAT = "PHQ-9 item 9 endorsed (2): follow up"
cli = Cli()


def _phq9(*values: float | None) -> dict[str, float | None]:
    return dict(zip(PHQ9.item_ids, values, strict=True))


# -- bug 1: the category stays total-based; the words never say "recovered" beside item 9 ---
def test_the_reviewers_case_keeps_the_category_and_adds_the_caveat() -> None:
    from rapport.measures.change import change_words

    intake = score(PHQ9, _phq9(2, 2, 2, 2, 2, 0, 0, 0, 0))  # 10, item 9 = 0
    later = score(PHQ9, _phq9(0, 0, 0, 0, 0, 0, 0, 0, 2))  # 2, item 9 = 2
    report = progress(PHQ9, [Administration(session=1, score=intake),
                             Administration(session=5, score=later)])
    overall = report.overall
    assert overall is not None
    assert (overall.category, overall.difference) == ("recovered", -8)  # Jacobson-Truax
    assert overall.safety_caveat == CAVEAT
    assert change_words(overall) == f"improved on the total, across the cut-off — {CAVEAT}"
    assert report.points[1].change == overall


def test_a_later_blank_item_9_is_named_on_the_overall_change() -> None:
    from rapport.measures.change import change_words

    report = progress(PHQ9, [
        Administration(session=1, score=score(PHQ9, _phq9(3, 3, 3, 3, 3, 0, 0, 0, 0))),
        Administration(session=2, score=score(PHQ9, _phq9(0, 0, 0, 0, 0, 0, 0, 0, 0))),
        Administration(session=3, score=score(PHQ9, _phq9(0, 0, 0, 0, 0, 0, 0, 0, None)))])
    assert report.overall is not None and report.overall.category == "recovered"
    assert report.overall.safety_caveat == "PHQ-9 item 9 not answered: follow up"
    assert report.points[1].change is not None
    assert report.points[1].change.safety_caveat is None  # session 2 itself had item 9 = 0
    assert change_words(report.points[1].change) == "recovered"


answers9 = st.fixed_dictionaries(dict.fromkeys(PHQ9.item_ids, st.sampled_from([0, 1, 2, 3])))


@given(answers9, answers9)
def test_words_say_recovered_only_without_an_urgent_item(first: dict[str, float],
                                                         last: dict[str, float]) -> None:
    from rapport.measures.change import change_words

    before, after = score(PHQ9, first), score(PHQ9, last)
    report = progress(PHQ9, [Administration(session=1, score=before),
                             Administration(session=2, score=after)])
    overall = report.overall
    assert overall is not None and before.total is not None and after.total is not None
    # the category is exactly the published total-based one
    assert overall.category == classify_change(PHQ9, before.total, after.total).category
    flagged = last["phq9_9"] > 0
    assert (overall.safety_caveat is not None) is flagged
    words = change_words(overall) or ""
    assert ("recovered" in words) is (overall.category == "recovered" and not flagged)
    if flagged:
        assert f"item 9 endorsed ({last['phq9_9']:g})" in words


def test_progress_prints_the_caveat_not_recovered(clinic: Store) -> None:
    cli("measures", "record", "C-1", "phq9", "-s", "1", "-a", "2,2,2,2,2,0,0,0,0",
        "--as", "tom", code=0)
    cli("measures", "record", "C-1", "phq9", "-s", "5", "-a", "0,0,0,0,0,0,0,0,2",
        "--as", "tom", code=0)
    out = cli("progress", "C-1", "--no-chart", "--as", "tom", code=0).stdout
    assert "recovered" not in out
    assert ("Since the first score: 10 -> 2 (-8): improved on the total, across the "
            f"cut-off — {CAVEAT}") in out
    row = next(line for line in out.splitlines() if line.strip().startswith("5 "))
    assert f"-8 (improved on the total, across the cut-off — {CAVEAT})" in row
    assert "answered 2 (More than half the days): urgent" in out  # the flag itself, on top


# -- bug 2: no answered item, nothing stored, the real entry still possible -----------------
def test_a_blank_administration_is_refused_and_the_real_one_stored(clinic: Store,
                                                                   tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"answers": {}}), encoding="utf-8")
    for source in (["--answers", ",,,,,,"], ["--file", str(empty)]):
        refused = cli("measures", "record", "C-1", "gad7", "-s", "4", *source, "--as", "tom",
                      code=2)
        assert "no item of the GAD-7 is answered" in refused.stderr
        assert "recorded" not in refused.stdout
    with clinic.transaction("tom") as tx:
        assert list_responses(tx, "C-1") == []
    stored = cli("measures", "record", "C-1", "gad7", "-s", "4", "-a", "1,1,1,1,1,1,1",
                 "--as", "tom", code=0)
    assert "recorded GAD-7 for client C-1, session 4" in stored.stdout
    # one answered item is an administration (no total: GAD-7 allows no missing item)
    cli("measures", "record", "C-1", "gad7", "-s", "5", "-a", "1,,,,,,", "--as", "tom", code=0)


def test_a_blank_client_form_is_refused_and_stays_open(clinic: Store) -> None:
    from rapport.caseload import submit_form
    from rapport.store.feedback import create_form

    with clinic.transaction("tom") as tx:
        created = create_form(tx, "C-1", 4, ["gad7"], minutes=30)
    blanks: list[dict[str, dict[str, float | None]]] = [
        {}, {"gad7": {}}, {"gad7": dict.fromkeys(GAD7.item_ids)}]
    for answers in blanks:
        with pytest.raises(RapportInputError) as refused, clinic.transaction(None) as tx:
            submit_form(tx, created.token, answers)
        assert refused.value.code == "no_answers"
    with clinic.transaction("tom") as tx:
        assert list_responses(tx, "C-1") == []
    with clinic.transaction(None) as tx:  # the form is still alive: the real answers go in
        submit_form(tx, created.token, {"gad7": dict.fromkeys(GAD7.item_ids, 1)})
    with clinic.transaction("tom") as tx:
        assert [(r.session_number, r.scores["total"]) for r in list_responses(tx, "C-1")] == [
            (4, 7.0)]


# -- bug 3: overlapping questionnaires on one form -------------------------------------------
def test_only_the_screeners_and_their_full_forms_share_items() -> None:
    from rapport.measures.catalog import shared_items

    pairs = {(a.id, b.id) for a in list_instruments() for b in list_instruments()
             if a.id < b.id and shared_items(a, b)}
    assert pairs == {("gad2", "gad7"), ("phq2", "phq9")}
    assert shared_items(PHQ9, get_instrument("phq2")) == ["phq9_1", "phq9_2"]


@pytest.mark.parametrize("chosen", [["phq9", "phq2"], ["gad2", "checkin", "gad7"]])
def test_a_form_with_overlapping_questionnaires_is_refused(clinic: Store,
                                                           chosen: list[str]) -> None:
    from rapport.caseload.feedback import new_form
    from rapport.store.feedback import forms_of_session

    with pytest.raises(RapportInputError) as refused, clinic.transaction("tom") as tx:
        new_form(tx, "C-1", 3, chosen, minutes=30)
    assert refused.value.code == "bad_input"
    assert "ask the same questions" in refused.value.what
    with clinic.transaction("tom") as tx:
        assert forms_of_session(tx, "C-1", 3) == []
        made = new_form(tx, "C-1", 3, ["phq9", "gad7"], minutes=30)  # no overlap: fine
    assert made.instruments == ("phq9", "gad7")
