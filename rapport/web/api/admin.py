"""Users, supervision links and the audit log (admins; the audit log also for everyone's
own entries)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query
from pydantic import BaseModel, Field

from rapport.store.audit import AuditView, query_audit
from rapport.store.users import (
    MIN_PASSWORD,
    UserView,
    add_user,
    link_supervision,
    list_users,
    parse_role,
    set_active,
    unlink_supervision,
)
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import RecordTx

router = api_router("admin")


class NewUser(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    role: str = Field(max_length=16)
    display_name: str = Field(default="", max_length=200)
    password: str = Field(min_length=MIN_PASSWORD, max_length=1000)  # and not only spaces


class NewSupervision(BaseModel):
    supervisor: str = Field(min_length=2, max_length=64)
    supervisee: str = Field(min_length=2, max_length=64)
    identity_granted: bool = False


@router.get("/users")
def users(tx: RecordTx) -> Ok[list[UserView]]:
    """Everyone for admins; yourself and your supervision partners for others."""
    return Ok(data=list_users(tx))


@router.post("/users", status_code=201)
def new_user(body: NewUser, tx: RecordTx) -> Ok[UserView]:
    return Ok(data=add_user(tx, body.username, parse_role(body.role),
                            display_name=body.display_name, password=body.password))


class Activation(BaseModel):
    active: bool


@router.put("/users/{username}/active")
def activation(username: str, body: Activation, tx: RecordTx) -> Ok[None]:
    """Deactivate or reactivate a user (admins); sign-ins and tokens end at once."""
    set_active(tx, username, body.active)
    return Ok(data=None)


@router.post("/supervision", status_code=201)
def supervision(body: NewSupervision, tx: RecordTx) -> Ok[None]:
    link_supervision(tx, body.supervisor, body.supervisee,
                     identity_granted=body.identity_granted)
    return Ok(data=None)


@router.delete("/supervision/{supervisor}/{supervisee}")
def end_supervision(supervisor: str, supervisee: str, tx: RecordTx) -> Ok[None]:
    """End a supervision (admins): the supervisor no longer reads the supervisee's clients."""
    unlink_supervision(tx, supervisor, supervisee)
    return Ok(data=None)


@router.get("/audit")
def audit(tx: RecordTx, client: Annotated[str | None, Query(max_length=64)] = None,
          since: dt.datetime | None = None,
          limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> Ok[list[AuditView]]:
    """Audit entries, newest first: admins see all; others their own and their clients'."""
    return Ok(data=query_audit(tx, client_code=client, since=since, limit=limit))


