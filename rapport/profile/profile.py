"""Build the relationship profile of one coded session.

>>> from rapport.domain import CodedSession
>>> from rapport.domain import Session
>>> s = Session.build("demo", [("T", "therapist", "What brings you here?"),
...                            ("C", "client", "I feel stuck and tired of it all.")])
>>> p = build_profile(CodedSession(session=s, codes=()))
>>> p.metric("reflection_to_question").available
False
"""

from __future__ import annotations

from rapport.coding.relationship.feedback import (
    MODEL_IDS,
    earlier_models_note,
    feedback_codes_note,
    not_used_note,
)
from rapport.domain import CodedSession
from rapport.profile import listening, relationship
from rapport.profile.miti import miti_summary
from rapport.profile.models import ProfileResult
from rapport.profile.moments import moments_to_revisit
from rapport.profile.reliability import with_code_precision
from rapport.profile.ruptures import detect_ruptures, ruptures_measured
from rapport.profile.view import SessionView

#: The codes the profile reads; a session coded with none of them still gets a profile.
KNOWN_CODES = (
    "therapist_behaviour", "question_type", "reflection_type", "input_type", "client_talk",
    "affirm", "emphasize_autonomy", "seek_collaboration", "normalize",
    "self_disclosure", "metacommunication", "persuade", "persuade_with_permission",
    "confront", "repair",
    "boundary_statement", "withdrawal", "confrontation", "boundary_issue",
    "emotional_disclosure", "empathy",
)


def build_profile(coded: CodedSession) -> ProfileResult:
    """Every metric, rupture and moment of one session; never raises on a valid session."""
    view = SessionView(coded)
    metrics = [
        listening.reflection_to_question(view),
        listening.complex_reflections(view),
        listening.open_questions(view),
        listening.follow_up(view),
        listening.empathy(view),
        listening.validation_rate(view),
        relationship.autonomy_support(view),
        relationship.transparency(view),
        relationship.change_talk(view),
        relationship.disclosure_over_session(view),
        relationship.boundary_moments(view),
        *relationship.talk_time(view),
    ]
    metrics = with_code_precision(metrics, view)
    ruptures = detect_ruptures(view)
    notes = []
    for source in MODEL_IDS:
        if view.coded_by(source):
            notes.append(feedback_codes_note(source))
            note = not_used_note(("withdrawal", "confrontation"), "rupture episodes", source)
            if note:
                notes.append(note)
    earlier = earlier_models_note(view.sources)
    if earlier:
        notes.append(earlier)
    absent = [c for c in KNOWN_CODES if c not in view.available]
    if absent:
        notes.append("codes not available for this session: " + ", ".join(absent)
                     + "; metrics that need them say so")
    return ProfileResult(
        session_id=coded.session.id, turns=len(coded.session.turns),
        families_available=sorted(view.available), metrics=metrics, ruptures=ruptures,
        ruptures_measured=ruptures_measured(view), moments=moments_to_revisit(view, ruptures),
        miti=miti_summary(view), notes=notes)
