"""The upload page and questionnaire entry: real imports, analyses and scoring."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_world import EXAMPLES, World, csrf_of

from rapport.measures.catalog import get_instrument
from rapport.store.analyses import list_analyses
from rapport.store.clients import list_clients
from rapport.store.responses import list_responses
from rapport.store.sessions import list_sessions

#: The speaker options examples/README.md documents for each example.
EXAMPLE_UPLOADS = [
    ("rupture_repair.txt", {}),
    ("poor_listening.vtt", {"therapist": "Dr. Lee", "client_speakers": "Jordan"}),
    ("good_listening.srt", {"client_speakers": "Maya"}),
    ("couple_session.json", {"therapist": "SPEAKER_00",
                             "client_speakers": "SPEAKER_01, SPEAKER_02"}),
    ("first_session.csv", {}),
    ("check_in.jsonl", {}),
]


def _record(world: World, user: str = "tom") -> tuple[Any, ...]:
    """What an upload could change: clients, sessions and analyses the user sees."""
    with world.store.transaction(user, interface="system") as tx:
        codes = tuple(c.code for c in list_clients(tx))
        return codes, tuple((code, len(list_sessions(tx, code)), len(list_analyses(tx, code)))
                            for code in codes)


def _upload(browser: TestClient, name: str, body: bytes | None = None, /,
            **fields: str) -> Any:
    """POST the upload form; a queued analysis is followed like the browser does (the
    progress page, once the job runner is done, sends it on to the session)."""
    data = body if body is not None else (EXAMPLES / name).read_bytes()
    answer = browser.post("/upload", data={"csrf_token": csrf_of(browser), **fields},
                          files={"file": (name, data, "application/octet-stream")})
    if answer.status_code == 303 and answer.headers["location"].startswith("/jobs/"):
        assert browser.app.state.jobs.wait_idle(120)  # type: ignore[attr-defined]
        answer = browser.get(answer.headers["location"])
    return answer


def test_upload_form_lists_only_own_clients(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get("/upload", params={"client": "C-001", "session": "3"})
    assert page.status_code == 200
    assert '<option value="C-001" selected>' in page.text and "C-900" not in page.text
    assert 'enctype="multipart/form-data"' in page.text and 'value="3"' in page.text
    for label_for in ("upload-client", "upload-new-client", "upload-session", "upload-file",
                      "upload-format", "upload-therapist", "upload-client-speakers"):
        assert f'<label for="{label_for}">' in page.text
    assert "--audio" in page.text  # says how audio and video are analysed
    for user in ("sam", "rita", "ada"):
        assert signed_in[user].get("/upload").status_code == 404


@pytest.mark.parametrize(("number", "name", "fields"),
                         [(10 + i, n, f) for i, (n, f) in enumerate(EXAMPLE_UPLOADS)])
def test_every_example_format_uploads_and_shows(signed_in: dict[str, TestClient],
                                                world: World, number: int, name: str,
                                                fields: dict[str, str]) -> None:
    tom = signed_in["tom"]
    answer = _upload(tom, name, client="C-001", session=str(number), **fields)
    assert answer.status_code == 303, answer.text[-2000:]
    assert answer.headers["location"] == f"/clients/C-001/sessions/{number}"
    with world.store.transaction("tom", interface="system") as tx:
        stored = [a for a in list_analyses(tx, "C-001") if a.session_number == number]
    assert len(stored) == 1
    page = tom.get(answer.headers["location"])
    assert page.status_code == 200
    assert 'id="section-profile"' in page.text and 'id="section-turn_taking"' in page.text
    assert page.text.count('class="turn ') >= 4
    roles = set(re.findall(r'class="turn role-(\w+)', page.text))
    assert {"therapist", "client"} <= roles  # the speaker options were applied
    if name.endswith(".vtt"):  # timed cues: the nonverbal section (timing) is shown too
        assert 'id="section-nonverbal"' in page.text


def test_broken_file_shows_the_error_and_stores_nothing(signed_in: dict[str, TestClient],
                                                        world: World) -> None:
    tom = signed_in["tom"]
    before = _record(world)
    answer = _upload(tom, "notes.txt", b"just some words\nwithout any speaker labels\n",
                     client="C-001", session="40")
    assert answer.status_code == 400
    assert 'role="alert"' in answer.text and "The file was not stored" in answer.text
    assert "Where: <code>notes.txt" in answer.text and "How to fix it:" in answer.text
    assert 'value="40"' in answer.text  # the form keeps what was typed
    assert _record(world) == before


def test_vtt_without_its_speaker_options_is_explained(signed_in: dict[str, TestClient],
                                                      world: World) -> None:
    before = _record(world)
    answer = _upload(signed_in["tom"], "poor_listening.vtt", client="C-001", session="41")
    assert answer.status_code == 400
    assert "Dr. Lee" in answer.text and "How to fix it:" in answer.text
    assert _record(world) == before


def test_new_client_inline_needs_consent_and_is_rolled_back_on_error(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    before = _record(world)
    no_consent = _upload(tom, "rupture_repair.txt", new_client="N-100", session="1")
    assert no_consent.status_code == 400 and "consent" in no_consent.text
    broken = _upload(tom, "notes.txt", b"no labels here\n", new_client="N-100",
                     consent="yes", session="1")
    assert broken.status_code == 400
    assert _record(world) == before  # the new client was not kept either
    made = _upload(tom, "rupture_repair.txt", new_client="N-100", consent="yes", session="1")
    assert made.status_code == 303
    assert made.headers["location"] == "/clients/N-100/sessions/1"
    assert "N-100" in _record(world)[0]
    assert tom.get(made.headers["location"]).status_code == 200


def test_cannot_upload_into_another_therapists_client(signed_in: dict[str, TestClient],
                                                      world: World) -> None:
    before = _record(world, "tess")
    answer = _upload(signed_in["tess"], "rupture_repair.txt", client="C-001", session="50")
    assert answer.status_code == 404
    assert _record(world, "tess") == before
    assert _upload(signed_in["sam"], "rupture_repair.txt", client="C-001",
                   session="50").status_code == 404


# -- questionnaire entry --------------------------------------------------------------------
QUESTIONNAIRE = "/clients/C-001/sessions/2/questionnaire"


def _responses(world: World, session: int) -> list[tuple[str, Any]]:
    with world.store.transaction("tom", interface="system") as tx:
        return [(r.instrument_id, r.scores.get("total")) for r in list_responses(tx, "C-001")
                if r.session_number == session]


def test_questionnaire_form_has_one_labelled_field_per_item(
        signed_in: dict[str, TestClient]) -> None:
    tom = signed_in["tom"]
    chooser = tom.get(QUESTIONNAIRE)
    assert chooser.status_code == 200 and '<option value="phq9">' in chooser.text
    phq9 = get_instrument("phq9")
    page = tom.get(QUESTIONNAIRE, params={"instrument": "phq9"})
    assert page.text.count('<fieldset class="item"') == len(phq9.items)
    assert phq9.items[0].text and phq9.items[0].text in page.text
    for option in phq9.options:  # every option is a labelled radio button
        assert f'for="item_{phq9.items[0].id}-{option.value}"' in page.text
        assert f"{option.value} = {option.label}" in page.text
    # A licensed instrument: item numbers and options only, never item text.
    licensed = get_instrument("arm5")
    page = tom.get(QUESTIONNAIRE, params={"instrument": "arm5"})
    assert page.status_code == 200 and "Item 1</legend>" in page.text
    assert page.text.count('<fieldset class="item"') == len(licensed.items)
    scale = tom.get(QUESTIONNAIRE, params={"instrument": "ors"})  # a visual-analogue scale
    assert scale.text.count('type="number"') == len(get_instrument("ors").items)
    assert tom.get(QUESTIONNAIRE, params={"instrument": "nope"}).status_code == 400


def test_questionnaire_is_scored_stored_and_shown(signed_in: dict[str, TestClient],
                                                  world: World) -> None:
    tom = signed_in["tom"]
    phq9 = get_instrument("phq9")
    values = [2, 1, 0, 3, 1, 2, 0, 1, 0]
    fields = {f"item_{item}": str(v) for item, v in zip(phq9.item_ids, values, strict=True)}
    answer = tom.post(QUESTIONNAIRE, data={"csrf_token": csrf_of(tom), "instrument": "phq9",
                                           **fields})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/clients/C-001/sessions/2?scored=phq9")
    assert _responses(world, 2) == [("phq9", sum(values))]
    page = tom.get(answer.headers["location"])
    band = next(b.label for b in phq9.bands if b.min <= sum(values) <= b.max)
    table = page.text[page.text.index('id="scores"'):]
    assert "Questionnaire saved and scored" in table
    assert re.search(rf"<td>PHQ-9</td><td>{sum(values)}\.0</td><td>{band}</td>", table)
    # The same questionnaire twice for one session is refused on the form.
    again = tom.post(QUESTIONNAIRE, data={"csrf_token": csrf_of(tom), "instrument": "phq9",
                                          **fields})
    assert again.status_code == 409 and "already has a PHQ-9" in again.text
    assert _responses(world, 2) == [("phq9", sum(values))]


def test_bad_answers_are_refused_and_nothing_is_stored(signed_in: dict[str, TestClient],
                                                       world: World) -> None:
    tom = signed_in["tom"]
    gad7 = get_instrument("gad7")
    before = _responses(world, 2)
    for bad in ("7", "abc", "nan"):
        answer = tom.post(QUESTIONNAIRE, data={"csrf_token": csrf_of(tom),
                                               "instrument": "gad7",
                                               f"item_{gad7.item_ids[0]}": bad})
        assert answer.status_code == 400, bad
        assert 'role="alert"' in answer.text
    assert _responses(world, 2) == before


def test_supervisor_cannot_enter_questionnaires(signed_in: dict[str, TestClient],
                                                world: World) -> None:
    sam = signed_in["sam"]
    before = _responses(world, 2)
    assert sam.get(QUESTIONNAIRE).status_code == 404
    answer = sam.post(QUESTIONNAIRE, data={"csrf_token": csrf_of(sam), "instrument": "gad2",
                                           "item_" + get_instrument("gad2").item_ids[0]: "1"})
    assert answer.status_code == 404
    assert _responses(world, 2) == before
    assert "Enter a questionnaire" not in sam.get("/clients/C-001/sessions/1").text
