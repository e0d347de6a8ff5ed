"""One questionnaire per client, session and instrument (issue 18, items 4 and 9), on
SQLite and PostgreSQL: simultaneous writers store one and the others are told (409);
a client's answers to a form the session already has are kept without a session number,
the therapist sees it on the session's forms, and no client page shows the client code."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import DAY, World, new_client

from rapport.caseload import submit_form
from rapport.caseload.responses import record_response
from rapport.errors import RapportInputError
from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import score
from rapport.store.feedback import create_form
from rapport.store.responses import list_responses
from rapport.store.sessions import SessionRecord, add_session

PHQ9 = get_instrument("phq9")


def fresh_session(world: World) -> int:
    with world.store.transaction("tom", interface="system") as tx:
        return add_session(tx, "C-001", SessionRecord(date=DAY))


def at_once(count: int, work: Callable[[int], str]) -> list[str]:
    """Run ``work(i)`` in ``count`` threads released together; their outcomes."""
    start = threading.Barrier(count)
    outcomes: list[str] = []

    def run(i: int) -> None:
        start.wait()
        outcomes.append(work(i))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def phq9_of(world: World, number: int | None) -> list[float]:
    with world.store.transaction("tom", interface="system") as tx:
        return [r.scores["total"] for r in list_responses(tx, "C-001", instrument_id="phq9")
                if r.session_number == number]


def test_ten_simultaneous_questionnaires_for_one_session_store_one(world: World) -> None:
    number = fresh_session(world)

    def record(i: int) -> str:
        result = score(PHQ9, dict.fromkeys(PHQ9.item_ids, i % 4), where="answers")
        try:
            with world.store.transaction("tom", interface="api") as tx:
                record_response(tx, "C-001", PHQ9, result, session=number)
        except RapportInputError as exc:
            assert "C-001" not in exc.what
            return exc.code or ""
        return "stored"

    assert at_once(10, record) == ["duplicate"] * 9 + ["stored"]
    assert len(phq9_of(world, number)) == 1


def test_two_forms_for_one_session_sent_at_once_keep_both_answers(world: World) -> None:
    number = fresh_session(world)
    with world.store.transaction("tom", interface="system") as tx:
        tokens = [create_form(tx, "C-001", number, ["phq9"], minutes=5).token
                  for _ in range(2)]
    before = len(phq9_of(world, None))

    def send(i: int) -> str:
        with world.store.transaction(None, interface="web") as tx:
            submit_form(tx, tokens[i], {"phq9": dict.fromkeys(PHQ9.item_ids, float(i))})
        return "sent"

    assert at_once(2, send) == ["sent", "sent"]
    assert len(phq9_of(world, number)) == 1  # one filed under the session
    assert len(phq9_of(world, None)) == before + 1  # the other kept, without a session


def test_answers_the_session_already_has_are_kept_and_the_therapist_told(
        world: World, app: FastAPI, signed_in: dict[str, TestClient]) -> None:
    number = fresh_session(world)
    with world.store.transaction("tom", interface="system") as tx:
        token = create_form(tx, "C-001", number, ["phq9"], minutes=5).token
        # meanwhile the therapist records the session's PHQ-9 themselves
        record_response(tx, "C-001", PHQ9, score(PHQ9, dict.fromkeys(PHQ9.item_ids, 0),
                                                 where="answers"), session=number)
    before = len(phq9_of(world, None))
    phone = new_client(app)
    answer = phone.post(f"/f/{token}", data={f"phq9.{item}": "1" for item in PHQ9.item_ids})
    assert answer.status_code == 303, answer.text[:500]  # thanked, not refused
    assert "C-001" not in phone.get(answer.headers["location"]).text
    assert phq9_of(world, number) == [0.0]  # the therapist's stays the session's
    assert len(phq9_of(world, None)) == before + 1  # the client's kept
    page = signed_in["tom"].get(f"/clients/C-001/sessions/{number}/feedback")
    assert "kept without a session number" in page.text
