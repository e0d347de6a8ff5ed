"""The practice room: short drills a therapist answers, judged against a frozen codebook.

The drill library (:func:`load_drills`), the shape of a judgement and the judge
(:func:`judge_reply`); see docs/practice.md.
"""

from rapport.practice.drills import BOUNDARY_CASES, SKILLS, Drill, load_drills
from rapport.practice.judge import JUDGE_VERSION, judge_reply
from rapport.practice.judgement import (
    PRACTICE_CODES,
    VERDICTS,
    Feedback,
    Judgement,
    ReplyCode,
    Verdict,
)

__all__ = ["BOUNDARY_CASES", "JUDGE_VERSION", "PRACTICE_CODES", "SKILLS", "VERDICTS", "Drill",
           "Feedback", "Judgement", "ReplyCode", "Verdict", "judge_reply", "load_drills"]
