"""Who am I, and my API tokens."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from rapport.store.logins import TokenView, create_api_token, list_api_tokens, revoke_api_token
from rapport.web.api.common import Ok, api_router
from rapport.web.identity import CurrentIdentity, RecordTx

router = api_router("me")


class Me(BaseModel):
    username: str
    role: str
    via: str


class Token(BaseModel):
    id: int
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool

    @classmethod
    def of(cls, view: TokenView) -> Token:
        return cls(id=view.id, name=view.name, created_at=view.created_at,
                   last_used_at=view.last_used_at, revoked=view.revoked)


class NewToken(BaseModel):
    name: str = Field(min_length=1, max_length=64)


class CreatedToken(Token):
    token: str = Field(description="Shown once: store it like a password.")


@router.get("/me")
def me(identity: CurrentIdentity) -> Ok[Me]:
    return Ok(data=Me(username=identity.actor.username, role=identity.actor.role.value,
                      via=identity.via))


@router.get("/tokens")
def tokens(tx: RecordTx) -> Ok[list[Token]]:
    return Ok(data=[Token.of(t) for t in list_api_tokens(tx)])


@router.post("/tokens", status_code=201)
def new_token(body: NewToken, tx: RecordTx) -> Ok[CreatedToken]:
    token, view = create_api_token(tx, body.name)
    return Ok(data=CreatedToken(token=token, **Token.of(view).model_dump()))


@router.delete("/tokens/{token_id}")
def revoke(token_id: int, tx: RecordTx) -> Ok[None]:
    revoke_api_token(tx, token_id)
    return Ok(data=None)
