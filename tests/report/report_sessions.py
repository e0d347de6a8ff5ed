"""A project-written session for the report tests: a rupture, its repair, a missed
feeling, and client text that tries to inject markup (it must come out escaped)."""

from __future__ import annotations

import os
import shutil

import pytest

from rapport.domain import Code, CodedSession, Session, TurnCodes
from rapport.pipeline import Analysis, analyze_coded

Q = {"therapist_behaviour": "question", "question_type": "closed"}
ROWS: list[tuple[str, str, dict[str, str | bool]]] = [
    ("therapist", "What would you like to focus on today?",
     {"therapist_behaviour": "question", "question_type": "open"}),
    ("client", "I feel anxious all the time <script>alert('x')</script> and I can't sleep.",
     {"client_talk": "neutral", "emotional_disclosure": True}),
    ("therapist", "How many hours do you sleep?", Q),
    ("client", "Four.", {"client_talk": "neutral", "withdrawal": True}),
    ("therapist", "Do you drink coffee?", Q),
    ("client", "Some.", {"client_talk": "neutral", "withdrawal": True}),
    ("therapist", "After six?", Q),
    ("client", "Sometimes.", {"client_talk": "sustain", "withdrawal": True}),
    ("therapist", ("I realise I've asked a lot of quick questions. You sound worn out and "
                   "worried."), {"therapist_behaviour": "reflection", "reflection_type": "complex",
                  "metacommunication": True, "repair": True}),
    ("client", "Yes, exhausted. I want to get my evenings back.", {"client_talk": "change"}),
]


def report_session() -> CodedSession:
    session = Session.build("report-demo", [(("Therapist" if r == "therapist" else "Client"),
                                             r, text) for r, text, _ in ROWS])
    codes = tuple(
        TurnCodes(session_id=session.id, turn_index=i,
                  codes=tuple(Code(name=k, value=v, confidence=0.8, source="planted")
                              for k, v in planted.items()))
        for i, (_, _, planted) in enumerate(ROWS))
    return CodedSession(session=session, codes=codes, models=("planted-1",))


def report_analysis() -> Analysis:
    return analyze_coded(report_session())


def chromium_or_skip() -> str:
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: `make test` installs Debian's chromium")
        pytest.skip("chromium is not installed (Debian: apt-get install chromium)")
    return path
