"""A client's feedback form sent: score the answers, file them as the therapist, close it.

The rule lives here (what a submission means: the answers are scored like any
questionnaire, filed under the creating therapist, and safety flags reach the caseload at
once, derived from the stored responses); the store only finds the live form and claims
it (:mod:`rapport.store.feedback`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from rapport.caseload.responses import record_or_keep_unfiled
from rapport.errors import RapportInputError
from rapport.measures.catalog import get_instrument
from rapport.measures.scoring import Score, score
from rapport.store.feedback import claim_form, live_form, note_unfiled
from rapport.store.models import utcnow
from rapport.store.tx import Tx


@dataclass(frozen=True)
class Submitted:
    form_id: int
    scores: tuple[Score, ...]

    @property
    def has_safety_flag(self) -> bool:
        """Any safety flag, including a risk item left blank (the therapist's caseload
        shows it at once: it is derived from the stored response)."""
        return any(s.safety_flags for s in self.scores)

    @property
    def has_risk_answer(self) -> bool:
        """A risk item answered above zero: the client is asked to talk to the therapist
        and shown the emergency line (a blank is the therapist's to ask about)."""
        return any(f.reason == "answered" for s in self.scores for f in s.safety_flags)


def submit_form(tx: Tx, token: str, answers: Mapping[str, Mapping[str, float | None]], *,
                now: dt.datetime | None = None) -> Submitted:
    """Score and store the answers (instrument id -> item id -> value) as the creating
    therapist, then kill the form; all or nothing.

    ``tx`` is an anonymous transaction (``actor`` None): the token, not a sign-in, grants
    this one write. Bad answers raise before anything is stored and leave the form alive.
    """
    now = now or utcnow()
    form = live_form(tx, token, now)
    as_creator = Tx(db=tx.db, actor=form.creator, interface=tx.interface,
                    cipher_loader=tx.cipher_loader)
    instruments = [get_instrument(i) for i in form.instruments]
    extra = sorted(set(answers) - set(form.instruments))
    if extra:
        raise RapportInputError(f"{extra[0]!r} is not on this form", where="answers",
                                fix="answer the questionnaires shown", code="bad_input")
    scores = tuple(score(i, answers.get(i.id, {}), where=i.id) for i in instruments)
    code, client_uid = claim_form(tx, form, now)
    unfiled = [instrument.id for instrument, result in zip(instruments, scores, strict=True)
               if not record_or_keep_unfiled(as_creator, code, instrument, result,
                                             session=form.session_number)]
    if unfiled:  # the therapist sees it on the session's list of forms
        note_unfiled(tx, form, unfiled)
    as_creator.audit("submit", "feedback-form", subject=client_uid,
                     detail=f"feedback-form={form.id}"
                     + (f" kept-without-session={','.join(unfiled)}" if unfiled else ""))
    return Submitted(form_id=form.id, scores=scores)
