"""Sign in, sign out, change password.

Login is rate limited per username and per client address: after
``RAPPORT_LOGIN_MAX_FAILURES`` failures within ``RAPPORT_LOGIN_LOCKOUT_MINUTES`` that
username (or address) is locked for the same time, whatever password is tried, and the
answer does not say whether the username exists.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from functools import cache
from typing import Annotated
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.errors import RapportInputError
from rapport.store.logins import (
    clear_failures,
    end_web_session,
    hold_counters,
    locked_until,
    record_failure,
    start_web_session,
)
from rapport.store.tx import Tx
from rapport.store.users import (
    check_login,
    check_new_password,
    hash_password,
    login_name,
    set_password,
    verify_password,
)
from rapport.web.errors import WebError
from rapport.web.identity import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    CurrentIdentity,
    RecordTx,
    SignedIn,
    find_identity,
    get_settings_of,
    get_store,
)
from rapport.web.security import delete_cookie, set_cookie
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)


def password_problem(password: str) -> str | None:
    """The record's password rule (:func:`check_new_password`) as a sentence for a page,
    or None when ``password`` meets it."""
    try:
        check_new_password(password)
    except RapportInputError as exc:
        return f"{exc.what[:1].upper()}{exc.what[1:]}."
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect a user to another host after login."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    # Browsers read "/\evil.example" as "//evil.example" and drop tabs and newlines
    # inside URLs, so neither may pass as a same-site path.
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return "/"
    return target


def _throttle_keys(request: Request, username: str) -> list[str]:
    """The lockout counters a password attempt counts against: the user and the address."""
    address = request.client.host if request.client else "unknown"
    return [f"user:{username[:100]}", f"ip:{address}"]


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _equalise_timing(tx: Tx, username: str, password: str) -> None:
    """Spend one argon2 verification when check_login had nothing to verify (unknown or
    inactive user), so the answer's timing does not tell which usernames exist."""
    from rapport.store.models import User

    if tx.db.scalar(sa.select(User.password_hash).where(User.username == username,
                                                        User.active)) is None:
        verify_password(_decoy_hash(), password)


def _login_page(request: Request, *, error: str | None = None, status: int = 200,
                username: str = "", next_url: str = "/") -> Response:
    token = secrets.token_urlsafe(32)
    response = render(request, "login.html", {"error": error, "login_csrf": token,
                                              "username": username, "next": next_url},
                      status=status)
    set_cookie(response, LOGIN_CSRF_COOKIE, token, secure=request.app.state.secure_cookies,
               max_age=3600)
    return response


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:  # noqa: A002
    if find_identity(request) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, next_url=_safe_next(next))


@router.post("/login")
def login(request: Request, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)],
          csrf_token: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=2000)] = "/") -> Response:  # noqa: A002
    # The login form has no sign-in yet: a double-submit cookie protects it instead.
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        raise WebError(403, "csrf", "the login form expired; reload the page and try again")
    store, settings = get_store(request), get_settings_of(request)
    username = username.strip().lower()
    keys = _throttle_keys(request, username)
    window = dt.timedelta(minutes=settings.login_lockout_minutes)
    with store.transaction(None, interface="web") as tx:
        hold_counters(tx.db, keys)  # one attempt per user and address at a time
        until = locked_until(tx.db, keys)
        if until is not None:
            tx.audit("login-locked", "user", detail=f"user={login_name(tx, username)}")
            minutes = max(1, int((until - dt.datetime.now(dt.UTC)).total_seconds() // 60) + 1)
            return _login_page(request, status=429, username=username, next_url=next,
                               error=f"Too many failed attempts. Try again in {minutes} "
                               "minutes, or ask an admin.")
        actor = check_login(tx, username, password)
        if actor is None:
            _equalise_timing(tx, username, password)
            record_failure(tx.db, keys, max_failures=settings.login_max_failures,
                           window=window)
        else:
            clear_failures(tx.db, keys[0])
            token, _ = start_web_session(tx, actor)
    if actor is None:
        return _login_page(request, status=401, username=username, next_url=next,
                           error="Wrong username or password.")
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_cookie(response, SESSION_COOKIE, token, secure=request.app.state.secure_cookies)
    delete_cookie(response, LOGIN_CSRF_COOKIE, secure=request.app.state.secure_cookies)
    return response


@router.post("/logout")
def logout(request: Request, identity: CurrentIdentity) -> Response:
    if identity.sign_in is not None:
        with get_store(request).transaction(identity.actor.username,
                                            interface="web") as tx:
            end_web_session(tx.db, identity.sign_in.id)
            tx.audit("end", "web-session", detail=f"user={identity.actor.username}")
    response = RedirectResponse("/login", status_code=303)
    delete_cookie(response, SESSION_COOKIE, secure=request.app.state.secure_cookies)
    return response


@router.get("/account/password", dependencies=[SignedIn])
def password_form(request: Request) -> Response:
    return render(request, "password.html", {"done": False})


@router.post("/account/password")
def change_password(request: Request, identity: CurrentIdentity, tx: RecordTx,
                    current: Annotated[str, Form(max_length=1000)],
                    new: Annotated[str, Form(max_length=1000)],
                    repeat: Annotated[str, Form(max_length=1000)]) -> Response:
    from rapport.store.models import User

    # A stolen sign-in must not become a way to guess the password: wrong current
    # passwords count toward the same lockout as failed logins (user and address).
    settings = get_settings_of(request)
    keys = _throttle_keys(request, identity.actor.username)
    hold_counters(tx.db, keys)  # one attempt per user and address at a time
    until = locked_until(tx.db, keys)
    if until is not None:
        tx.audit("password-locked", "user", detail=f"user={identity.actor.username}")
        minutes = max(1, int((until - dt.datetime.now(dt.UTC)).total_seconds() // 60) + 1)
        return render(request, "password.html", {
            "done": False, "error": f"Too many wrong passwords. Try again in {minutes} "
            "minutes, or ask an admin."}, status=429)
    user = tx.db.get(User, identity.actor.id)
    problem = None
    if user is None or not user.password_hash or not verify_password(user.password_hash,
                                                                     current):
        problem = "The current password is wrong."
        tx.audit("password-failed", "user", detail=f"user={identity.actor.username}")
        record_failure(tx.db, keys, max_failures=settings.login_max_failures,
                       window=dt.timedelta(minutes=settings.login_lockout_minutes))
    elif (weak := password_problem(new)) is not None:
        problem = weak
    elif new != repeat:
        problem = "The two new passwords differ."
    if problem:
        return render(request, "password.html", {"done": False, "error": problem},
                      status=400)
    try:
        # Other browsers signed in as this user are signed out and API tokens revoked;
        # this browser stays signed in.
        set_password(tx, identity.actor.username, new,
                     keep_sign_in=identity.sign_in.id if identity.sign_in else None)
    except RapportInputError as exc:  # pragma: no cover - the user exists (signed in)
        raise WebError(400, exc.code, exc.what) from None
    return render(request, "password.html", {"done": True})
