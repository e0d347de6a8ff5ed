"""The practice room for scripts: the drills, an attempt judged and stored, progress.

Trainees and therapists practise; a supervisor reads the progress of those they
supervise (``?user=``), an admin anyone's. A refused attempt (unknown drill, empty or
over-long reply) stores nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from rapport.caseload.practice import PracticeProgress, drills, practise, progress_of
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx, SignedIn

router = api_router("practice")


class DrillItem(BaseModel):
    id: str
    skill: str
    title: str


class NewAttempt(BaseModel):
    # Lengths are checked by the practice room itself, so every face gives one message.
    drill_id: str = Field(max_length=200)
    reply: str = Field(max_length=100_000)


class CodeOut(BaseModel):
    code: str
    confidence: float


class FeedbackOut(BaseModel):
    did: str
    needed: str
    exemplar: str
    next_step: str


class AttemptOut(BaseModel):
    id: int
    drill_id: str
    skill: str
    verdict: str = Field(description="met, partly or not_met")
    codes: list[CodeOut]
    confidence: float
    unsure: bool = Field(description="The judge is not sure: take the verdict lightly.")
    feedback: FeedbackOut
    judge_version: str
    codebook_version: str
    created_at: dt.datetime


class SkillOut(BaseModel):
    skill: str
    attempts: int
    met_share: float | None = Field(description="Share met over the last `window` attempts")
    window: int
    status: str


class StyleOut(BaseModel):
    reflections: int
    complex_reflections: int
    questions: int
    too_few: bool = Field(description="Under 10 reflections and questions: not judged")
    reflection_to_question: float | None
    complex_share: float | None


class ProgressOut(BaseModel):
    user: str
    attempts: int
    skills: list[SkillOut]
    style: StyleOut
    next_drills: list[DrillItem]

    @classmethod
    def of(cls, p: PracticeProgress) -> ProgressOut:
        s = p.style
        return cls(
            user=p.username, attempts=p.attempts,
            skills=[SkillOut(skill=line.skill, attempts=line.attempts,
                             met_share=line.met_share, window=line.window,
                             status=line.status) for line in p.skills],
            style=StyleOut(reflections=s.reflections,
                           complex_reflections=s.complex_reflections, questions=s.questions,
                           too_few=s.too_few, reflection_to_question=s.ratio,
                           complex_share=s.complex_share),
            next_drills=[DrillItem(id=d.id, skill=d.skill, title=d.title)
                         for d in p.next_drills])


@router.get("/practice/drills", dependencies=[SignedIn])
def list_drills(skill: Annotated[str | None, Query(max_length=40)] = None
                ) -> Ok[list[DrillItem]]:
    """Every drill (of one skill when given), in library order."""
    return Ok(data=[DrillItem(id=d.id, skill=d.skill, title=d.title) for d in drills()
                    if skill is None or d.skill == skill])


@router.post("/practice/attempts", status_code=201)
def new_attempt(body: NewAttempt, tx: RecordTx) -> Ok[AttemptOut]:
    """Judge a reply to a drill and keep it in your practice history (trainees and
    therapists). Unknown drill, empty reply or more than 2,000 characters: 400."""
    view, judgement = practise(tx, body.drill_id, body.reply)
    fb = judgement.feedback
    return Ok(data=AttemptOut(
        id=view.id, drill_id=view.drill_id, skill=view.skill, verdict=view.verdict,
        codes=[CodeOut(code=c, confidence=p) for c, p in view.codes],
        confidence=view.confidence, unsure=view.unsure,
        feedback=FeedbackOut(did=fb.did, needed=fb.needed, exemplar=fb.exemplar,
                             next_step=fb.next_step),
        judge_version=view.judge_version, codebook_version=view.codebook_version,
        created_at=view.created_at))


@router.get("/practice/progress")
def progress(tx: RecordTx, user: Annotated[str | None, Query(max_length=64)] = None
             ) -> Ok[ProgressOut]:
    """Your practice progress; supervisors and admins may name a ``user`` they see."""
    return Ok(data=ProgressOut.of(progress_of(tx, user)))
