"""Client feedback forms: created by the therapist, filled in by the client without an
account, on their phone (a QR code on the therapist's screen) or on a kiosk tablet.

- ``/clients/{code}/sessions/{number}/feedback``: the therapist chooses questionnaires and
  gets a one-time link and QR code, or arms *this* device as a kiosk (which signs the
  therapist out on it, so the client cannot reach any record from the tablet).
- ``/f/{token}``: the client's form; no identity on it, dies after one submission.
- ``/kiosk``: the locked screen, or the armed form (its token sits in an HttpOnly cookie
  scoped to /kiosk); after submission it locks again.

The token is never logged or audited (``rapport serve`` runs uvicorn without access log).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from rapport.caseload import submit_form
from rapport.caseload.feedback import new_form
from rapport.errors import RapportInputError
from rapport.measures.schema import Instrument
from rapport.store.feedback import (
    CreatedForm,
    OpenForm,
    form_instruments,
    forms_of_session,
    open_form,
)
from rapport.store.logins import end_web_session
from rapport.store.models import utcnow
from rapport.web.identity import (
    SESSION_COOKIE,
    CurrentIdentity,
    RecordTx,
    get_settings_of,
    get_store,
)
from rapport.web.public_url import public_base
from rapport.web.security import delete_cookie
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)

KIOSK_COOKIE = "rapport_kiosk"
KIOSK_PATH = "/kiosk"
#: The most characters a token can have (token_urlsafe(32) has 43): longer is not ours.
TOKEN_MAX = 64


@dataclass
class Problems:
    """Unanswered or invalid questions, by field name, for the error summary."""

    by_field: dict[str, str] = field(default_factory=dict)


def field_name(instrument: Instrument, item_id: str) -> str:
    return f"{instrument.id}.{item_id}"


def client_title(instrument: Instrument) -> str:
    """The questionnaire's heading for the client ("not validated" is the therapist's
    concern, not a label to show someone answering it)."""
    return instrument.short_name if instrument.validated else "Today's session"


def read_answers(form: OpenForm, data: Mapping[str, str]
                 ) -> tuple[dict[str, dict[str, float | None]], Problems]:
    """The answers in the posted form, and what is missing or not an offered option.

    A risk item (PHQ-9 item 9) may be left blank: the form is stored, and the blank raises
    an urgent "not answered - ask directly" flag for the therapist. Refusing the whole form
    would lose the other answers and tell the therapist nothing."""
    answers: dict[str, dict[str, float | None]] = {}
    problems = Problems()
    for instrument in form.instruments:
        offered = {str(o.value): float(o.value) for o in instrument.options}
        answers[instrument.id] = {}
        for number, item in enumerate(instrument.items, 1):
            name = field_name(instrument, item.id)
            raw = data.get(name, "")
            if raw in offered:
                answers[instrument.id][item.id] = offered[raw]
            elif item.risk_item and not raw:
                answers[instrument.id][item.id] = None
            else:
                answers[instrument.id][item.id] = None
                problems.by_field[name] = (f"Question {number} of “{client_title(instrument)}” "
                                           "needs an answer.")
    return answers, problems


async def posted_form(request: Request) -> FormData:
    """The posted fields, read before the (synchronous) handler runs in a thread."""
    return await request.form(max_fields=200, max_files=0)


Posted = Annotated[FormData, Depends(posted_form)]
#: The ticked questionnaires (none ticked is answered on the page, not with a 422).
Chosen = Annotated[list[str], Form(default_factory=list, max_length=10)]


def _text_fields(data: FormData) -> dict[str, str]:
    return {k: v for k, v in data.items() if isinstance(v, str)}


def _gone_page(request: Request, exc: RapportInputError) -> Response:
    """The client's page for a form that cannot take answers: fixed sentences only, since
    a record's message can name the client code, which client pages never show."""
    if exc.code == "gone":  # the store's fixed sentences: used, expired, no longer valid
        status, message = 410, exc.what
    elif exc.code == "not_found":
        status, message = 404, "no such feedback form"
    else:
        status, message = 409, "your answers could not be stored"
    return render(request, "feedback_gone.html", {"status": status, "message": message},
                  status=status)


def _form_page(request: Request, form: OpenForm, action: str, *, status: int = 200,
               problems: Problems | None = None, chosen: Mapping[str, str] | None = None
               ) -> Response:
    return render(request, "feedback_form.html", {
        "form": form, "action": action, "problems": problems or Problems(),
        "chosen": chosen or {}, "field_name": field_name,
        "client_title": client_title}, status=status)


# -- the therapist's side -----------------------------------------------------------------
def _session_page(request: Request, tx: RecordTx, code: str, number: int, *,
                  error: str | None = None, status: int = 200) -> Response:
    from rapport.caseload import client_flags
    from rapport.web.pages.sessions import require_session

    require_session(tx, code, number)  # 404 like every page of a session that is not there
    forms = forms_of_session(tx, code, number)
    flags, _ = client_flags(tx, code)
    return render(request, "feedback_new.html", {
        "open_flags": [f for f in flags if f.is_open],
        "code": code, "number": number, "instruments": form_instruments(), "forms": forms,
        "now": utcnow(), "error": error,
        "minutes": get_settings_of(request).feedback_form_minutes}, status=status)


@router.get("/clients/{code}/sessions/{number}/feedback")
def new_feedback_form(request: Request, tx: RecordTx, code: str, number: int) -> Response:
    return _session_page(request, tx, code, number)


@router.post("/clients/{code}/sessions/{number}/feedback")
def create_feedback_form(request: Request, identity: CurrentIdentity, tx: RecordTx,
                         code: str, number: int, instruments: Chosen,
                         delivery: Annotated[Literal["link", "kiosk"], Form()] = "link"
                         ) -> Response:
    if delivery == "kiosk" and identity.sign_in is None:
        raise RapportInputError("a kiosk is armed from a signed-in browser",
                                where="delivery", fix="sign in on the tablet itself",
                                code="bad_input")
    minutes = get_settings_of(request).feedback_form_minutes
    try:
        created = new_form(tx, code, number, instruments, minutes=minutes,
                           kiosk=delivery == "kiosk")
    except RapportInputError as exc:
        if exc.code not in ("bad_input", "duplicate"):
            raise  # not found / not yours: the one 404 answer
        return _session_page(request, tx, code, number, error=exc.what, status=400)
    if delivery == "kiosk":
        return _arm_kiosk(request, identity, tx, created)
    return _show_link(request, code, number, created)


def _show_link(request: Request, code: str, number: int, created: CreatedForm) -> Response:
    import segno

    base = public_base(request, get_settings_of(request))
    url = f"{base.url}/f/{created.token}"
    qr = segno.make(url, error="m")
    return render(request, "feedback_created.html", {
        "code": code, "number": number, "url": url, "created": created,
        "unreachable": base.warning,
        "qr": qr.svg_data_uri(scale=6, border=4, dark="#000000", light="#ffffff")},
        status=201)


def _arm_kiosk(request: Request, identity: CurrentIdentity, tx: RecordTx,
               created: CreatedForm) -> Response:
    """Sign the therapist out on this device and leave only the form behind."""
    assert identity.sign_in is not None
    end_web_session(tx.db, identity.sign_in.id)
    tx.audit("end", "web-session", detail=f"user={identity.actor.username} kiosk-armed "
             f"feedback-form={created.id}")
    secure = request.app.state.secure_cookies
    response = RedirectResponse(KIOSK_PATH, status_code=303)
    delete_cookie(response, SESSION_COOKIE, secure=secure)
    seconds = int((created.expires_at - utcnow()).total_seconds())
    response.set_cookie(KIOSK_COOKIE, created.token, max_age=max(seconds, 1),
                        path=KIOSK_PATH, secure=secure, httponly=True, samesite="strict")
    return response


# -- the client's side (no account) -------------------------------------------------------
def _open(request: Request, token: str) -> OpenForm:
    if not token or len(token) > TOKEN_MAX:
        raise RapportInputError("no such feedback form", where="feedback form",
                                code="not_found")
    with get_store(request).transaction(None, interface="web") as tx:
        return open_form(tx.db, token)


def _submit(request: Request, token: str, data: FormData, action: str
            ) -> tuple[Response | None, bool]:
    """Store the answers: (None, safety flag) when stored, or (the form page again with
    the problems, False). Raises "gone"/"not found" when the form is dead."""
    form = _open(request, token)
    chosen = _text_fields(data)
    answers, problems = read_answers(form, chosen)
    if problems.by_field:
        return _form_page(request, form, action, status=400, problems=problems,
                          chosen=chosen), False
    with get_store(request).transaction(None, interface="web") as tx:
        submitted = submit_form(tx, token, answers)
    return None, submitted.has_risk_answer


@router.get("/f/{token}")
def client_form(request: Request, token: str) -> Response:
    try:
        form = _open(request, token)
    except RapportInputError as exc:
        return _gone_page(request, exc)
    return _form_page(request, form, f"/f/{token}")


@router.post("/f/{token}")
def submit_client_form(request: Request, token: str, data: Posted) -> Response:
    try:
        page, flagged = _submit(request, token, data, f"/f/{token}")
    except RapportInputError as exc:
        return _gone_page(request, exc)
    if page is not None:
        return page
    return RedirectResponse("/feedback/thanks" + ("?talk=1" if flagged else ""),
                            status_code=303)


@router.get("/feedback/thanks")
def thanks(request: Request, talk: int = 0) -> Response:
    return render(request, "feedback_thanks.html", {"talk": bool(talk)})


@router.get("/kiosk")
def kiosk(request: Request, sent: int = 0, talk: int = 0, expired: int = 0) -> Response:
    token = request.cookies.get(KIOSK_COOKIE, "")
    if token:
        try:
            return _form_page(request, _open(request, token), KIOSK_PATH)
        except RapportInputError:
            pass  # expired or answered elsewhere: lock the screen
    response = render(request, "kiosk_locked.html", {"sent": bool(sent), "talk": bool(talk),
                                                     "expired": bool(expired)})
    if token:
        response.delete_cookie(KIOSK_COOKIE, path=KIOSK_PATH,
                               secure=request.app.state.secure_cookies, httponly=True,
                               samesite="strict")
    return response


@router.post("/kiosk")
def submit_kiosk(request: Request, data: Posted) -> Response:
    token = request.cookies.get(KIOSK_COOKIE, "")
    try:
        page, flagged = _submit(request, token, data, KIOSK_PATH)
    except RapportInputError as exc:
        if exc.code not in ("gone", "not_found"):
            return _gone_page(request, exc)  # never the record's message: it may name a code
        page, target = None, f"{KIOSK_PATH}?expired=1"  # nothing stored: say so
    else:
        target = f"{KIOSK_PATH}?sent=1" + ("&talk=1" if flagged else "")
    if page is not None:
        return page
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(KIOSK_COOKIE, path=KIOSK_PATH,
                           secure=request.app.state.secure_cookies, httponly=True,
                           samesite="strict")
    return response
