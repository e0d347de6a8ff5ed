"""The practice room joined to the record, for the CLI and the web alike: check a reply,
judge it, store the attempt, and read a trainee's progress back.

The judging is ``rapport.practice.judge_reply``'s; the storing is ``rapport.store``'s;
progress is ``rapport.practice.progress``'s pure functions over the stored outcomes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rapport.errors import RapportInputError
from rapport.practice import SKILLS, Drill, Judgement, judge_reply, load_drills
from rapport.practice.progress import (
    AttemptOutcome,
    ReplyStyle,
    SkillProgress,
    reply_style,
    skill_progress,
    suggest_next,
)
from rapport.store.permissions import PRACTISING_ROLES, require_role
from rapport.store.practice import AttemptView, NewAttempt, add_attempt, list_attempts
from rapport.store.tx import Tx

#: The longest reply the practice room takes (a reply is a turn, not a letter).
MAX_REPLY_CHARS = 2000


@cache
def drills() -> tuple[Drill, ...]:
    """The drill library, read once per process."""
    return tuple(load_drills())


@cache
def _by_id() -> dict[str, Drill]:
    return {d.id: d for d in drills()}


def find_drill(drill_id: str) -> Drill:
    """The drill with this id, or one error saying how to find a real one."""
    drill = _by_id().get(drill_id.strip())
    if drill is None:
        raise RapportInputError(f"no drill {drill_id[:64]!r}", where="drill_id",
                                fix="list the drills with `rapport practice list` or "
                                "GET /api/v1/practice/drills", code="unknown_drill")
    return drill


def checked_reply(reply: str) -> str:
    """The reply without surrounding blanks; refused when empty or too long."""
    text = reply.strip()
    if not text:
        raise RapportInputError("the reply is empty", where="reply",
                                fix="type what you would say to the client", code="empty_reply")
    if len(text) > MAX_REPLY_CHARS:
        raise RapportInputError(f"the reply has {len(text)} characters, more than "
                                f"{MAX_REPLY_CHARS}", where="reply",
                                fix="answer in a few sentences, as in a session",
                                code="reply_too_long")
    return text


def judge(drill_id: str, reply: str) -> Judgement:
    """Judge a reply without the record (``rapport practice check``)."""
    drill = find_drill(drill_id)
    return judge_reply(drill, checked_reply(reply))


def practise(tx: Tx, drill_id: str, reply: str) -> tuple[AttemptView, Judgement]:
    """Judge the acting user's reply to a drill and store the attempt. Everything is
    checked (role, drill, reply) before the judge runs, so a refusal stores nothing."""
    require_role(tx.me(), *PRACTISING_ROLES, doing="practising")
    drill = find_drill(drill_id)
    text = checked_reply(reply)
    judgement = judge_reply(drill, text)
    fb = judgement.feedback
    view = add_attempt(tx, NewAttempt(
        drill_id=drill.id, skill=drill.skill, reply=text, verdict=judgement.verdict,
        codes=tuple((c.code, c.confidence) for c in judgement.codes),
        confidence=judgement.confidence, unsure=judgement.unsure,
        feedback={"did": fb.did, "needed": fb.needed, "exemplar": fb.exemplar,
                  "next_step": fb.next_step},
        judge_version=judgement.judge_version, codebook_version=judgement.codebook_version))
    return view, judgement


def outcome(view: AttemptView) -> AttemptOutcome:
    return AttemptOutcome(drill_id=view.drill_id, skill=view.skill, verdict=view.verdict,
                          codes=tuple(c for c, _ in view.codes))


@dataclass(frozen=True)
class PracticeProgress:
    username: str
    attempts: int
    skills: list[SkillProgress]
    style: ReplyStyle
    next_drills: list[Drill]
    last: AttemptView | None


def progress_from(username: str, views: Sequence[AttemptView], k: int = 3
                  ) -> PracticeProgress:
    outcomes = [outcome(v) for v in views]
    ids = suggest_next(outcomes, [(d.id, d.skill) for d in drills()], k=k)
    return PracticeProgress(
        username=username, attempts=len(views), skills=skill_progress(outcomes, SKILLS),
        style=reply_style(outcomes), next_drills=[_by_id()[i] for i in ids],
        last=views[-1] if views else None)


def progress_of(tx: Tx, username: str | None = None, k: int = 3) -> PracticeProgress:
    """Progress of ``username`` (default: the acting user), read through the store so its
    rights and audit apply; no reply text is decrypted."""
    views = list_attempts(tx, username)
    return progress_from(username or tx.me().username, views, k=k)
