"""Jinja2 pages: autoescaped, with the signed-in user, CSRF token and CSP nonce in reach.

Every template extends ``base.html``. Forms include ``{{ csrf_field() }}``; inline scripts
carry ``nonce="{{ csp_nonce }}"`` (the Content-Security-Policy allows no other inline
script). Colours come from the report's colour-blind-safe palette.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from markupsafe import Markup, escape

from rapport import __version__
from rapport.report.html import template_env


@cache
def environment() -> Environment:
    env = template_env("rapport.web")
    # Pages show scores with one decimal unless a template asks for more.
    env.filters["num"] = lambda v, d=1: "—" if v is None else f"{v:.{d}f}"
    env.globals["version"] = __version__
    return env


def page_context(request: Request) -> dict[str, Any]:
    """What every page may use: the identity (or None), CSRF helpers, the CSP nonce."""
    from rapport.web.identity import CSRF_FIELD

    identity = getattr(request.state, "identity", None)
    csrf = identity.csrf_token if identity is not None else ""

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD,
                                                                          escape(csrf))

    return {"request": request, "identity": identity,
            "user": identity.actor if identity else None, "csrf_token": csrf,
            "csrf_field": csrf_field, "csp_nonce": getattr(request.state, "csp_nonce", "")}


def render(request: Request, template: str, values: dict[str, Any] | None = None, *,
           status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    context = page_context(request) | (values or {})
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=headers)
