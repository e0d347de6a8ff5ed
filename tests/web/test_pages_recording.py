"""A recording uploaded on the web: transcribed by the job runner, checked by the
therapist (roles chosen, a turn corrected), then analysed into the session."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_world import World, csrf_of

from rapport.store.analyses import list_analyses, read_analysis
from rapport.store.clients import list_clients
from rapport.web.receiving import ReceiveLimits

SCRIPT = [(0, "Hello Lena. How have things been since we last met?"),
          (1, "Not great. We had another fight on Sunday at my mother's birthday lunch."),
          (0, "What happened at the lunch?"),
          (1, "My brother said I never help with anything, and I just walked out.")]


@pytest.fixture(scope="module")
def recording() -> bytes:
    missing = [what for what, ok in (
        ("espeak-ng", shutil.which("espeak-ng") is not None),
        ("the transcribe extra", importlib.util.find_spec("faster_whisper") is not None))
        if not ok]
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{', '.join(missing)} missing in CI")
        pytest.skip(f"{', '.join(missing)} not installed")
    import io

    import soundfile as sf

    from rapport.transcribe.synthetic import ESPEAK_RATE, render

    buffer = io.BytesIO()
    sf.write(buffer, render(SCRIPT, seed=3).stereo, ESPEAK_RATE, format="WAV",
             subtype="PCM_16")
    return buffer.getvalue()


def _post(browser: TestClient, url: str, fields: dict[str, str], **files: Any) -> Any:
    return browser.post(url, data={"csrf_token": csrf_of(browser), **fields},
                        files=files or None)


def _follow_job(browser: TestClient, answer: Any) -> Any:
    assert answer.status_code == 303, answer.text[-1500:]
    assert answer.headers["location"].startswith("/jobs/")
    assert browser.app.state.jobs.wait_idle(300)  # type: ignore[attr-defined]
    return browser.get(answer.headers["location"])


def _analyses(world: World, session: int) -> list[Any]:
    with world.store.transaction("tom", interface="system") as tx:
        return [a for a in list_analyses(tx, "C-001") if a.session_number == session]


def test_recording_to_checked_transcript_to_analysis(signed_in: dict[str, TestClient],
                                                     world: World, recording: bytes) -> None:
    tom = signed_in["tom"]
    page = tom.get("/upload")
    assert 'action="/upload/recording"' in page.text
    job = _follow_job(tom, _post(tom, "/upload/recording", {"client": "C-001",
                                                            "session": "41"},
                                 file=("session.wav", recording, "audio/wav")))
    assert job.status_code == 303 and job.headers["location"].startswith("/recordings/")
    check = tom.get(job.headers["location"])
    assert check.status_code == 200
    assert "SPEAKER_1</strong> looks like the therapist" in check.text
    assert not re.search(r'<option value="therapist" selected', check.text)  # never preset
    assert not _analyses(world, 41)  # nothing analysed before the therapist confirms
    url = job.headers["location"]
    refused = _post(tom, url, {})
    assert refused.status_code == 400 and "every speaker needs a role" in refused.text
    assert not _analyses(world, 41)
    texts = re.findall(r'<textarea name="text_(\d+)"', check.text)
    assert len(texts) == len(SCRIPT)
    fields = {"role_SPEAKER_1": "therapist", "role_SPEAKER_2": "client",
              "text_2": "What happened at the birthday lunch?"}
    session_page = _follow_job(tom, _post(tom, url, fields))
    assert session_page.status_code == 303
    assert session_page.headers["location"] == "/clients/C-001/sessions/41"
    (stored,) = _analyses(world, 41)
    with world.store.transaction("tom", interface="system") as tx:
        document = json.loads(read_analysis(tx, stored.id))
    roles = {s["name"]: s["role"] for s in document["speakers"]}
    assert roles == {"SPEAKER_1": "therapist", "SPEAKER_2": "client"}
    assert document["turns"][2]["text"] == "What happened at the birthday lunch?"
    assert document["turns"][0]["start"] is not None  # word timestamps give turn times
    # the transcript is no longer kept in the transcription job
    gone = tom.get(url)
    assert gone.status_code == 404


def test_new_client_needs_consent_to_recording(signed_in: dict[str, TestClient],
                                               world: World, recording: bytes) -> None:
    tom = signed_in["tom"]
    answer = _post(tom, "/upload/recording", {"new_client": "C-REC", "session": "1",
                                              "consent": "yes"},
                   file=("session.wav", recording, "audio/wav"))
    assert answer.status_code in (400, 403, 409, 422)
    assert "consent to the recording" in answer.text
    with world.store.transaction("tom", interface="system") as tx:
        assert "C-REC" not in [c.code for c in list_clients(tx)]


def test_a_transcript_is_not_a_recording(signed_in: dict[str, TestClient],
                                         recording: bytes) -> None:
    tom = signed_in["tom"]
    answer = _post(tom, "/upload/recording", {"client": "C-001", "session": "42"},
                   file=("notes.txt", b"T: Hello.\nC: Hi.\n", "text/plain"))
    assert answer.status_code == 400
    assert "not an audio or video file" in answer.text


def test_media_has_its_own_size_limit(world: World) -> None:
    limits = ReceiveLimits.from_settings(world.settings)
    assert limits.bytes_for("/upload/recording") == world.settings.max_media_bytes + 1_000_000
    assert limits.bytes_for("/upload") == world.settings.max_file_bytes + 1_000_000
    assert limits.bytes_for("/recordings/3") == world.settings.web_max_body_bytes


def _kept_rows(world: World, session: int) -> list[Any]:
    import sqlalchemy as sa

    from rapport.store.models import Client, KeptRecording, TherapySession

    with world.store.engine.connect() as conn:
        return list(conn.execute(
            sa.select(KeptRecording.id, KeptRecording.media_enc)
            .join(TherapySession, TherapySession.id == KeptRecording.session_id)
            .join(Client, Client.id == TherapySession.client_id)
            .where(Client.code == "C-001", TherapySession.number == session)).all())


def _payloads_left(world: World) -> int:
    import sqlalchemy as sa

    from rapport.store.models import Job

    with world.store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(Job).where(
            Job.kind == "transcription", Job.payload_enc.is_not(None))) or 0)


def test_the_recording_is_deleted_once_transcribed_by_default(
        signed_in: dict[str, TestClient], world: World, recording: bytes) -> None:
    tom = signed_in["tom"]
    assert 'name="keep" value="yes">' in tom.get("/upload").text  # unchecked by default
    job = _follow_job(tom, _post(tom, "/upload/recording", {"client": "C-001",
                                                            "session": "44"},
                                 file=("session.wav", recording, "audio/wav")))
    assert job.status_code == 303 and job.headers["location"].startswith("/recordings/")
    assert _payloads_left(world) == 0  # the upload left the record with its job
    assert _kept_rows(world, 44) == []
    assert "The recording was deleted once transcribed" in tom.get(
        job.headers["location"]).text


def test_a_recording_kept_by_choice(signed_in: dict[str, TestClient], world: World,
                                    recording: bytes) -> None:
    import datetime as dt

    from rapport.store.audit import query_audit
    from rapport.store.sessions import list_sessions

    tom, tess, sam = signed_in["tom"], signed_in["tess"], signed_in["sam"]
    job = _follow_job(tom, _post(tom, "/upload/recording", {
        "client": "C-001", "session": "43", "keep": "yes", "session_date": "2026-11-30"},
        file=("session.wav", recording, "audio/wav")))
    assert job.status_code == 303
    assert _payloads_left(world) == 0
    ((recording_id, stored),) = _kept_rows(world, 43)
    assert "The recording is kept, encrypted" in tom.get(job.headers["location"]).text
    assert recording not in stored and recording[44:2000] not in stored  # encrypted
    session_page = _follow_job(tom, _post(tom, job.headers["location"], {
        "role_SPEAKER_1": "therapist", "role_SPEAKER_2": "client"}))
    assert session_page.headers["location"] == "/clients/C-001/sessions/43"
    with world.store.transaction("tom", interface="system") as tx:
        (session,) = [s for s in list_sessions(tx, "C-001") if s.number == 43]
    assert session.date == dt.date(2026, 11, 30)
    assert len(_analyses(world, 43)) == 1  # the analysis joined the recording's session
    page = tom.get("/clients/C-001/sessions/43")
    url = f"/clients/C-001/sessions/43/recordings/{recording_id}"
    assert f'href="{url}"' in page.text and f"{len(recording):,} bytes" in page.text
    assert url not in sam.get("/clients/C-001/sessions/43").text  # the supervisor: no voice
    download = tom.get(url)
    assert download.status_code == 200 and download.content == recording
    assert download.headers["content-type"].startswith("audio/")
    for other in (tess, sam):
        assert other.get(url).status_code == 404
        assert _post(other, url + "/delete", {}).status_code == 404
    with world.store.transaction("tom", interface="system") as tx:
        reads = [e for e in query_audit(tx, client_code="C-001", limit=5000)
                 if e.entity == "recording" and e.action == "read"]
    assert [e.actor for e in reads] == ["tom"]
    deleted = _post(tom, url + "/delete", {})
    assert deleted.status_code == 303
    assert _kept_rows(world, 43) == [] and tom.get(url).status_code == 404
    assert len(_analyses(world, 43)) == 1  # the analysis stays


@pytest.mark.parametrize(("day", "says"), [("2100-01-01", "is in the future"),
                                           ("30/11/2026", "is not a date")])
def test_a_bad_session_date_is_one_form_error(signed_in: dict[str, TestClient],
                                             world: World, recording: bytes, day: str,
                                             says: str) -> None:
    tom = signed_in["tom"]
    answer = _post(tom, "/upload/recording", {"client": "C-001", "session": "45",
                                              "session_date": day, "keep": "yes"},
                   file=("session.wav", recording, "audio/wav"))
    assert answer.status_code == 400
    assert says in answer.text and 'id="recording-error"' in answer.text
    assert f'value="{day}"' in answer.text and 'name="keep" value="yes" checked' in answer.text
    assert _payloads_left(world) == 0 and _kept_rows(world, 45) == []


def test_a_date_other_than_the_sessions_is_refused_before_transcribing(
        signed_in: dict[str, TestClient], world: World, recording: bytes) -> None:
    import datetime as dt

    from rapport.store.sessions import SessionRecord, add_session

    with world.store.transaction("tom", interface="system") as tx:
        add_session(tx, "C-001", SessionRecord(number=46, date=dt.date(2026, 3, 2)))
    answer = _post(signed_in["tom"], "/upload/recording",
                   {"client": "C-001", "session": "46", "session_date": "2026-03-03"},
                   file=("session.wav", recording, "audio/wav"))
    assert answer.status_code == 409
    assert "is dated 2026-03-02, not 2026-03-03" in answer.text
    assert _payloads_left(world) == 0  # nothing queued for transcription
