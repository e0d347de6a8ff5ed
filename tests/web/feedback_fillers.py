"""Path fillers and request bodies for the feedback-form routes, for route_requests.py.

Wire them in with:

    from feedback_fillers import FEEDBACK_BODIES, feedback_token
    FILLERS["token"] = feedback_token
    BODIES.update(FEEDBACK_BODIES)

Every {token} is a fresh live form of tom's C-001 (on a new session, so answering it never
collides with an earlier answer); the kiosk body arms the calling browser with such a form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conftest import DAY
from route_requests import Call

from rapport.measures.catalog import get_instrument
from rapport.store.feedback import create_form
from rapport.store.sessions import SessionRecord, add_session

ANSWERS = {f"checkin.{item}": "5" for item in get_instrument("checkin").item_ids}


def feedback_token(call: Call, *, kiosk: bool = False) -> str:
    with call.world.store.transaction("tom", interface="system") as tx:
        number = add_session(tx, "C-001", SessionRecord(date=DAY))
        return create_form(tx, "C-001", number, ["checkin"], minutes=60, kiosk=kiosk).token


def _kiosk(call: Call) -> dict[str, Any]:
    call.client.cookies.set("rapport_kiosk", feedback_token(call, kiosk=True),
                            domain="testserver", path="/kiosk")
    return {"data": ANSWERS}


FEEDBACK_BODIES: dict[tuple[str, str], Callable[[Call], dict[str, Any]]] = {
    ("POST", "/clients/{code}/sessions/{number}/feedback"): lambda call: {
        "data": {"instruments": ["checkin"], "delivery": "link"}},
    ("POST", "/f/{token}"): lambda call: {"data": ANSWERS},
    ("POST", "/kiosk"): _kiosk,
}
