"""Users and supervision links. Only an admin manages users; the first admin bootstraps.

>>> # rapport users add ada --admin            (first admin, on an empty record)
>>> # rapport users add tom --role therapist --as ada

Every password set here, from the CLI, the API or a page, meets one rule
(:func:`check_new_password`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.models import ApiToken, FeedbackForm, Supervision, User, WebSession, utcnow
from rapport.store.permissions import Actor, UserRole, require_role
from rapport.store.tx import Tx

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")

#: The shortest password anyone may set, on every path (CLI, API, pages).
MIN_PASSWORD = 10


@dataclass(frozen=True)
class UserView:
    """What may be shown about a user: never the password hash."""

    username: str
    role: str
    display_name: str
    active: bool
    created_at: dt.datetime


def hash_password(password: str) -> str:
    """An argon2id hash (argon2-cffi, in the ``web`` extra)."""
    try:
        from argon2 import PasswordHasher
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise RapportInputError("passwords need the web extra", where="--password",
                                fix="pip install 'rapportkit[web]'",
                                code="missing_extra") from None
    return str(PasswordHasher().hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError

    try:
        return bool(PasswordHasher().verify(password_hash, password))
    except VerificationError:
        return False


def check_new_password(password: str) -> None:
    """Refuse a password shorter than MIN_PASSWORD characters or made only of whitespace
    (``weak_password``), whichever face sets it.

    >>> check_new_password("correct horse battery")  # passes; " " * 12 would not
    """
    if len(password) < MIN_PASSWORD or not password.strip():
        raise RapportInputError(f"the password needs at least {MIN_PASSWORD} characters, "
                                "not only spaces", where="password",
                                fix="choose a longer password (a few words work well)",
                                code="weak_password")


def _check_password(tx: Tx, password: str) -> None:
    # Rapport's own setup (interface "system": the demo record, whose passwords are
    # printed in the docs) is exempt; every person's path (cli, web, api) is not.
    if tx.interface != "system":
        check_new_password(password)


def parse_role(text: str) -> UserRole:
    try:
        return UserRole(text)
    except ValueError:
        raise RapportInputError(f"unknown role {text!r}", where="--role",
                                fix="use one of: " + ", ".join(r.value for r in UserRole),
                                code="bad_role") from None


def add_user(tx: Tx, username: str, role: UserRole, *, display_name: str = "",
             password: str | None = None) -> UserView:
    """Create a user. With no admin in the record yet, only an admin may be created,
    by anyone (that is how a fresh record gets its first admin); later, admins only.
    Without a ``password`` the user cannot sign in to the web app; a password given
    (even empty) must meet :func:`check_new_password`."""
    has_admin = tx.db.scalar(sa.select(sa.func.count()).select_from(User).where(
        User.role == UserRole.ADMIN.value)) or 0
    if has_admin:
        require_role(tx.me(), UserRole.ADMIN, doing="adding users")
    elif role is not UserRole.ADMIN:
        raise RapportInputError("the record has no admin yet", where="rapport users add",
                                fix="create the first admin: `rapport users add NAME --admin`",
                                code="no_admin")
    if not _USERNAME.match(username):
        raise RapportInputError(f"invalid username {username!r}", where="username",
                                fix="2-64 characters: lower-case letters, digits, . _ -, "
                                "starting with a letter", code="bad_username")
    if tx.db.scalar(sa.select(User.id).where(User.username == username)) is not None:
        raise RapportInputError(f"user {username!r} already exists", where="username",
                                fix="choose another username", code="duplicate")
    if password is not None:
        _check_password(tx, password)
    user = User(username=username, role=role.value, display_name=display_name,
                password_hash=hash_password(password) if password is not None else None)
    tx.db.add(user)
    tx.db.flush()
    tx.audit("create", "user", detail=f"user={username} role={role.value}")
    return _view(user)


def list_users(tx: Tx) -> list[UserView]:
    """Everyone, for admins; yourself and your supervision partners for others."""
    me = tx.me()
    query = sa.select(User).order_by(User.username)
    if me.role is not UserRole.ADMIN:
        partners = sa.select(Supervision.supervisee_id).where(
            Supervision.supervisor_id == me.id).union(
            sa.select(Supervision.supervisor_id).where(Supervision.supervisee_id == me.id))
        query = query.where(sa.or_(User.id == me.id, User.id.in_(partners)))
    return [_view(u) for u in tx.db.scalars(query)]


def set_password(tx: Tx, username: str, password: str, *,
                 keep_sign_in: int | None = None) -> None:
    """Admins set anyone's password; everyone may set their own. Every API token of the
    user is revoked and every browser sign-in ended, except ``keep_sign_in`` (the browser
    that changed it): whoever knew the old password may have made them. The password
    must meet :func:`check_new_password`."""
    me = tx.me()
    if me.username != username:
        require_role(me, UserRole.ADMIN, doing="setting another user's password")
    user = _get(tx, username)
    _check_password(tx, password)
    user.password_hash = hash_password(password)
    tx.audit("update", "user", detail=f"password of {username}")
    _end_access(tx, user, keep_sign_in=keep_sign_in)


def set_active(tx: Tx, username: str, active: bool) -> None:
    """Deactivate (or reactivate) a user (admins only). A deactivated user cannot sign in,
    their browser sign-ins and API tokens end at once and their open feedback forms close;
    their records stay. Reactivation revives none of them: the user signs in afresh and
    makes new tokens and forms."""
    me = tx.me()
    require_role(me, UserRole.ADMIN, doing="changing users")
    user = _get(tx, username)
    if user.id == me.id and not active:
        raise RapportInputError("you cannot deactivate yourself", where="username",
                                fix="ask another admin", code="bad_input")
    user.active = active
    tx.audit("activate" if active else "deactivate", "user", detail=f"user={username}")
    # On reactivation too: a record deactivated before these were ended keeps none alive.
    _end_access(tx, user, close_forms=True)


def _end_access(tx: Tx, user: User, *, keep_sign_in: int | None = None,
                close_forms: bool = False) -> None:
    """Revoke ``user``'s API tokens, end their sign-ins (but ``keep_sign_in``) and, with
    ``close_forms``, close the feedback forms they made that are still open."""
    now = utcnow()
    revoked = tx.db.execute(sa.update(ApiToken).where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    ended = sa.update(WebSession).where(WebSession.user_id == user.id,
                                        WebSession.ended_at.is_(None))
    if keep_sign_in is not None:
        ended = ended.where(WebSession.id != keep_sign_in)
    tx.db.execute(ended.values(ended_at=now).execution_options(synchronize_session=False))
    detail = f"user={user.username} tokens={getattr(revoked, 'rowcount', 0)}"
    if close_forms:
        closed = tx.db.execute(sa.update(FeedbackForm).where(
            FeedbackForm.created_by == user.id, FeedbackForm.used_at.is_(None),
            FeedbackForm.expires_at > now).values(expires_at=now)
            .execution_options(synchronize_session=False))
        detail += f" feedback-forms={getattr(closed, 'rowcount', 0)}"
    tx.audit("revoke", "access", detail=detail)


#: What the audit log says for a sign-in name that is nobody's.
NO_SUCH_USER = "(no such user)"


def login_name(tx: Tx, username: str) -> str:
    """``username`` as the audit log may keep it: a user's name, or :data:`NO_SUCH_USER`.
    What was typed into the name box is kept only when it names someone: a password
    typed there by mistake must not stay in an append-only log for ever."""
    known = tx.db.scalar(sa.select(User.id).where(User.username == username))
    return username[:64] if known is not None else NO_SUCH_USER


def check_login(tx: Tx, username: str, password: str) -> Actor | None:
    """The user if ``password`` is theirs and they are active, else None (for the web app).

    Both outcomes are audited (the name only when it is a user's, :func:`login_name`); a
    wrong name and a wrong password look the same to the person signing in.
    """
    user = tx.db.scalar(sa.select(User).where(User.username == username, User.active))
    ok = bool(user and user.password_hash and verify_password(user.password_hash, password))
    tx.audit("login" if ok else "login-failed", "user",
             detail=f"user={login_name(tx, username)}")
    if not ok or user is None:
        return None
    return Actor(id=user.id, username=user.username, role=UserRole(user.role))


def link_supervision(tx: Tx, supervisor: str, supervisee: str, *,
                     identity_granted: bool = False) -> None:
    """Let ``supervisor`` review ``supervisee``'s clients and practice (admins only); a
    trainee supervisee has practice only."""
    require_role(tx.me(), UserRole.ADMIN, doing="linking supervision")
    sup, sue = _get(tx, supervisor), _get(tx, supervisee)
    if sup.role != UserRole.SUPERVISOR.value:
        raise RapportInputError(f"{supervisor} is not a supervisor", where="--supervisor",
                                fix="give the supervisor role to that user first",
                                code="bad_role")
    if sue.role not in (UserRole.THERAPIST.value, UserRole.TRAINEE.value):
        raise RapportInputError(f"{supervisee} is not a therapist or trainee",
                                where="supervisee",
                                fix="only therapists and trainees are supervised",
                                code="bad_role")
    link = tx.db.scalar(sa.select(Supervision).where(Supervision.supervisor_id == sup.id,
                                                     Supervision.supervisee_id == sue.id))
    if link is None:
        tx.db.add(Supervision(supervisor_id=sup.id, supervisee_id=sue.id,
                              identity_granted=identity_granted))
    else:
        link.identity_granted = identity_granted
    tx.audit("update", "supervision", detail=f"{supervisor} supervises {supervisee} "
             f"identity={'yes' if identity_granted else 'no'}")


def unlink_supervision(tx: Tx, supervisor: str, supervisee: str) -> None:
    """End ``supervisor``'s supervision of ``supervisee`` (admins only): from the next
    request on, the supervisor reads none of the supervisee's clients or practice."""
    require_role(tx.me(), UserRole.ADMIN, doing="ending supervision")
    sup, sue = _get(tx, supervisor), _get(tx, supervisee)
    removed = tx.db.execute(sa.delete(Supervision).where(
        Supervision.supervisor_id == sup.id, Supervision.supervisee_id == sue.id)
        .execution_options(synchronize_session=False))
    if not getattr(removed, "rowcount", 0):
        raise RapportInputError(f"{supervisor} does not supervise {supervisee}",
                                where="supervisee", fix="see the supervision links on the "
                                "admin page", code="not_found")
    tx.audit("delete", "supervision", detail=f"{supervisor} no longer supervises {supervisee}")


def _get(tx: Tx, username: str) -> User:
    user = tx.db.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise RapportInputError(f"no user named {username!r}", where="username",
                                fix="see `rapport users list`", code="not_found")
    return user


def _view(user: User) -> UserView:
    return UserView(username=user.username, role=user.role, display_name=user.display_name,
                    active=user.active, created_at=user.created_at)
