"""Consent gates analysis; stored analyses, metrics, corrections, comments, questionnaires."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from record_fixtures import People, document_json

from rapport.errors import RapportInputError
from rapport.store.analyses import (
    _parse_document,
    delete_analyses,
    list_analyses,
    read_analysis,
    store_analysis,
)
from rapport.store.annotations import add_comment, add_correction, list_comments, list_corrections
from rapport.store.clients import add_client
from rapport.store.consents import ConsentKind, add_consent, list_consents, withdraw_consent
from rapport.store.database import Store
from rapport.store.responses import add_response, list_responses

DAY = dt.date(2026, 1, 5)


@pytest.fixture
def client(store: Store, people: People) -> str:
    with store.transaction(people.therapist) as tx:
        add_client(tx, "C-001")
    return "C-001"


def test_storing_needs_current_consent_to_analysis(store: Store, people: People,
                                                   client: str) -> None:
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
        store_analysis(tx, client, 1, document_json())
    assert err.value.code == "no_consent"
    assert f"rapport consents add {client} analysis" in (err.value.fix or "")
    with store.transaction(people.therapist) as tx:
        add_consent(tx, client, ConsentKind.ANALYSIS, given_on=DAY)
        analysis_id = store_analysis(tx, client, 1, document_json())
    with store.transaction(people.therapist) as tx:
        withdraw_consent(tx, client, ConsentKind.ANALYSIS, on=DAY + dt.timedelta(days=30))
    with store.transaction(people.therapist) as tx, pytest.raises(RapportInputError) as err:
        store_analysis(tx, client, 2, document_json())
    assert err.value.code == "no_consent"
    with store.transaction(people.therapist) as tx:
        (view,) = list_analyses(tx, client)
        assert view.id == analysis_id  # withdrawal keeps what was stored until deleted
        assert delete_analyses(tx, client) == 1
        assert list_analyses(tx, client) == []
        history = list_consents(tx, client)
    assert [(c.kind, c.current) for c in history] == [("analysis", False)]


def test_analysis_document_roundtrips_and_metrics_are_plain_rows(store: Store, people: People,
                                                                client: str) -> None:
    doc = document_json(metrics={"listening.ratio": 0.25, "profile.empathy": None})
    with store.transaction(people.therapist) as tx:
        add_consent(tx, client, ConsentKind.ANALYSIS, given_on=DAY)
        analysis_id = store_analysis(tx, client, 3, doc, session_date=DAY)
    with store.transaction(people.supervisor) as tx:
        assert json.loads(read_analysis(tx, analysis_id)) == json.loads(doc)
        (view,) = list_analyses(tx, client)
    assert view.session_number == 3 and view.models == ("demo@1",)
    assert view.metrics == {"listening.ratio": 0.25, "profile.empathy": None}
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT name, value FROM analysis_metrics "
                                    "ORDER BY name")).all()
    assert [tuple(r) for r in rows] == [("listening.ratio", 0.25), ("profile.empathy", None)]


@settings(max_examples=40)
@given(st.one_of(st.text(max_size=50), st.dictionaries(st.text(max_size=5), st.integers()),
                 st.builds(lambda v: json.dumps({"metrics": {"m": v}, "rapport_version": "1",
                                                 "schema_version": "1"}),
                           st.one_of(st.text(max_size=3), st.booleans(), st.lists(st.none())))))
def test_anything_but_a_document_is_a_clear_error(value: object) -> None:
    text = value if isinstance(value, str) else json.dumps(value)
    with pytest.raises(RapportInputError) as err:
        _parse_document(text)
    assert err.value.code == "bad_analysis"


def test_supervisor_may_not_store_or_delete(store: Store, people: People, client: str) -> None:
    with store.transaction(people.therapist) as tx:
        add_consent(tx, client, ConsentKind.ANALYSIS, given_on=DAY)
    for action in (lambda tx: store_analysis(tx, client, 1, document_json()),
                   lambda tx: delete_analyses(tx, client),
                   lambda tx: add_consent(tx, client, ConsentKind.RESEARCH, given_on=DAY)):
        with store.transaction(people.supervisor) as tx, \
                pytest.raises(RapportInputError) as err:
            action(tx)
        assert err.value.code == "not_found"


def test_corrections_and_comments(store: Store, people: People, client: str) -> None:
    with store.transaction(people.therapist) as tx:
        add_consent(tx, client, ConsentKind.ANALYSIS, given_on=DAY)
        analysis_id = store_analysis(tx, client, 1, document_json())
    with store.transaction(people.therapist) as tx:
        add_correction(tx, analysis_id, 1, "reflection", "complex")
    with store.transaction(people.supervisor) as tx:
        add_comment(tx, analysis_id, "good pause here", turn_index=1)
    with store.transaction(people.supervisor) as tx, pytest.raises(RapportInputError):
        add_correction(tx, analysis_id, 1, "reflection", "simple")  # read-only
    with store.transaction(people.therapist) as tx:
        (corr,) = list_corrections(tx, analysis_id)
        (comment,) = list_comments(tx, analysis_id)
    assert (corr.turn_index, corr.code_name, corr.value, corr.user) == (
        1, "reflection", "complex", people.therapist)
    assert (comment.text, comment.user) == ("good pause here", people.supervisor)
    with store.transaction(people.other_therapist) as tx, \
            pytest.raises(RapportInputError) as err:
        list_comments(tx, analysis_id)
    assert err.value.code == "not_found"


def test_questionnaire_responses(store: Store, people: People, client: str) -> None:
    with store.transaction(people.therapist) as tx:
        add_response(tx, client, instrument_id="wai-sr", instrument_version="1.0",
                     answers={"1": 4, "2": 5}, scores={"total": 4.5, "subscales": {"bond": 4}},
                     session_number=2)
        with pytest.raises(RapportInputError):
            add_response(tx, client, instrument_id="wai-sr", instrument_version="1.0",
                         answers={}, scores={"total": float("nan")})
    with store.transaction(people.supervisor) as tx:
        (r,) = list_responses(tx, client, instrument_id="wai-sr")
    assert r.answers == {"1": 4, "2": 5} and r.scores["subscales"] == {"bond": 4}
    assert (r.session_number, r.recorded_by) == (2, people.therapist)
