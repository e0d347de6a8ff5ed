"""Admin: users, passwords, supervision links and the retention period. No client content.

Forms post, then redirect back (POST-redirect-GET). A rejected form is shown again with
the reason and nothing stored: each write runs in its own transaction, which an input
error rolls back whole.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.errors import RapportInputError
from rapport.store.permissions import UserRole
from rapport.store.retention import get_retention_days, set_retention_days
from rapport.store.supervision_links import list_supervision_links
from rapport.store.users import (
    MIN_PASSWORD,
    add_user,
    link_supervision,
    list_users,
    parse_role,
    set_active,
    set_password,
    unlink_supervision,
)
from rapport.web.identity import CurrentIdentity, get_store, require_roles
from rapport.web.pages.account import password_problem
from rapport.web.templating import render

router = APIRouter(include_in_schema=False,
                   dependencies=[require_roles(UserRole.ADMIN)])

#: ``?done=`` -> the confirmation shown after a redirect (fixed texts; nothing reflected).
DONE = {"user": "User added.", "supervision": "Supervision link saved.",
        "unlink": "Supervision ended: the supervisor no longer sees that person's clients.",
        "password": "Password set. That user's sign-ins and API tokens have ended.",
        "retention": "Retention period saved.", "active": "Sign-in rights changed."}
Text = Annotated[str, Form(max_length=1000)]


def _page(request: Request, identity: CurrentIdentity, *, error: str | None = None,
          form: str | None = None, values: dict[str, Any] | None = None,
          done: str | None = None) -> Response:
    with get_store(request).transaction(identity.actor.username,
                                        interface=identity.interface) as tx:
        context = {"users": list_users(tx), "links": list_supervision_links(tx),
                   "retention_days": get_retention_days(tx)}
    return render(request, "admin.html", context | {
        "roles": [r.value for r in UserRole], "min_password": MIN_PASSWORD,
        "error": error, "form": form,
        "values": values or {}, "done": DONE.get(done or "")},
        status=400 if error else 200)


def _attempt(request: Request, identity: CurrentIdentity, form: str,
             values: dict[str, Any], write: Any) -> Response:
    """Run ``write(tx)`` in its own transaction; on bad input show the form again."""
    try:
        with get_store(request).transaction(identity.actor.username,
                                            interface=identity.interface) as tx:
            write(tx)
    except RapportInputError as exc:
        message = f"{exc.what}. {exc.fix}" if exc.fix else exc.what
        return _page(request, identity, error=message, form=form, values=values)
    return RedirectResponse(f"/admin?done={form}", status_code=303)


def _problem(request: Request, identity: CurrentIdentity, form: str, message: str,
             values: dict[str, Any]) -> Response:
    return _page(request, identity, error=message, form=form, values=values)


@router.get("/admin")
def admin(request: Request, identity: CurrentIdentity, done: str | None = None) -> Response:
    return _page(request, identity, done=done)


@router.post("/admin/users")
def new_user(request: Request, identity: CurrentIdentity, username: Text = "",
             role: Text = "", display_name: Text = "", password: Text = "",
             repeat: Text = "") -> Response:
    values = {"username": username, "role": role, "display_name": display_name}
    username = username.strip().lower()
    if (weak := password_problem(password)) is not None:
        return _problem(request, identity, "user", weak, values)
    if password != repeat:
        return _problem(request, identity, "user", "The two passwords differ.", values)
    return _attempt(request, identity, "user", values, lambda tx: add_user(
        tx, username, parse_role(role), display_name=display_name.strip(),
        password=password))


@router.post("/admin/supervision")
def new_link(request: Request, identity: CurrentIdentity, supervisor: Text = "",
             supervisee: Text = "", identity_granted: Text = "") -> Response:
    granted = identity_granted in {"on", "yes", "true", "1"}
    values = {"supervisor": supervisor, "supervisee": supervisee, "identity_granted": granted}
    if not supervisor or not supervisee:
        return _problem(request, identity, "supervision",
                        "Choose both a supervisor and a supervisee.", values)
    return _attempt(request, identity, "supervision", values, lambda tx: link_supervision(
        tx, supervisor, supervisee, identity_granted=granted))


@router.post("/admin/supervision/end")
def end_link(request: Request, identity: CurrentIdentity, supervisor: Text = "",
             supervisee: Text = "") -> Response:
    """End a supervision: the supervisor loses sight of the supervisee's clients at once."""
    return _attempt(request, identity, "unlink", {}, lambda tx: unlink_supervision(
        tx, supervisor, supervisee))


@router.post("/admin/password")
def new_password(request: Request, identity: CurrentIdentity, username: Text = "",
                 password: Text = "", repeat: Text = "") -> Response:
    """Set another user's password (a forgotten one); their sign-ins and tokens end."""
    values = {"username": username}
    if not username:
        return _problem(request, identity, "password", "Choose a user.", values)
    if username == identity.actor.username:  # keep the current-password check for one's own
        return _problem(request, identity, "password", "Change your own password on the "
                        "Change password page.", values)
    if (weak := password_problem(password)) is not None:
        return _problem(request, identity, "password", weak, values)
    if password != repeat:
        return _problem(request, identity, "password", "The two passwords differ.", values)
    return _attempt(request, identity, "password", values, lambda tx: set_password(
        tx, username, password))


@router.post("/admin/retention")
def retention(request: Request, identity: CurrentIdentity, days: Text = "") -> Response:
    values = {"days": days}
    if not days.strip().isdigit():
        return _problem(request, identity, "retention",
                        "Give the retention period as a whole number of days.", values)
    return _attempt(request, identity, "retention", values,
                    lambda tx: set_retention_days(tx, int(days.strip())))


@router.post("/admin/users/{username}/active")
def activation(request: Request, identity: CurrentIdentity, username: str,
               active: Text = "") -> Response:
    """Deactivate (sign-ins and API tokens stop at once) or reactivate a user."""
    return _attempt(request, identity, "active", {}, lambda tx: set_active(
        tx, username, active == "yes"))
