"""A file whose speakers' roles cannot be told is answered in the words of where it was
uploaded: the upload page's fields and the API's form fields, not the command line's
options (a new-user review found "--client-speaker Maya" on the web page)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_world import EXAMPLES, World, csrf_of

from rapport.store.logins import create_api_token
from rapport.store.sessions import list_sessions


def _sessions(world: World, code: str) -> int:
    with world.store.transaction("tom", interface="system") as tx:
        return len(list_sessions(tx, code))


def test_the_upload_page_names_its_own_fields(signed_in: dict[str, TestClient],
                                              world: World) -> None:
    tom = signed_in["tom"]
    before = _sessions(world, "C-001")
    for name, fix in (
            ("poor_listening.vtt", ("Therapist speaker names: Dr. Lee; "
                                    "Client speaker names: Jordan")),
            ("good_listening.srt", "Client speaker names: Maya")):
        answer = tom.post("/upload", data={"csrf_token": csrf_of(tom), "client": "C-001",
                                           "session": "61"},
                          files={"file": (name, (EXAMPLES / name).read_bytes(),
                                          "application/octet-stream")})
        assert answer.status_code == 400, name
        alert = answer.text.split('id="upload-error"', 1)[1].split("</div>", 1)[0]
        assert fix in alert, name
        assert "--client-speaker" not in alert and "--therapist" not in alert
    # the form's answer, applied, is what imports the file
    fixed = tom.post("/upload", data={"csrf_token": csrf_of(tom), "client": "C-001",
                                      "session": "61", "client_speakers": "Maya"},
                     files={"file": ("good_listening.srt",
                                     (EXAMPLES / "good_listening.srt").read_bytes(),
                                     "application/octet-stream")})
    assert fixed.status_code == 303, fixed.text[-600:]
    assert tom.app.state.jobs.wait_idle(120)  # type: ignore[attr-defined]
    assert _sessions(world, "C-001") == before + 1


def test_the_api_names_its_form_fields(app: object, world: World) -> None:
    with world.store.transaction("tom", interface="system") as tx:
        token, _ = create_api_token(tx, "role-words")
    api = TestClient(app, base_url="https://testserver")  # type: ignore[arg-type]
    api.headers["authorization"] = f"Bearer {token}"
    answer = api.post("/api/v1/clients/C-001/sessions/62/analyses",
                      files={"file": ("good_listening.srt",
                                      (EXAMPLES / "good_listening.srt").read_bytes())})
    body = answer.json()
    assert (answer.status_code, body["code"]) == (400, "unknown_speaker")
    assert "the `client` field: Maya" in body["error"], body
    assert "--client-speaker" not in body["error"]
