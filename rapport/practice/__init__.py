"""The practice room: short drills a therapist answers, judged against a frozen codebook.

Phase 1 holds the drill library only (see docs/practice.md); the judge, the pages and the
API build on :func:`load_drills`.
"""

from rapport.practice.drills import BOUNDARY_CASES, SKILLS, Drill, load_drills

__all__ = ["BOUNDARY_CASES", "SKILLS", "Drill", "load_drills"]
