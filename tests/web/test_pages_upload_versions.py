"""Uploading again to a session, and the session date (issue 28): a second analysis is
asked about and stored only when confirmed; the date is checked and stored; the client
page says in words what the record holds. Real uploads, analyses and pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import DAY, EXAMPLES, World, csrf_of

from rapport.store.analyses import list_analyses, session_analyses
from rapport.store.jobs import enqueue
from rapport.store.logins import create_api_token
from rapport.store.sessions import list_sessions

TRANSCRIPT = (EXAMPLES / "rupture_repair.txt").read_bytes()


def _post(browser: TestClient, **fields: str) -> Any:
    """POST the transcript form; a queued job is followed to its end, like the browser."""
    answer = browser.post("/upload", data={"csrf_token": csrf_of(browser), **fields},
                          files={"file": ("session.txt", TRANSCRIPT, "text/plain")})
    if answer.status_code == 303 and answer.headers["location"].startswith("/jobs/"):
        assert browser.app.state.jobs.wait_idle(120)  # type: ignore[attr-defined]
        answer = browser.get(answer.headers["location"])
    return answer


def _sessions(world: World, code: str = "C-001") -> dict[int, tuple[dt.date | None, int]]:
    """Session number -> (date, number of stored analyses)."""
    with world.store.transaction("tom", interface="system") as tx:
        analyses = list_analyses(tx, code)
        return {s.number: (s.date, sum(a.session_number == s.number for a in analyses))
                for s in list_sessions(tx, code)}


def test_the_session_date_is_stored_with_a_new_session(
        signed_in: dict[str, TestClient], world: World) -> None:
    page = signed_in["tom"].get("/upload")
    assert '<label for="upload-session-date">' in page.text and 'type="date"' in page.text
    answer = _post(signed_in["tom"], client="C-001", session="40", session_date="2026-11-02")
    assert answer.headers.get("location") == "/clients/C-001/sessions/40", answer.text[-800:]
    assert _sessions(world)[40] == (dt.date(2026, 11, 2), 1)


def _document_dates(world: World, number: int, code: str = "C-001") -> list[str | None]:
    """The session date inside each stored analysis document of session ``number``."""
    import json

    from rapport.store.analyses import read_analysis

    with world.store.transaction("tom", interface="system") as tx:
        return [json.loads(read_analysis(tx, a.id))["session"]["date"]
                for a in list_analyses(tx, code) if a.session_number == number]


def test_the_stored_report_carries_the_session_date(
        signed_in: dict[str, TestClient], world: World) -> None:
    # the record was dated but the stored document said "date": null (a new-user review)
    tom = signed_in["tom"]
    assert _post(tom, client="C-001", session="47", session_date="2026-11-03").status_code == 303
    assert _document_dates(world, 47) == ["2026-11-03"]
    # a second upload without a date takes the record's date too
    assert _post(tom, client="C-001", session="47", keep_both="yes").status_code == 303
    assert _document_dates(world, 47) == ["2026-11-03", "2026-11-03"]


def test_an_undated_session_takes_the_date_a_dated_one_is_not_changed(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    assert _post(tom, client="C-001", session="41").status_code == 303
    assert _sessions(world)[41] == (None, 1)
    dated = _post(tom, client="C-001", session="41", session_date="2026-10-01",
                  keep_both="yes")
    assert dated.status_code == 303 and _sessions(world)[41] == (dt.date(2026, 10, 1), 2)
    before = _sessions(world)
    other = _post(tom, client="C-001", session="2", session_date="2026-10-02")
    assert other.status_code == 409
    assert f"session 2 of C-001 is dated {DAY}, not 2026-10-02" in other.text
    assert _sessions(world) == before


def test_a_bad_or_future_date_is_one_clear_error_and_nothing_is_stored(
        signed_in: dict[str, TestClient], world: World) -> None:
    before = _sessions(world)
    tomorrow = (dt.datetime.now(dt.UTC).astimezone().date() + dt.timedelta(days=1))
    for text, what in (("2026-13-01", "&#39;2026-13-01&#39; is not a date"),
                       ("next week", "&#39;next week&#39; is not a date"),
                       (tomorrow.isoformat(), f"the session date {tomorrow} is in the future")):
        answer = _post(signed_in["tom"], client="C-001", session="42", session_date=text)
        assert answer.status_code == 400, text
        assert answer.text.count('role="alert"') == 1 and what in answer.text, text
        assert "<code>session_date</code>" in answer.text
        assert f'value="{text}"' in answer.text  # the form keeps what was typed
    assert _sessions(world) == before


def test_a_second_upload_asks_and_stores_nothing_until_confirmed(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    assert _post(tom, client="C-001", session="43", therapist="T").status_code == 303
    before = _sessions(world)
    asked = _post(tom, client="C-001", session="43", therapist="T")
    assert asked.status_code == 409
    assert re.search(r"session 43 of C-001 already has an analysis made "
                     r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", asked.text), asked.text[-1500:]
    assert 'id="keep-both-form"' in asked.text
    assert '<input type="hidden" name="keep_both" value="yes">' in asked.text
    assert '<input type="hidden" name="session" value="43">' in asked.text
    assert '<input type="hidden" name="therapist" value="T">' in asked.text
    assert 'href="/clients/C-001/sessions/43">Cancel' in asked.text
    assert _sessions(world) == before  # nothing stored, nothing queued
    with world.store.transaction("tom", interface="system") as tx:
        assert session_analyses(tx, "C-001", 43, job_kind="analysis").pending_since == ()


def test_keeping_both_lists_every_version_on_the_session_page(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    assert _post(tom, client="C-001", session="44").status_code == 303
    kept = _post(tom, client="C-001", session="44", keep_both="yes")
    assert kept.headers.get("location") == "/clients/C-001/sessions/44"
    assert _sessions(world)[44][1] == 2
    with world.store.transaction("tom", interface="system") as tx:
        older, newer = sorted(a.id for a in list_analyses(tx, "C-001")
                              if a.session_number == 44)
    page = tom.get("/clients/C-001/sessions/44")
    assert 'id="versions"' in page.text and "This is the newest." in page.text
    assert f'href="/clients/C-001/sessions/44?analysis={older}"' in page.text
    assert f'name="analysis_id" value="{newer}"' in page.text  # comments go to the shown one
    earlier = tom.get(f"/clients/C-001/sessions/44?analysis={older}")
    assert earlier.status_code == 200 and "This is an earlier version" in earlier.text
    assert f'name="analysis_id" value="{older}"' in earlier.text
    assert 'id="section-profile"' in earlier.text
    # an analysis of another session (or client) is not a version of this one
    assert tom.get(f"/clients/C-001/sessions/44?analysis={world.analysis_id}"
                   ).status_code == 404
    assert tom.get(f"/clients/C-001/sessions/44?analysis={world.other_analysis_id}"
                   ).status_code == 404
    form = tom.get("/upload", params={"client": "C-001", "session": "44"})
    assert 'id="upload-already"' in form.text and "already has an analysis" in form.text
    assert 'id="upload-already"' not in tom.get(
        "/upload", params={"client": "C-001", "session": "2"}).text
    assert _post(tom, client="C-001", session="46").status_code == 303
    single = tom.get("/clients/C-001/sessions/46")  # one upload: no list of versions
    assert single.status_code == 200 and 'id="versions"' not in single.text


def test_an_analysis_still_being_made_counts_as_one(world: World) -> None:
    """A queued job is in the question too (its upload would otherwise race a second)."""
    from rapport.errors import RapportInputError
    from rapport.web.uploads import check_joining

    class AbandonError(Exception):
        """Leaves the transaction unwritten: the runner never sees the payload-less job."""

    with pytest.raises(AbandonError), world.store.transaction("tess", interface="system") as tx:
        enqueue(tx, "analysis", code="C-900", session_number=45, params={}, payload=None)
        with pytest.raises(RapportInputError) as asked:
            check_joining(tx, "C-900", 45, None, keep_both=False)
        assert asked.value.code == "analysis_exists" and "being made" in asked.value.what
        check_joining(tx, "C-900", 45, None, keep_both=True)
        raise AbandonError


def test_the_api_refuses_a_second_analysis_unless_asked(app: FastAPI, world: World) -> None:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "versions")
    api = TestClient(app, base_url="https://testserver")
    api.headers["authorization"] = f"Bearer {token}"
    url = "/api/v1/clients/C-001/sessions/1/analyses"
    before = _sessions(world)
    refused = api.post(url, files={"file": ("s.txt", TRANSCRIPT)})
    assert refused.status_code == 409 and refused.json()["code"] == "analysis_exists"
    dated = api.post(url, data={"keep_both": "true", "session_date": "2026-02-30"},
                     files={"file": ("s.txt", TRANSCRIPT)})
    assert dated.status_code == 400 and dated.json()["code"] == "bad_date"
    assert _sessions(world) == before
    kept = api.post(url, data={"keep_both": "true", "session_date": DAY.isoformat()},
                    files={"file": ("s.txt", TRANSCRIPT)})
    assert kept.status_code == 202, kept.text
    assert app.state.jobs.wait_idle(120)
    assert _sessions(world)[1] == (DAY, before[1][1] + 1)


def test_the_client_page_says_what_is_stored_and_counts_only_what_happened(
        signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get("/clients/C-001").text
    assert "Scheduled" not in page and "Transcript</th>" not in page
    assert '<th scope="col">Stored</th>' in page
    # session 1: an analysis from the fixture; session 2: a dated appointment, no upload
    assert re.search(r'sessions/1">Session 1</a></th><td>[^<]+</td><td>attended</td>'
                     r"<td>(analysis|\d+ analyses \(versions\))</td>", page)
    assert re.search(r'sessions/2">Session 2</a></th><td>[^<]+</td><td>attended</td>'
                     r"<td>nothing yet</td>", page)
    attendance = page[page.index('id="attendance-h"'):page.index('id="consents-h"')]
    held = re.search(r"<dt>Sessions so far</dt><dd>(\d+)</dd>", attendance)
    attended = re.search(r"<dt>Attended</dt><dd>(\d+) \(\d+%\)</dd>", attendance)
    assert held and attended and held.group(1) == attended.group(1) != "0"
    assert "<dd>0</dd>" not in attendance  # no row reads 0 beside attended sessions
