"""How the therapist answered a client's risk talk: one reading for every place that says.

The risk section of a report, the "not followed up" moment and the record's safety flags
all describe the same reply, so they read it here, once, by the same rule: the reply is
the therapist's next turn that is more than a back-channel, unless a client speaks first
(then there is no reply to judge: ``none``, as when the session ends). A reply that asks
about the risk in so many words is ``asked_directly`` (:func:`~rapport.risk.response.
asks_directly`); otherwise the reply model chooses ``asked_directly``, ``explored`` or
``moved_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapport.domain import Role, Session
from rapport.risk.response import asks_directly

ReplyKind = Literal["asked_directly", "explored", "moved_on", "none"]


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    turn_index: int | None = None
    #: the reply model's probability of ``kind``; None when the rule decided or no reply
    confidence: float | None = None


def reply_to(session: Session, index: int) -> Reply:
    """The therapist's reply to the client's turn ``index``."""
    reply = next((t for t in session.turns[index + 1:] if t.role == Role.THERAPIST
                  and not t.backchannel), None)
    if reply is None or any(t.role == Role.CLIENT and not t.backchannel
                            for t in session.turns[index + 1:reply.index]):
        return Reply(kind="none")
    if asks_directly(reply.text):
        return Reply(kind="asked_directly", turn_index=reply.index)
    kind, p = _model_reading(reply.text)
    return Reply(kind=kind, turn_index=reply.index, confidence=round(p, 3))


@lru_cache(maxsize=256)
def _model_reading(text: str) -> tuple[ReplyKind, float]:
    # cached: the risk section and the "not followed up" moment read the same reply, and
    # the model embeds it with the MiniLM encoder each time
    from rapport.risk.coder import load_coder

    ((kind, p),) = load_coder().model.reply_kind([text])
    return kind, p  # type: ignore[return-value]
