"""A client's feedback form sent: score the answers, file them as the therapist, close it.

The rule lives here (what a submission means: the answers are scored like any
questionnaire, filed under the creating therapist, and safety flags reach the caseload at
once, derived from the stored responses); the store only finds the live form and claims
it (:mod:`rapport.store.feedback`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapport.caseload.responses import record_or_keep_unfiled
from rapport.errors import RapportInputError
from rapport.measures.catalog import get_instrument, shared_items
from rapport.measures.schema import Instrument
from rapport.measures.scoring import Score, require_answered, score
from rapport.store.feedback import CreatedForm, claim_form, create_form, live_form, note_unfiled
from rapport.store.models import utcnow
from rapport.store.tx import Tx


def check_no_overlap(instrument_ids: Sequence[str]) -> None:
    """Refuse questionnaires that ask the same questions on one form (the PHQ-2 is PHQ-9
    items 1-2, the GAD-2 GAD-7 items 1-2): the client would answer them twice, and two
    different answers to one question would both be stored."""
    # unknown ids are left to the store, which refuses them with the allowed ones
    chosen = [i for i in map(_known, dict.fromkeys(instrument_ids)) if i is not None]
    for n, first in enumerate(chosen):
        for second in chosen[n + 1:]:
            if shared_items(first, second):
                small, large = sorted((first, second), key=lambda i: len(i.items))
                raise RapportInputError(
                    f"the {small.short_name} and the {large.short_name} ask the same "
                    "questions, so one form cannot hold both", where="instruments",
                    fix=f"choose one of them (the {large.short_name} includes the "
                        f"{small.short_name}'s questions)", code="bad_input")


def _known(instrument_id: str) -> Instrument | None:
    try:
        return get_instrument(instrument_id)
    except RapportInputError:
        return None


def new_form(tx: Tx, code: str, session_number: int, instrument_ids: Sequence[str], *,
             minutes: int, kiosk: bool = False) -> CreatedForm:
    """Create a feedback form (:func:`rapport.store.feedback.create_form`) after refusing
    overlapping questionnaires (:func:`check_no_overlap`); nothing is written on refusal."""
    check_no_overlap(instrument_ids)
    return create_form(tx, code, session_number, instrument_ids, minutes=minutes,
                       kiosk=kiosk)


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
    for instrument, result in zip(instruments, scores, strict=True):
        require_answered(instrument, result, where=instrument.id)  # before the claim
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
