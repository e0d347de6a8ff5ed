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
