"""Who is asking: a browser sign-in (cookie) or a script (``Authorization: Bearer``).

Browsers carry the session cookie ``rapport_session`` (Secure, HttpOnly, SameSite=Strict)
and must echo the sign-in's CSRF token on every state-changing request, as the form field
``csrf_token`` or the ``X-CSRF-Token`` header. API tokens are not sent automatically by a
browser, so requests made with them need no CSRF token.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request, params

from rapport.settings import Settings
from rapport.store.database import Store
from rapport.store.logins import SignIn, actor_for_api_token, resume_web_session
from rapport.store.permissions import Actor, UserRole
from rapport.store.tx import Tx
from rapport.web.errors import LoginRequiredError, WebError, is_api

SESSION_COOKIE = "rapport_session"
LOGIN_CSRF_COOKIE = "rapport_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class Identity:
    actor: Actor
    via: Literal["cookie", "token"]
    sign_in: SignIn | None = None

    @property
    def csrf_token(self) -> str:
        return self.sign_in.csrf_token if self.sign_in else ""

    @property
    def interface(self) -> str:
        return "api" if self.via == "token" else "web"


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def find_identity(request: Request) -> Identity | None:
    """The identity behind the request, or None; cached on the request."""
    if hasattr(request.state, "identity"):
        cached: Identity | None = request.state.identity
        return cached
    store, settings = get_store(request), get_settings_of(request)
    identity: Identity | None = None
    token = _bearer(request)
    # The schema was checked when the app started (create_app); not again per request.
    # Read without waiting for a writer (an upload being stored, a long write elsewhere).
    with store.reading(interface="api" if token else "web") as tx:
        if token is not None:
            actor = actor_for_api_token(tx.db, token)
            identity = Identity(actor, "token") if actor else None
        elif cookie := request.cookies.get(SESSION_COOKIE):
            sign_in = resume_web_session(
                tx.db, cookie, idle=dt.timedelta(minutes=settings.web_idle_minutes),
                absolute=dt.timedelta(hours=settings.web_absolute_hours))
            identity = Identity(sign_in.actor, "cookie", sign_in) if sign_in else None
    request.state.identity = identity
    return identity


async def _check_csrf(request: Request, identity: Identity) -> None:
    if identity.via != "cookie" or request.method not in UNSAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    if given is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not given or not hmac.compare_digest(given.encode(), identity.csrf_token.encode()):
        raise WebError(403, "csrf", "missing or invalid CSRF token; reload the page and "
                       "try again")


def resolved_identity(request: Request) -> Identity | None:
    # A plain (sync) dependency, so FastAPI runs it in a worker thread: it waits for the
    # database, and must never block the event loop that other requests need to finish.
    return find_identity(request)


async def require_identity(
        request: Request,
        identity: Annotated[Identity | None, Depends(resolved_identity)]) -> Identity:
    """A signed-in user: 401 for the API, a redirect to the login page for pages."""
    if identity is None:
        if is_api(request):
            raise WebError(401, "unauthenticated", "sign in or send an API token "
                           "(Authorization: Bearer ...)",
                           headers={"WWW-Authenticate": "Bearer"})
        raise LoginRequiredError
    await _check_csrf(request, identity)
    return identity


CurrentIdentity = Annotated[Identity, Depends(require_identity)]
#: For routes that need a signed-in user but not the identity itself.
SignedIn = Depends(require_identity)


def require_roles(*roles: UserRole) -> params.Depends:
    """A dependency admitting only ``roles``; anyone else gets "not found"."""

    async def check(identity: CurrentIdentity) -> Identity:
        if identity.actor.role not in roles:
            raise WebError(404, "not_found", "not found")
        return identity

    return params.Depends(check)


def transaction(request: Request, identity: CurrentIdentity) -> Iterator[Tx]:
    """One record transaction as the signed-in user (commits when the handler returns)."""
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface,
                                        check_schema=False) as tx:
        yield tx


# scope="function": commit (or roll back) before the response is sent, so a client that
# got a 2xx can rely on the write, and a failed commit is an error answer.
RecordTx = Annotated[Tx, Depends(transaction, scope="function")]
