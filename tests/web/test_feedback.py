"""Client feedback forms through the real app, on SQLite and PostgreSQL: create, answer,
stored and scored as the therapist; single use; expiry; permissions; no token anywhere."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_world import DAY, World, csrf_of, new_client, sign_in

from rapport.measures.catalog import get_instrument
from rapport.store.feedback import create_form
from rapport.store.models import AuditEntry, FeedbackForm
from rapport.store.responses import list_responses
from rapport.store.sessions import SessionRecord, add_session

CHECKIN = get_instrument("checkin")
PHQ9 = get_instrument("phq9")


def fresh_session(world: World, code: str = "C-001", owner: str = "tom") -> int:
    with world.store.transaction(owner, interface="system") as tx:
        return add_session(tx, code, SessionRecord(date=DAY))


def create_link(client: TestClient, number: int, *instruments: str) -> str:
    """The therapist's POST; returns the client's path /f/<token> read off the page."""
    answer = client.post(f"/clients/C-001/sessions/{number}/feedback",
                         data={"instruments": list(instruments), "delivery": "link",
                               "csrf_token": csrf_of(client)})
    assert answer.status_code == 201, answer.text[:400]
    match = re.search(r'value="https?://[^/"]+(/f/[A-Za-z0-9_-]{43})"', answer.text)
    assert match, answer.text[:2000]
    assert 'src="data:image/svg+xml' in answer.text  # the QR code
    return match.group(1)


def answers_for(*instruments: tuple[str, int]) -> dict[str, str]:
    return {f"{i}.{item}": str(value) for i, value in instruments
            for item in get_instrument(i).item_ids}


class Labels(HTMLParser):
    """Every form control with its id, and the ids that a <label for> names."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labelled: set[str] = set()
        self.fieldsets = self.legends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.labelled.add(str(a["for"]))
        self.fieldsets += tag == "fieldset"
        self.legends += tag == "legend"


def test_create_submit_stores_scored_response_as_the_therapist(
        world: World, signed_in: dict[str, TestClient], app: FastAPI) -> None:
    number = fresh_session(world)
    path = create_link(signed_in["tom"], number, "checkin", "phq9")
    phone = new_client(app)  # the client: no sign-in
    page = phone.get(path)
    assert page.status_code == 200
    assert "C-001" not in page.text and "Person C-001" not in page.text
    answer = phone.post(path, data=answers_for(("checkin", 8), ("phq9", 0)))
    assert answer.status_code == 303 and answer.headers["location"] == "/feedback/thanks"
    assert phone.get(answer.headers["location"]).status_code == 200
    with world.store.transaction("tom", interface="system") as tx:
        stored = {r.instrument_id: r for r in list_responses(tx, "C-001")
                  if r.session_number == number}
    assert set(stored) == {"checkin", "phq9"}
    assert stored["checkin"].scores["total"] == 40.0  # five items of 8
    assert stored["phq9"].scores["total"] == 0.0
    assert stored["checkin"].recorded_by == "tom"


def test_second_use_is_refused_and_stores_nothing(
        world: World, signed_in: dict[str, TestClient], app: FastAPI) -> None:
    number = fresh_session(world)
    path = create_link(signed_in["tom"], number, "checkin")
    phone = new_client(app)
    assert phone.post(path, data=answers_for(("checkin", 5))).status_code == 303
    again = phone.post(path, data=answers_for(("checkin", 1)))
    assert again.status_code == 410
    assert "Nothing was sent or stored" in again.text
    assert phone.get(path).status_code == 410
    with world.store.transaction("tom", interface="system") as tx:
        totals = [r.scores["total"] for r in list_responses(tx, "C-001", instrument_id="checkin")
                  if r.session_number == number]
    assert totals == [25.0]


def test_expired_form_is_refused(world: World, app: FastAPI) -> None:
    number = fresh_session(world)
    with world.store.transaction("tom", interface="system") as tx:
        created = create_form(tx, "C-001", number, ["checkin"], minutes=5)
        form = tx.db.get(FeedbackForm, created.id)
        assert form is not None
        form.expires_at = form.created_at - dt.timedelta(seconds=1)
    phone = new_client(app)
    assert phone.get(f"/f/{created.token}").status_code == 410
    answer = phone.post(f"/f/{created.token}", data=answers_for(("checkin", 5)))
    assert answer.status_code == 410 and "expired" in answer.text
    with world.store.transaction("tom", interface="system") as tx:
        assert not [r for r in list_responses(tx, "C-001") if r.session_number == number]


def test_unknown_token_is_not_found(app: FastAPI) -> None:
    phone = new_client(app)
    assert phone.get("/f/" + "A" * 43).status_code == 404
    assert phone.post("/f/" + "A" * 43, data=answers_for(("checkin", 5))).status_code == 404
    assert phone.get("/f/" + "A" * 200).status_code == 404


@pytest.mark.parametrize("who", ["tess", "sam", "rita", "ada"])
def test_only_the_owning_therapist_creates_forms(
        world: World, signed_in: dict[str, TestClient], who: str) -> None:
    client = signed_in[who]
    before = _form_count(world)
    assert client.get("/clients/C-001/sessions/1/feedback").status_code == 404
    answer = client.post("/clients/C-001/sessions/1/feedback",
                         data={"instruments": ["checkin"], "csrf_token": csrf_of(client)})
    assert answer.status_code == 404
    assert _form_count(world) == before


def test_unanswered_questions_are_named_and_linked_and_nothing_is_stored(
        world: World, signed_in: dict[str, TestClient], app: FastAPI) -> None:
    number = fresh_session(world)
    path = create_link(signed_in["tom"], number, "checkin")
    data = answers_for(("checkin", 7))
    del data["checkin.checkin_trust"]
    data["checkin.checkin_goals"] = "11"  # not an offered option
    answer = new_client(app).post(path, data=data)
    assert answer.status_code == 400
    for item in ("checkin_trust", "checkin_goals"):
        fid = f"q-checkin-{item}"
        assert f'id="{fid}" aria-describedby="{fid}-error"' in answer.text
        assert f'id="{fid}-error"' in answer.text
        assert f'href="#{fid}"' in answer.text  # the error summary links to the question
    assert 'value="7" id="q-checkin-checkin_heard-7" checked' in answer.text  # kept
    # the form is still alive: the client can correct and send
    assert new_client(app).post(path, data=answers_for(("checkin", 7))).status_code == 303


def test_every_input_of_the_form_has_a_label_and_every_item_a_legend(
        world: World, signed_in: dict[str, TestClient], app: FastAPI) -> None:
    number = fresh_session(world)
    path = create_link(signed_in["tom"], number, "checkin", "phq9")
    parser = Labels()
    parser.feed(new_client(app).get(path).text)
    assert parser.controls, "no inputs found"
    unlabelled = [c for c in parser.controls if c.get("id") not in parser.labelled]
    assert not unlabelled
    assert parser.fieldsets == parser.legends == len(CHECKIN.items) + len(PHQ9.items)


def test_token_is_in_no_audit_row_and_no_log(
        world: World, signed_in: dict[str, TestClient], app: FastAPI,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    number = fresh_session(world)
    path = create_link(signed_in["tom"], number, "checkin")
    token = path.rsplit("/", 1)[1]
    assert new_client(app).post(path, data=answers_for(("checkin", 9))).status_code == 303
    with world.store.transaction(None, interface="system") as tx:
        rows = tx.db.execute(sa.select(AuditEntry)).scalars().all()
        stored_hashes = tx.db.scalars(sa.select(FeedbackForm.token_hash)).all()
    # the test's own HTTP client logs its URLs, as a browser's history would: not ours
    server_side = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert server_side and not [m for m in server_side if token in m]
    assert not [r for r in rows if token in f"{r.detail} {r.subject} {r.entity}"]
    assert token not in stored_hashes  # only its digest is kept
    submit = [r for r in rows if r.entity == "feedback-form" and r.action == "submit"]
    assert submit and submit[-1].interface == "web" and submit[-1].actor == "tom"
    assert re.fullmatch(r"feedback-form=\d+", submit[-1].detail)


def test_kiosk_signs_the_therapist_out_and_locks_after_submission(
        world: World, app: FastAPI) -> None:
    number = fresh_session(world)
    tablet = sign_in(app, "tom")
    armed = tablet.post(f"/clients/C-001/sessions/{number}/feedback",
                        data={"instruments": ["checkin"], "delivery": "kiosk",
                              "csrf_token": csrf_of(tablet)})
    assert armed.status_code == 303 and armed.headers["location"] == "/kiosk"
    form = tablet.get("/kiosk")
    assert form.status_code == 200 and "checkin.checkin_heard" in form.text
    # the therapist is signed out on the tablet: no way to client data
    assert tablet.get("/").status_code == 303
    assert tablet.get("/clients/C-001/sessions/1/feedback").status_code == 303
    sent = tablet.post("/kiosk", data=answers_for(("checkin", 6)))
    assert sent.status_code == 303 and sent.headers["location"] == "/kiosk?sent=1"
    locked = tablet.get("/kiosk?sent=1")
    assert "Thank you" in locked.text and "checkin.checkin_heard" not in locked.text
    assert "checkin.checkin_heard" not in tablet.get("/kiosk").text
    with world.store.transaction("tom", interface="system") as tx:
        assert [r.scores["total"] for r in list_responses(tx, "C-001", instrument_id="checkin")
                if r.session_number == number] == [30.0]


def test_bad_choices_are_answered_on_the_page(
        world: World, signed_in: dict[str, TestClient]) -> None:
    number = fresh_session(world)
    tom = signed_in["tom"]
    none = tom.post(f"/clients/C-001/sessions/{number}/feedback",
                    data={"csrf_token": csrf_of(tom)})
    assert none.status_code == 400 and "choose 1 to 3" in none.text
    licensed = tom.post(f"/clients/C-001/sessions/{number}/feedback",
                        data={"instruments": ["ors"], "csrf_token": csrf_of(tom)})
    assert licensed.status_code == 400 and "cannot be used on a client form" in licensed.text
    # session 1 already has a PHQ-9: a form for it could never be stored
    duplicate = tom.post("/clients/C-001/sessions/1/feedback",
                         data={"instruments": ["phq9"], "csrf_token": csrf_of(tom)})
    assert duplicate.status_code == 400 and "already has a PHQ-9" in duplicate.text


def test_a_risk_answer_asks_the_client_to_talk_to_the_therapist(
        world: World, signed_in: dict[str, TestClient], app: FastAPI) -> None:
    number = fresh_session(world)
    path = create_link(signed_in["tom"], number, "phq9")
    answer = new_client(app).post(path, data=answers_for(("phq9", 1)))
    assert answer.headers["location"] == "/feedback/thanks?talk=1"
    assert "emergency" in new_client(app).get(answer.headers["location"]).text


def _form_count(world: World) -> int:
    with world.store.transaction(None, interface="system") as tx:
        return int(tx.db.scalar(sa.select(sa.func.count()).select_from(FeedbackForm)) or 0)


def test_two_simultaneous_submissions_store_exactly_one(world: World) -> None:
    import threading

    from rapport.caseload import submit_form
    from rapport.errors import RapportInputError

    number = fresh_session(world)
    with world.store.transaction("tom", interface="system") as tx:
        token = create_form(tx, "C-001", number, ["checkin"], minutes=5).token
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def send(value: float) -> None:
        start.wait()
        try:
            with world.store.transaction(None, interface="web") as tx:
                submit_form(tx, token, {"checkin": dict.fromkeys(CHECKIN.item_ids, value)})
            outcomes.append("stored")
        except RapportInputError as exc:
            outcomes.append(exc.code or "")

    threads = [threading.Thread(target=send, args=(v,)) for v in (2.0, 3.0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["gone", "stored"]
    with world.store.transaction("tom", interface="system") as tx:
        stored = [r for r in list_responses(tx, "C-001", instrument_id="checkin")
                  if r.session_number == number]
    assert len(stored) == 1
