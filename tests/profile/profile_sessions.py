"""Project-written sessions with planted codes, ruptures and repairs (no real client data).

Each row is ``(role, text, codes)``; codes map a family or code name to its value
(single-label string or True for a multi-label code). Confidence is 0.9 unless a
``(value, confidence)`` pair is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapport.domain import Code, CodedSession, Session, TurnCodes

Value = str | bool | tuple[str | bool, float]
Row = tuple[str, str, Mapping[str, Value]]

NAMES = {"therapist": "Dr Rowan", "client": "Sam"}


def coded(rows: Sequence[Row], session_id: str = "planted",
          names: Mapping[str, str] = NAMES) -> CodedSession:
    """A CodedSession from rows; speaker names by role from ``names``."""
    session = Session.build(session_id, [(names[role], role, text) for role, text, _ in rows])
    codes = []
    for i, (_, _, planted) in enumerate(rows):
        made = []
        for name, value in planted.items():
            val, conf = value if isinstance(value, tuple) else (value, 0.9)
            made.append(Code(name=name, value=val, confidence=conf, source="planted"))
        codes.append(TurnCodes(session_id=session_id, turn_index=i, codes=tuple(made)))
    return CodedSession(session=session, codes=tuple(codes))


Q_OPEN = {"therapist_behaviour": "question", "question_type": "open"}
Q_CLOSED = {"therapist_behaviour": "question", "question_type": "closed"}
R_SIMPLE = {"therapist_behaviour": "reflection", "reflection_type": "simple"}
R_COMPLEX = {"therapist_behaviour": "reflection", "reflection_type": "complex"}
ADVICE = {"therapist_behaviour": "input", "input_type": "advice",
          "persuade": True}
NEUTRAL = {"client_talk": "neutral"}

#: Withdrawal markers (minimal answers at 5, 7, 9), a repair that invites discussion (10), a
#: confrontation (11) that joins the same episode, and a repair validating it (12).
REPAIRED: list[Row] = [
    ("therapist", "What would you like to talk about today?", Q_OPEN),
    ("client", "Work has been awful and I feel completely overwhelmed by all of it lately.",
     {"client_talk": "neutral", "emotional_disclosure": True}),
    ("therapist", "You feel overwhelmed, like it's all piling up at once.",
     {**R_COMPLEX, "affirm": False}),
    ("client", "Yes, and my manager keeps adding more projects without asking me first.",
     {"client_talk": "neutral"}),
    ("therapist", "Did you talk to your manager?", Q_CLOSED),
    ("client", "No.", {"client_talk": "sustain", "withdrawal": True}),
    ("therapist", "Why not?", Q_OPEN),
    ("client", "Dunno.", {**NEUTRAL, "withdrawal": True}),
    ("therapist", "Will you try this week?", Q_CLOSED),
    ("client", "Maybe.", {**NEUTRAL, "withdrawal": True}),
    ("therapist", ("I notice I've been firing questions at you. How is this going for you "
                   "right now?"), {**Q_OPEN, "metacommunication": True, "repair": True}),
    ("client", "Honestly this feels pointless, you're not really listening to me.",
     {"client_talk": "neutral", "confrontation": True}),
    ("therapist", "It makes sense you'd be frustrated; thank you for telling me so directly.",
     {"therapist_behaviour": "other", "affirm": True, "normalize": True, "repair": True}),
    ("client", "Okay. I guess I want to find a way to say no at work.",
     {"client_talk": "change"}),
    ("therapist", "You want to protect your time, and it's your call how to do that.",
     {**R_COMPLEX, "emphasize_autonomy": True}),
]

#: Advice without permission, the client rejects it (a confrontation marker at turn 3), and
#: the advice continues: an unrepaired episode.
MISSED: list[Row] = [
    ("therapist", "How has your drinking been this month?", Q_OPEN),
    ("client", "About the same as before, most nights a few beers.", NEUTRAL),
    ("therapist", "You should cut down to two nights a week.", ADVICE),
    ("client", "That won't work for me, I've tried it before and it never sticks.",
     {"client_talk": "sustain", "confrontation": True}),
    ("therapist", "You really need to just stop buying beer then.", ADVICE),
    ("client", "Right.", NEUTRAL),
    ("therapist", "And you should start going to the gym instead.", ADVICE),
]


def repaired() -> CodedSession:
    return coded(REPAIRED, "repaired")


def missed() -> CodedSession:
    return coded(MISSED, "missed")
