"""Progress in the practice room, from a trainee's attempts: pure functions, no record.

- per skill: how many attempts, and the share judged ``met`` over the last N (default 5);
- the style of the replies: reflections to questions, and the share of reflections that
  are complex (as in the session report, too few to judge under 10 of them);
- what to practise next: a Leitner box per skill. A skill never tried is in box 0; a miss
  (``partly`` or ``not_met``) puts it in box 1, due at once; each ``met`` moves it up a
  box, and a skill in a higher box comes back after a longer gap (counted in attempts).

The faces read attempts from the record and hand them here as :class:`AttemptOutcome`.

>>> a = [AttemptOutcome("empathy-01", "empathy", "met", ("complex_reflection",))]
>>> skill_progress(a, skills=("empathy",))[0].met_share
1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: How many of the latest attempts of a skill count towards its share met.
LAST_N = 5
#: Fewer reflections plus questions than this: too few to judge the ratio (MIN_BAND_N).
MIN_STYLE_N = 10
#: Box -> attempts (at any skill) before a skill in that box is due again. Box 1 (missed)
#: is due at once; a met skill waits longer the more often it was met in a row.
GAPS = {0: 0, 1: 0, 2: 4, 3: 8, 4: 16, 5: 32}
TOP_BOX = max(GAPS)

REFLECTIONS = ("simple_reflection", "complex_reflection")
QUESTIONS = ("open_question", "closed_question")


@dataclass(frozen=True)
class AttemptOutcome:
    """One attempt as progress needs it, oldest first in any sequence given here."""

    drill_id: str
    skill: str
    verdict: str  # met | partly | not_met
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillProgress:
    skill: str
    attempts: int
    #: Of the last ``window`` attempts (at most LAST_N), how many were met; None if none.
    met_share: float | None
    window: int
    box: int
    #: Attempts still to make before the skill is due again (0: due now).
    due_in: int

    @property
    def status(self) -> str:
        """In words: not tried, met, or still to practise."""
        if self.attempts == 0:
            return "not tried yet"
        return "met" if self.box >= 2 else "keep practising"


@dataclass(frozen=True)
class ReplyStyle:
    reflections: int
    complex_reflections: int
    questions: int

    @property
    def too_few(self) -> bool:
        return self.reflections + self.questions < MIN_STYLE_N

    @property
    def ratio(self) -> float | None:
        """Reflections per question; None with no question or too few to judge."""
        if self.too_few or self.questions == 0:
            return None
        return self.reflections / self.questions

    @property
    def complex_share(self) -> float | None:
        if self.too_few or self.reflections == 0:
            return None
        return self.complex_reflections / self.reflections


def _boxes(attempts: Sequence[AttemptOutcome]) -> tuple[dict[str, int], dict[str, int]]:
    """Each skill's box and the position (1-based) of its latest attempt."""
    box: dict[str, int] = {}
    last: dict[str, int] = {}
    for position, attempt in enumerate(attempts, start=1):
        now = box.get(attempt.skill, 0)
        # met moves up from box 1 at least (a first met goes to 2); a miss goes back to 1
        box[attempt.skill] = min(max(now, 1) + 1, TOP_BOX) if attempt.verdict == "met" else 1
        last[attempt.skill] = position
    return box, last


def skill_progress(attempts: Sequence[AttemptOutcome], skills: Sequence[str],
                   last_n: int = LAST_N) -> list[SkillProgress]:
    """One line per skill in ``skills`` (then any other skill attempted), in that order."""
    if last_n < 1:
        raise ValueError("last_n must be at least 1")
    box, last = _boxes(attempts)
    order = list(dict.fromkeys([*skills, *(a.skill for a in attempts)]))
    lines = []
    for skill in order:
        mine = [a for a in attempts if a.skill == skill]
        recent = mine[-last_n:]
        met = sum(a.verdict == "met" for a in recent)
        b = box.get(skill, 0)
        waited = len(attempts) - last.get(skill, 0)
        lines.append(SkillProgress(
            skill=skill, attempts=len(mine), met_share=met / len(recent) if recent else None,
            window=len(recent), box=b, due_in=max(0, GAPS[b] - waited) if mine else 0))
    return lines


def reply_style(attempts: Sequence[AttemptOutcome]) -> ReplyStyle:
    """Reflections, complex reflections and questions over every reply's codes."""
    codes = [c for a in attempts for c in a.codes]
    return ReplyStyle(reflections=sum(c in REFLECTIONS for c in codes),
                      complex_reflections=codes.count("complex_reflection"),
                      questions=sum(c in QUESTIONS for c in codes))


def _skill_order(line: SkillProgress) -> tuple[int, int, int]:
    # missed and due first (the longest waiting first), then never tried, then met
    # skills that are due, then the rest by how soon they come due
    if line.box == 1:
        return (0, 0, 0)
    if line.box == 0:
        return (1, 0, 0)
    return (2 if line.due_in == 0 else 3, line.due_in, line.box)


def suggest_next(attempts: Sequence[AttemptOutcome], drills: Sequence[tuple[str, str]],
                 k: int = 3) -> list[str]:
    """Up to ``k`` drill ids to do next, one per skill, from ``drills`` as
    ``(drill_id, skill)`` in library order. Never the drill just done (unless it is the
    only one); within a skill, the drill done least often comes first."""
    if not drills or k < 1:
        return []
    skills = list(dict.fromkeys(skill for _, skill in drills))
    lines = [line for line in skill_progress(attempts, skills) if line.skill in skills]
    since = {line.skill: i for i, line in enumerate(lines)}
    last_skill_at = _last_positions(attempts)
    lines.sort(key=lambda line: (*_skill_order(line), last_skill_at.get(line.skill, 0),
                                 since[line.skill]))
    just_done = attempts[-1].drill_id if attempts else None
    done = _counts(attempts)
    picks: list[str] = []
    for line in lines:
        choices = [d for d, s in drills if s == line.skill and d != just_done]
        if not choices:
            continue
        picks.append(min(choices, key=lambda d: done.get(d, 0)))  # min keeps library order
        if len(picks) == k:
            break
    if not picks and drills:  # the library has only the drill just done
        picks.append(drills[0][0])
    return picks


def _last_positions(attempts: Sequence[AttemptOutcome]) -> dict[str, int]:
    return {a.skill: i for i, a in enumerate(attempts, start=1)}


def _counts(attempts: Sequence[AttemptOutcome]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in attempts:
        counts[a.drill_id] = counts.get(a.drill_id, 0) + 1
    return counts
