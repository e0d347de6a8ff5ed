"""The session page: report sections, annotated transcript, corrections, comments, export."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient
from web_world import World, csrf_of, real_document

from rapport.store.annotations import list_comments, list_corrections

PAGE = "/clients/C-001/sessions/1"
OTHER = "/clients/C-900/sessions/1"


def _doc() -> dict:  # type: ignore[type-arg]
    return json.loads(real_document())  # type: ignore[no-any-return]


def _corrections(world: World) -> list[tuple[int, str, str, str]]:
    with world.store.transaction("tom", interface="system") as tx:
        return [(c.turn_index, c.code_name, c.value, c.user)
                for c in list_corrections(tx, world.analysis_id)]


def _turn(page: str, index: int) -> str:
    """The HTML of one transcript turn."""
    match = re.search(rf'<li class="turn[^"]*" id="turn-{index}".*?</li>\s*'
                      r'(?=<li class="turn|</ol>)', page, re.S)
    assert match, f"turn {index} not on the page"
    return match.group(0)


def test_page_shows_the_report_sections_and_the_transcript(
        signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get(PAGE)
    assert page.status_code == 200, page.text[:500]
    doc = _doc()
    for name in doc["sections"]:  # the same sections as the HTML report
        assert f'id="section-{name}"' in page.text
    assert 'id="key-figures"' in page.text  # the profile's header figures
    # issue 23: the MITI summary, and moments that say improve or keep and how sure they are
    profile = doc["sections"]["profile"]
    assert profile["miti"] is not None and 'id="miti"' in page.text
    assert "MITI 4.2.1 summary" in page.text
    for moment in profile["moments"]:
        assert f'data-direction="{moment["direction"]}"' in page.text
    assert "Annotated transcript" in page.text
    assert page.text.count('class="turn ') == len(doc["turns"])
    first = doc["turns"][0]["text"].split()[:4]
    assert " ".join(first) in page.text
    # The code filter offers the report's codes (which relationship marks it offers depends
    # on what the shipped model finds in this session, so none is named here).
    assert '<option value="therapist_behaviour=question"' in page.text
    # CSP: every script carries the page's nonce (the report's inline script is not used).
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert scripts and all("nonce=" in s for s in scripts)


def test_filter_works_without_javascript(signed_in: dict[str, TestClient]) -> None:
    page = signed_in["tom"].get(PAGE, params={"show": "therapist_behaviour=question"})
    assert page.status_code == 200
    turns = re.findall(r'<li class="turn[^"]*" id="turn-\d+"\s+data-codes="([^"]*)"( hidden)?',
                       page.text)
    shown = [codes for codes, hidden in turns if not hidden]
    assert shown and len(shown) < len(turns)
    assert all("therapist_behaviour=question" in codes.split() for codes in shown)
    assert f"{len(shown)} turns shown" in page.text


def test_therapist_corrects_a_code_and_it_shows_as_human(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    page = tom.get(PAGE)
    assert "Correct a code" in page.text
    answer = tom.post(f"{PAGE}/corrections", data={
        "csrf_token": csrf_of(tom), "analysis_id": world.analysis_id, "turn_index": 0,
        "correction": "therapist_behaviour=reflection"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{PAGE}#turn-0"
    assert (0, "therapist_behaviour", "reflection", "tom") in _corrections(world)
    turn = _turn(tom.get(PAGE).text, 0)
    assert re.search(r'class="code human">therapist_behaviour: <b>reflection</b>', turn)
    assert "human · tom" in turn
    # The model's own code stays visible beside the human one, marked as the model's.
    model = _doc()["turns"][0]["codes"]["therapist_behaviour"]["value"]
    assert re.search(rf'class="code overridden".*?therapist_behaviour: <b>{model}</b>.*?model',
                     turn, re.S)


def test_a_code_that_does_not_fit_the_turn_is_refused(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    before = _corrections(world)
    for choice in ("client_talk=change", "therapist_behaviour=shouting", "nonsense"):
        answer = tom.post(f"{PAGE}/corrections", data={
            "csrf_token": csrf_of(tom), "analysis_id": world.analysis_id, "turn_index": 0,
            "correction": choice})
        assert answer.status_code == 400, choice
    assert _corrections(world) == before


def test_supervisor_comments_but_cannot_correct(signed_in: dict[str, TestClient],
                                                world: World) -> None:
    sam = signed_in["sam"]
    page = sam.get(PAGE)
    assert page.status_code == 200
    assert "Correct a code" not in page.text and "/corrections\"" not in page.text
    assert 'name="correction"' not in page.text
    assert "Comment on turn 3" in page.text
    token = csrf_of(sam)
    answer = sam.post(f"{PAGE}/comments", data={
        "csrf_token": token, "analysis_id": world.analysis_id, "turn_index": 3,
        "text": "Good moment to <slow down>"})
    assert answer.status_code == 303
    assert answer.headers["location"] == f"{PAGE}#turn-3"
    turn = _turn(sam.get(PAGE).text, 3)
    assert "Good moment to &lt;slow down&gt;" in turn and "sam ·" in turn
    before = _corrections(world)
    refused = sam.post(f"{PAGE}/corrections", data={
        "csrf_token": token, "analysis_id": world.analysis_id, "turn_index": 0,
        "correction": "therapist_behaviour=question"})
    assert refused.status_code == 404
    assert _corrections(world) == before


def test_comment_on_the_whole_session(signed_in: dict[str, TestClient], world: World) -> None:
    sam = signed_in["sam"]
    answer = sam.post(f"{PAGE}/comments", data={
        "csrf_token": csrf_of(sam), "analysis_id": world.analysis_id, "turn_index": "",
        "text": "Overall: watch the advice early on."})
    assert answer.status_code == 303
    with world.store.transaction("tom", interface="system") as tx:
        assert any(c.turn_index is None and c.user == "sam"
                   for c in list_comments(tx, world.analysis_id))
    page = signed_in["tom"].get(PAGE).text
    section = page[page.index('id="comments"'):page.index('id="section-transcript"')]
    assert "Overall: watch the advice early on." in section


@pytest.mark.parametrize("method,path", [
    ("GET", OTHER), ("GET", f"{OTHER}/corrections.csv"), ("GET", f"{OTHER}/questionnaire"),
    ("POST", f"{OTHER}/comments"), ("POST", f"{OTHER}/corrections"),
    ("POST", f"{OTHER}/questionnaire")])
def test_another_therapists_client_is_not_found(signed_in: dict[str, TestClient],
                                                world: World, method: str, path: str) -> None:
    tom = signed_in["tom"]
    data = {"csrf_token": csrf_of(tom), "analysis_id": str(world.other_analysis_id),
            "turn_index": "0", "text": "x", "correction": "therapist_behaviour=question",
            "instrument": "phq9"}
    answer = tom.request(method, path, data=data if method == "POST" else None)
    assert answer.status_code == 404


def test_tess_gets_404_on_everything_of_c001(signed_in: dict[str, TestClient],
                                             world: World) -> None:
    tess = signed_in["tess"]
    token = csrf_of(tess)
    for path in (PAGE, f"{PAGE}/corrections.csv", f"{PAGE}/questionnaire"):
        assert tess.get(path).status_code == 404, path
    before = _corrections(world)
    for path in ("corrections", "comments", "questionnaire"):
        answer = tess.post(f"{PAGE}/{path}", data={
            "csrf_token": token, "analysis_id": world.analysis_id, "turn_index": 0,
            "text": "x", "correction": "therapist_behaviour=question", "instrument": "phq9"})
        assert answer.status_code == 404, path
    assert _corrections(world) == before


def test_an_analysis_of_another_session_cannot_be_annotated_here(
        signed_in: dict[str, TestClient], world: World) -> None:
    tom = signed_in["tom"]
    answer = tom.post("/clients/C-001/sessions/2/comments", data={
        "csrf_token": csrf_of(tom), "analysis_id": world.analysis_id, "text": "x"})
    assert answer.status_code == 404


def test_session_without_analysis_and_unknown_session(signed_in: dict[str, TestClient]
                                                      ) -> None:
    tom = signed_in["tom"]
    page = tom.get("/clients/C-001/sessions/2")
    assert page.status_code == 200
    assert "No analysis is stored for this session yet" in page.text
    assert tom.get("/clients/C-001/sessions/99").status_code == 404


def test_corrections_csv_is_de_identified(signed_in: dict[str, TestClient],
                                          world: World) -> None:
    tom = signed_in["tom"]
    tom.post(f"{PAGE}/corrections", data={
        "csrf_token": csrf_of(tom), "analysis_id": world.analysis_id, "turn_index": 1,
        "correction": "withdrawal=true"})
    answer = tom.get(f"{PAGE}/corrections.csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0]) == ["session_id", "analysis_id", "turn_index", "code",
                             "model_value", "human_value", "who", "when"]
    doc = _doc()
    withdrawal = [r for r in rows if r["code"] == "withdrawal" and r["turn_index"] == "1"]
    assert withdrawal and withdrawal[-1]["human_value"] == "true"
    model = doc["turns"][1]["codes"]["withdrawal"]["value"]
    assert withdrawal[-1]["model_value"] == ("true" if model else "false")
    assert {r["session_id"] for r in rows} == {"C-001/1"} and {r["who"] for r in rows} == {"tom"}
    # No transcript text, evidence or speaker names leave in the export.
    for turn in doc["turns"]:
        words = turn["text"].split()
        for start in range(max(1, len(words) - 2)):
            assert " ".join(words[start:start + 3]) not in answer.text
    for speaker in doc["speakers"]:
        assert speaker["name"] not in answer.text
    assert "corrections.csv" in tom.get(PAGE).text  # the page says where the export is
    assert signed_in["sam"].get(f"{PAGE}/corrections.csv").status_code == 200


def test_export_cells_cannot_run_as_spreadsheet_formulas() -> None:
    import datetime as dt

    from rapport.store.annotations import Correction
    from rapport.web.corrections_export import corrections_csv, model_value

    document = {"turns": [{"codes": {"affirmation": {"value": False},
                                     "client_talk": {"value": "change"}}}]}
    assert model_value(document, 0, "affirmation") == "false"
    assert model_value(document, 0, "client_talk") == "change"
    assert model_value(document, 0, "withdrawal") == ""  # the model gave no value
    assert model_value(document, 5, "affirmation") == ""  # no such turn
    at = dt.datetime(2026, 1, 6, 9, 30, tzinfo=dt.UTC)
    rows = list(csv.reader(io.StringIO(corrections_csv("=C-1/1", [(7, document, [
        Correction(analysis_id=7, turn_index=0, code_name="client_talk", value="@sustain",
                   user="tom", at=at)])]))))
    assert rows[1] == ["'=C-1/1", "7", "0", "client_talk", "change", "'@sustain", "tom",
                       "2026-01-06T09:30:00+00:00"]


@pytest.mark.parametrize(("name", "therapist", "client"), [
    ("rupture_repair.txt", (), ()), ("poor_listening.vtt", ("Dr. Lee",), ("Jordan",))])
def test_stored_analysis_renders_exactly_like_the_live_report(
        name: str, therapist: tuple[str, ...], client: tuple[str, ...]) -> None:
    from web_world import EXAMPLES

    from rapport.ingest import load_sessions
    from rapport.ingest.api import RoleMap
    from rapport.pipeline import analyze
    from rapport.report.html import report_parts
    from rapport.web.stored_report import load_stored_report

    (session,) = load_sessions(EXAMPLES / name, roles=RoleMap(therapist=therapist,
                                                             client=client)).sessions
    live = analyze(session)
    stored = load_stored_report(live.to_json())
    expected = report_parts(live.document, live.context, live.computed)
    assert [f["name"] for f in stored.parts["fragments"]] == [
        f["name"] for f in expected["fragments"]]
    assert [str(f["html"]) for f in stored.parts["fragments"]] == [
        str(f["html"]) for f in expected["fragments"]]
    assert [str(h) for h in stored.parts["headers"]] == [str(h) for h in expected["headers"]]
    assert stored.parts["tokens"] == expected["tokens"] and not stored.notes
    assert {f.name for f in stored.families} == {f.name for f in live.context.coded.families}


def test_a_section_stored_in_another_shape_is_skipped_with_a_note() -> None:
    from rapport.web.stored_report import load_stored_report

    doc = _doc()
    doc["sections"]["profile"] = {"metrics": "not a list"}
    stored = load_stored_report(json.dumps(doc))
    assert [f["name"] for f in stored.parts["fragments"]] == ["turn_taking"]
    assert stored.notes and "Relationship profile" in stored.notes[0]


def test_a_comment_on_a_turn_the_session_does_not_have_is_refused(
        signed_in: dict[str, TestClient], world: World) -> None:
    sam = signed_in["sam"]
    with world.store.transaction("tom", interface="system") as tx:
        before = len(list_comments(tx, world.analysis_id))
    for turn in (str(len(_doc()["turns"])), "-1", "two"):
        answer = sam.post(f"{PAGE}/comments", data={
            "csrf_token": csrf_of(sam), "analysis_id": world.analysis_id, "turn_index": turn,
            "text": "lost comment"})
        assert answer.status_code == 400, turn
        assert "has no turn" in answer.text
    with world.store.transaction("tom", interface="system") as tx:
        assert len(list_comments(tx, world.analysis_id)) == before


def test_therapist_gets_the_session_actions_supervisor_does_not(
        signed_in: dict[str, TestClient]) -> None:
    actions = (f"{PAGE}/questionnaire", f"{PAGE}/feedback")
    page = signed_in["tom"].get(PAGE).text
    assert all(f'href="{a}"' in page for a in actions)
    assert signed_in["tom"].get(f"{PAGE}/feedback").status_code == 200
    page = signed_in["sam"].get(PAGE).text
    assert not any(f'href="{a}"' in page for a in actions)
