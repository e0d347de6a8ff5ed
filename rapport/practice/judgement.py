"""What the practice judge says about one reply: the shape every face (CLI, API, web) shows.

Kept apart from the judge itself so the pages, the record and the API depend on this
stable shape, not on how the verdict is reached.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["met", "partly", "not_met"]
VERDICTS: tuple[str, ...] = ("met", "partly", "not_met")

# The closed code list of docs/practice-codebook.md (v1.0); the judge reports only these.
PRACTICE_CODES: tuple[str, ...] = (
    "simple_reflection", "complex_reflection", "open_question", "closed_question", "affirm",
    "validation", "normalize", "seek_permission", "emphasize_autonomy",
    "advice_without_permission", "persuade", "confront", "explain_process",
    "metacommunication", "repair", "self_disclosure", "boundary_statement",
    "asks_about_suicide", "safety_planning", "minimise_or_reassure", "ignores_cue",
)


@dataclass(frozen=True)
class ReplyCode:
    """One code found in the reply, with how sure the judge is and why."""

    code: str
    confidence: float
    evidence: str | None = None


@dataclass(frozen=True)
class Feedback:
    """The plain-words answer: what the reply did, what the moment needed, one exemplar,
    and a next step."""

    did: str
    needed: str
    exemplar: str
    next_step: str


@dataclass(frozen=True)
class Judgement:
    drill_id: str
    skill: str
    verdict: Verdict
    # P(verdict) as the judge estimates it; below the judge's bar ``unsure`` is set and the
    # feedback says so instead of praising or blaming.
    confidence: float
    unsure: bool
    codes: tuple[ReplyCode, ...]
    feedback: Feedback
    rule: str  # the deciding codebook rule, e.g. "R2"
    judge_version: str
    codebook_version: str = "1.0"
    extra: dict[str, Any] = field(default_factory=dict)

    def has(self, code: str) -> bool:
        return any(c.code == code for c in self.codes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
