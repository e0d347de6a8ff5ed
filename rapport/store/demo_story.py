"""The demo's story: which invented client each example transcript belongs to, and when.

Every example in ``examples/`` is a different (invented) person, so each has its own
client code. Session numbers follow the transcripts: an intake ("what brings you here")
is session 1; a session that says "last time we..." has sessions before it, which the
demo record holds as attended sessions without a transcript. Sessions are weekly, in date
order. ``make demo`` names each report after the client and session it shows
(``C-001-session-1.html``) and gives the analysed session that name and date, so the file,
the report's title, the terminal line and the web app's client page all say the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapport.domain import Session
from rapport.store.consents import ConsentKind

#: The first demo week (a Tuesday); everything else is counted from it.
FIRST_SESSION = dt.date(2026, 1, 6)


@dataclass(frozen=True)
class DemoClient:
    code: str
    name: str  # invented; the record stores it encrypted as the client's identity
    consents: tuple[ConsentKind, ...]


@dataclass(frozen=True)
class StorySession:
    """One analysed demo session: the example it comes from and its place in the story."""

    example: str  # the session id the example's file gives when read ("first-session")
    file: str  # the example's file name, as ``make demo`` prints it
    code: str
    number: int
    date: dt.date
    what: str  # in a few words, for the terminal

    @property
    def name(self) -> str:
        """The report's file name (without suffix) and the analysed session's id."""
        return f"{self.code}-session-{self.number}"


_BASIC = (ConsentKind.RECORDING, ConsentKind.ANALYSIS)
DEMO_CLIENTS = (
    DemoClient("C-001", "Alex (invented demo client)", (*_BASIC, ConsentKind.RESEARCH)),
    DemoClient("C-002", "Robin (invented demo client)", (*_BASIC, ConsentKind.SHARING)),
    DemoClient("C-003", "Sam (invented demo client)", _BASIC),
    DemoClient("C-004", "Jordan (invented demo client)", _BASIC),
    DemoClient("C-005", "Maya (invented demo client)", _BASIC),
    DemoClient("C-006", "Priya and Dan (invented demo couple)", _BASIC),
    DemoClient("C-007", "Lena (invented demo client)", _BASIC),
)


def _week(n: int, day: int = 0) -> dt.date:
    return FIRST_SESSION + dt.timedelta(weeks=n, days=day)


#: The analysed sessions, in the order ``make demo`` writes them. The generated
#: audio + video session ("demo_session") continues C-002's work on the argument with
#: the sister, the week after the rupture and its repair.
DEMO_STORY = (
    StorySession("first-session", "first_session.csv", "C-001", 1, _week(0),
                 "intake: confidentiality, what brings Alex, goals"),
    StorySession("rupture_repair", "rupture_repair.txt", "C-002", 4, _week(3),
                 "advice, withdrawal, confrontation, then repair"),
    StorySession("demo_session", "generated audio + video", "C-002", 5, _week(4),
                 "the week after the repair, with voice and movement"),
    StorySession("missed_risk", "missed_risk.txt", "C-003", 2, _week(1, 1),
                 "suicidal thoughts disclosed and passed over"),
    StorySession("poor_listening", "poor_listening.vtt", "C-004", 2, _week(1, 2),
                 "closed questions and advice, short answers"),
    StorySession("good_listening", "good_listening.srt", "C-005", 2, _week(1, 3),
                 "open questions, reflections, change talk"),
    StorySession("couple_session", "couple_session.json", "C-006", 1, _week(0, 6),
                 "a couple's intake: one therapist, two clients"),
    StorySession("check-in", "check_in.jsonl", "C-007", 3, _week(2),
                 "a short check-in: the grounding exercise helped"),
)


def story_session(session_id: str) -> StorySession | None:
    """The story's place for a session read from an example (its own id) or already
    renamed by ``make demo`` (``C-001-session-1``); None for any other session."""
    return next((s for s in DEMO_STORY if session_id in (s.example, s.name)), None)


def in_story(session: Session) -> Session:
    """``session`` renamed and dated as the story has it (``C-001-session-1``), so its
    report and its stored analysis say which client and session it is; unchanged when
    the story does not know it."""
    story = story_session(session.id)
    if story is None:
        return session
    return session.model_copy(update={"id": story.name, "date": story.date})


def earlier_sessions(story: StorySession) -> list[tuple[int, dt.date]]:
    """The weekly sessions before ``story`` (attended, no transcript), oldest first."""
    return [(n, story.date - dt.timedelta(weeks=story.number - n))
            for n in range(1, story.number)]
