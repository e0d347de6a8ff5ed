"""Questionnaire entry by the treating therapist, for one session of a client, and
marking one of the session's stored questionnaires entered in error.

One accessible field per item with the instrument's answer options (item text only where
the instrument's licence lets Rapport bundle it; licensed ones show item numbers and
options, for use beside the licensed paper form). Scored by ``rapport.measures.scoring``
and stored by ``rapport.caseload.record_response``, which refuses a second administration
of the same instrument for the session before writing anything. A questionnaire stored
by mistake is marked entered in error (``rapport.caseload.mark_response_entered_in_error``:
a reason, never deleted, refused while a safety flag of it is open); the session can then
record the right one.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.errors import RapportInputError
from rapport.measures.schema import Instrument
from rapport.store.clients import find_client
from rapport.store.tx import Tx
from rapport.web.errors import STATUS_OF_CODE
from rapport.web.identity import CurrentIdentity, RecordTx
from rapport.web.pages.sessions import SESSION_PATH, require_session, session_url
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)

FIELD_PREFIX = "item_"
_NOT_FOUND = frozenset({"not_found", "forbidden"})


def _check_target(tx: Tx, code: str, number: int) -> None:
    """Only the treating therapist, only an existing session (else 404); audited."""
    find_client(tx, code, write=True)
    require_session(tx, code, number)


def answers_from_form(instrument: Instrument, form: dict[str, str]) -> dict[str, float | None]:
    """Item answers from the form fields; an empty field is an unanswered item."""
    answers: dict[str, float | None] = {}
    for number, item_id in enumerate(instrument.item_ids, 1):
        raw = form.get(FIELD_PREFIX + item_id, "").strip()
        if not raw:
            answers[item_id] = None
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise RapportInputError(f"the answer to item {number} is not a number",
                                    where=f"item {number}", fix="choose one of the options",
                                    code="bad_answer")
        answers[item_id] = value
    return answers


def _form(request: Request, tx: Tx, code: str, number: int, instrument: Instrument | None,
          *, error: RapportInputError | None = None, given: dict[str, str] | None = None,
          status: int = 200) -> Response:
    from rapport.caseload import client_flags
    from rapport.measures.catalog import list_instruments

    flags, _ = client_flags(tx, code)
    return render(request, "questionnaire.html", {
        "open_flags": [f for f in flags if f.is_open],
        "code": code, "number": number, "instrument": instrument,
        "instruments": list_instruments(), "error": error, "given": given or {},
        "prefix": FIELD_PREFIX, "base_url": session_url(code, number)}, status=status)


@router.get(SESSION_PATH + "/questionnaire")
def questionnaire_form(request: Request, code: str, number: int, tx: RecordTx,
                       instrument: str = "") -> Response:
    from rapport.measures.catalog import get_instrument

    _check_target(tx, code, number)
    if not instrument:
        return _form(request, tx, code, number, None)
    try:
        chosen = get_instrument(instrument[:64])
    except RapportInputError as exc:
        return _form(request, tx, code, number, None, error=exc, status=400)
    return _form(request, tx, code, number, chosen)


async def _form_fields(request: Request) -> dict[str, str]:
    # The items differ per instrument, so the fields are read as a whole (parsed once:
    # the CSRF check has read the same form).
    return {k: v[:32] for k, v in (await request.form()).items() if isinstance(v, str)}


FormFields = Annotated[dict[str, str], Depends(_form_fields)]


@router.post(SESSION_PATH + "/questionnaire")
def questionnaire_submit(request: Request, code: str, number: int, tx: RecordTx,
                         form: FormFields) -> Response:
    from rapport.caseload import record_response
    from rapport.measures.catalog import get_instrument
    from rapport.measures.scoring import score

    _check_target(tx, code, number)
    instrument = get_instrument(form.get("instrument", "")[:64])
    try:
        result = score(instrument, answers_from_form(instrument, form), where="answers")
        # record_response checks everything before it writes, so after a refusal the
        # transaction holds no change and the form can be shown again.
        record_response(tx, code, instrument, result, session=number)
    except RapportInputError as exc:
        if exc.code in _NOT_FOUND:
            raise
        return _form(request, tx, code, number, instrument, error=exc, given=form,
                     status=STATUS_OF_CODE.get(exc.code, 400))
    return RedirectResponse(f"{session_url(code, number)}?scored={instrument.id}#scores",
                            status_code=303)


@router.post(SESSION_PATH + "/responses/{response_id}/entered-in-error")
def mark_entered_in_error(request: Request, code: str, number: int, response_id: int,
                          identity: CurrentIdentity, tx: RecordTx,
                          reason: Annotated[str, Form(max_length=2000)] = "") -> Response:
    from rapport.caseload import mark_response_entered_in_error
    from rapport.store.responses import list_responses
    from rapport.web.pages.sessions import session_response

    _check_target(tx, code, number)
    if not any(r.id == response_id and r.session_number == number
               for r in list_responses(tx, code)):
        raise RapportInputError(f"session {number} has no questionnaire {response_id} "
                                "that counts", where="response",
                                fix="reload the session page", code="not_found")
    try:
        mark_response_entered_in_error(tx, code, response_id, reason=reason)
    except RapportInputError as exc:
        if exc.code in _NOT_FOUND:
            raise
        # Nothing was written: the session page again, the reason at its questionnaires.
        return session_response(request, code, number, identity, tx, score_error=exc,
                                status=STATUS_OF_CODE.get(exc.code, 400))
    return RedirectResponse(f"{session_url(code, number)}?marked={response_id}#scores",
                            status_code=303)
