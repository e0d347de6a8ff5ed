"""The practice room's pages: the drill queue and progress, a drill with its reply box,
the feedback on an attempt, the history, and the supervisor's view of their trainees.

Trainees and therapists practise; supervisors see those they supervise and admins
everyone (``/practice/people``). Nothing here touches client data.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.caseload.practice import (
    MAX_REPLY_CHARS,
    drills,
    find_drill,
    practise,
    progress_from,
    progress_of,
)
from rapport.errors import RapportInputError
from rapport.practice import SKILLS, Drill
from rapport.practice import words as w
from rapport.practice.progress import LAST_N
from rapport.store.permissions import UserRole, not_found
from rapport.store.practice import list_attempts, practitioners, read_attempt
from rapport.web.identity import CurrentIdentity, RecordTx, require_roles
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)
PRACTISERS = require_roles(UserRole.TRAINEE, UserRole.THERAPIST)
REVIEWERS = require_roles(UserRole.SUPERVISOR, UserRole.ADMIN)
#: Words every practice template may use.
WORDS = {"skill_name": w.skill_name, "skill_words": w.SKILL_WORDS,
         "verdict_words": w.VERDICT_WORDS, "code_in_words": w.code_in_words,
         "unsure_note": w.UNSURE_NOTE, "max_reply": MAX_REPLY_CHARS, "last_n": LAST_N}


def _drill_or_404(drill_id: str) -> Drill:
    try:
        return find_drill(drill_id)
    except RapportInputError:
        raise not_found("drill", drill_id[:64]) from None


def _by_skill() -> list[tuple[str, list[Drill]]]:
    return [(s, [d for d in drills() if d.skill == s]) for s in SKILLS]


@router.get("/practice", dependencies=[PRACTISERS])
def practice_home(request: Request, tx: RecordTx) -> Response:
    progress = progress_of(tx)
    return render(request, "practice.html", {"p": progress, "by_skill": _by_skill(),
                                             **WORDS})


@router.get("/practice/drills/{drill_id}", dependencies=[PRACTISERS])
def drill_page(request: Request, drill_id: str) -> Response:
    return render(request, "practice_drill.html", {"drill": _drill_or_404(drill_id),
                                                   "reply": "", "error": None, **WORDS})


@router.post("/practice/drills/{drill_id}", dependencies=[PRACTISERS])
def answer_drill(request: Request, drill_id: str, tx: RecordTx,
                 reply: Annotated[str, Form(max_length=100_000)] = "") -> Response:
    drill = _drill_or_404(drill_id)
    try:
        view, _ = practise(tx, drill.id, reply)
    except RapportInputError as exc:
        if exc.code not in ("empty_reply", "reply_too_long"):
            raise
        return render(request, "practice_drill.html", {
            "drill": drill, "reply": reply, "error": f"{exc.what}: {exc.fix}", **WORDS},
            status=422)
    return RedirectResponse(f"/practice/attempts/{view.id}", status_code=303)


@router.get("/practice/attempts/{attempt_id}")
def attempt_page(request: Request, attempt_id: int, identity: CurrentIdentity,
                 tx: RecordTx) -> Response:
    """One attempt with its feedback: for its author, their supervisors and admins."""
    attempt = read_attempt(tx, attempt_id)
    mine = attempt.username == identity.actor.username
    following = progress_of(tx).next_drills if mine else []
    return render(request, "practice_attempt.html", {
        "a": attempt, "drill": _drill_or_404(attempt.drill_id), "mine": mine,
        "next_drills": following, **WORDS})


@router.get("/practice/history", dependencies=[PRACTISERS])
def history(request: Request, tx: RecordTx) -> Response:
    attempts = list(reversed(list_attempts(tx, with_text=True)))
    return render(request, "practice_history.html", {"attempts": attempts,
                                                     "titles": _titles(), **WORDS})


@router.get("/practice/people", dependencies=[REVIEWERS])
def people(request: Request, identity: CurrentIdentity, tx: RecordTx) -> Response:
    """Supervisors: the trainees and therapists they supervise; admins: everyone who
    practises."""
    rows = []
    for person in practitioners(tx):
        if person.username == identity.actor.username:
            continue
        rows.append((person, progress_from(person.username,
                                           list_attempts(tx, person.username))))
    return render(request, "practice_people.html", {"rows": rows, **WORDS})


@router.get("/practice/people/{trainee}", dependencies=[REVIEWERS])
def person(request: Request, trainee: str, tx: RecordTx) -> Response:
    attempts = list_attempts(tx, trainee, with_text=True)
    return render(request, "practice_person.html", {
        "name": trainee, "p": progress_from(trainee, attempts),
        "attempts": list(reversed(attempts)), "titles": _titles(), **WORDS})


def _titles() -> dict[str, str]:
    return {d.id: d.title for d in drills()}
