"""One error shape for the API, ``{"ok": false, "error", "code", "status"}``, and pages.

Anything a user may not see answers exactly like something that does not exist (404), so
ids and client codes cannot be probed; "forbidden" never reaches the wire.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Receive, Scope, Send

from rapport.errors import RapportInputError

log = logging.getLogger("rapport.web")

#: RapportInputError codes -> HTTP statuses; any other code is a 400.
STATUS_OF_CODE = {
    "not_found": 404, "forbidden": 404, "unknown_user": 404,
    "no_user": 401, "unauthenticated": 401,
    "csrf": 403, "locked": 429, "throttled": 429,
    "duplicate": 409, "conflict": 409, "open_flag": 409, "not_empty": 409,
    "analysis_exists": 409, "date_mismatch": 409,
    "too_large": 413, "invalid_request": 422,
}

#: The ``code`` for an HTTP status raised by the framework itself.
CODE_OF_STATUS = {400: "bad_input", 401: "unauthenticated", 403: "csrf", 404: "not_found",
                  405: "method_not_allowed", 409: "conflict", 413: "too_large",
                  422: "invalid_request", 429: "locked", 500: "internal"}


class ErrorBody(BaseModel):
    """The error shape of every API answer that is not a success."""

    ok: bool = False
    error: str
    code: str
    status: int


class WebError(Exception):
    """An error raised by the web layer itself (not by the record)."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


class LoginRequiredError(Exception):
    """A page needs a signed-in user: answered with a redirect to the login page."""


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> Response:
    if is_api(request):
        body = ErrorBody(error=message, code=code, status=status)
        return JSONResponse(body.model_dump(), status_code=status, headers=headers)
    from rapport.web.templating import render

    return render(request, "error.html", {"status": status, "code": code,
                                          "message": message}, status=status,
                  headers=headers)


def _message(exc: RapportInputError) -> str:
    return f"{exc.where}: {exc.what}" if exc.where else exc.what


def log_crash(exc: BaseException, scope: Scope) -> None:
    """Log a crash by exception type, method and path only: messages and tracebacks can
    quote client text (a transcript line in a parse error, a name in a constraint)."""
    if scope.get(LOGGED):
        return
    scope[LOGGED] = True
    log.error("unhandled %s on %s %s", type(exc).__name__, scope.get("method", "-"),
              scope.get("path", "-"))


#: Set on a request's scope once its crash is logged (Starlette re-raises after answering).
LOGGED = "rapport.crash_logged"


class TypeOnlyCrashes(FastAPI):
    """The app, catching what Starlette re-raises after its 500 answer.

    Starlette's outermost middleware always re-raises a crash "so that servers can log it",
    and uvicorn then logs the full traceback with the exception's message. Here it ends:
    the answer (500) has been sent, and the crash is logged once, by type only.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Exception as exc:  # every crash: answered already, logged by type only
            log_crash(exc, scope)


def install_error_handlers(app: FastAPI) -> None:
    async def input_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RapportInputError)
        status = STATUS_OF_CODE.get(exc.code, 400)
        if exc.code == "forbidden":  # never say "it exists but is not yours"
            return error_response(request, 404, "not_found", "not found")
        message = _message(exc) + (f" ({exc.fix})" if exc.fix and status < 500 else "")
        return error_response(request, status, exc.code, message)

    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        return error_response(request, exc.status, exc.code, exc.message, exc.headers)

    async def login_required(request: Request, _exc: Exception) -> Response:
        from urllib.parse import quote

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first: dict[str, Any] = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()))
        return error_response(request, 422, "invalid_request",
                              f"{where}: {first.get('msg', 'invalid request')}")

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = CODE_OF_STATUS.get(exc.status_code, "error")
        message = "not found" if exc.status_code == 404 else str(exc.detail)
        return error_response(request, exc.status_code, code, message,
                              dict(exc.headers or {}))

    async def unstorable(request: Request, exc: Exception) -> Response:
        # A NUL character (PostgreSQL refuses it) or an integer beyond 64 bits (both
        # backends) in a path, query or body value: it cannot name anything in the record
        # nor be stored in it. SQLite's overflow is a bare OverflowError, so any other
        # OverflowError is still a server error.
        if isinstance(exc, OverflowError) and "SQLite" not in str(exc):
            return await server_error(request, exc)
        return error_response(request, 422, "invalid_request", "a value holds a character "
                              "or number the record cannot store (a NUL character, or an "
                              "integer beyond 64 bits)")

    async def server_error(request: Request, exc: Exception) -> Response:
        log_crash(exc, request.scope)
        return error_response(request, 500, "internal", "internal error; see the server log")

    app.add_exception_handler(RapportInputError, input_error)
    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(LoginRequiredError, login_required)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, unstorable)
    app.add_exception_handler(OverflowError, unstorable)
    app.add_exception_handler(Exception, server_error)
