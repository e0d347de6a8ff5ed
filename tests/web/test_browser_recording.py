"""A recording uploaded in a real Chromium: the upload form, the progress page while the
job runner transcribes it, the check-the-transcript page (accessibility checks, roles
chosen by label), then the session's report."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import LiveServer, add_empty_session, chromium, new_page, populated_server, sign_in

pytestmark = pytest.mark.browser

CHECKS = (Path(__file__).with_name("a11y_checks.js")).read_text(encoding="utf-8")
SCRIPT = [(0, "Good morning. What would you like to talk about today?"),
          (1, "I keep waking up at four and I cannot get back to sleep."),
          (0, "How long has that been going on?"),
          (1, "About three weeks, since I started the new job.")]


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [what for what, ok in (
        ("espeak-ng", shutil.which("espeak-ng") is not None),
        ("the transcribe extra", importlib.util.find_spec("faster_whisper") is not None))
        if not ok]
    if missing:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{', '.join(missing)} missing in CI")
        pytest.skip(f"{', '.join(missing)} not installed")
    from rapport.transcribe.synthetic import render

    return render(SCRIPT, seed=4).write(tmp_path_factory.mktemp("rec") / "session.wav",
                                        stereo=False)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with populated_server(tmp_path_factory.mktemp("recording-web")) as live:
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def test_upload_check_and_analyse_a_recording(browser: Any, server: LiveServer,
                                              recording: Path) -> None:
    number = add_empty_session(server)
    page, watch = new_page(browser, server)
    sign_in(page, server, "tom", "/upload")
    page.get_by_label("Client of the recording").select_option("C-001")
    page.get_by_label("Number of the recorded session").fill(str(number))
    page.get_by_label("Recording", exact=True).set_input_files(str(recording))
    page.get_by_role("button", name="Upload and transcribe").click()
    page.wait_for_url("**/recordings/**", timeout=300_000)  # the job page refreshes itself
    assert page.get_by_role("heading", name="Check the transcript, then say who is who"
                            ).count() == 1
    assert page.evaluate(CHECKS) == []
    page.get_by_label("SPEAKER_1 (suggested: therapist)").select_option("therapist")
    page.get_by_label("SPEAKER_2 (suggested: client)").select_option("client")
    page.get_by_role("button", name="Analyse this transcript").click()
    page.wait_for_url(f"**/clients/C-001/sessions/{number}**", timeout=300_000)
    assert page.locator("#transcript .turn").count() == len(SCRIPT)
    watch.clean()
