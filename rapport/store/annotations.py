"""Human code corrections and supervisor comments on stored analyses (for the web pages).

The owning therapist and their supervisors may add both; comment text is encrypted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.analyses import find_analysis
from rapport.store.models import CodeCorrection, SupervisorComment, User
from rapport.store.permissions import UserRole, require_role
from rapport.store.tx import Tx


@dataclass(frozen=True)
class Correction:
    analysis_id: int
    turn_index: int
    code_name: str
    value: str
    user: str
    at: dt.datetime


@dataclass(frozen=True)
class Comment:
    analysis_id: int
    turn_index: int | None
    text: str
    user: str
    at: dt.datetime


def _check_turn(turn_index: int | None) -> None:
    if turn_index is not None and not 0 <= turn_index < 1_000_000:
        raise RapportInputError(f"turn index {turn_index} is out of range",
                                where="turn_index", fix="use a turn index from the analysis",
                                code="bad_turn")


def add_correction(tx: Tx, analysis_id: int, turn_index: int, code_name: str,
                   value: str) -> None:
    # The treating therapist corrects codes; supervisors stay read-only and comment.
    require_role(tx.me(), UserRole.THERAPIST, doing="correcting codes")
    client, _ = find_analysis(tx, analysis_id, write=True)
    _check_turn(turn_index)
    tx.db.add(CodeCorrection(analysis_id=analysis_id, turn_index=turn_index,
                             code_name=code_name[:64], value=value[:64], user_id=tx.me().id))
    tx.audit("create", "correction", subject=client.uid, detail=f"analysis={analysis_id}")


def list_corrections(tx: Tx, analysis_id: int) -> list[Correction]:
    client, _ = find_analysis(tx, analysis_id)
    rows = tx.db.execute(sa.select(CodeCorrection, User.username)
                         .join(User, User.id == CodeCorrection.user_id)
                         .where(CodeCorrection.analysis_id == analysis_id)
                         .order_by(CodeCorrection.id)).all()
    tx.audit("read", "correction", subject=client.uid, detail=f"analysis={analysis_id}")
    return [Correction(analysis_id=c.analysis_id, turn_index=c.turn_index,
                       code_name=c.code_name, value=c.value, user=u, at=c.at) for c, u in rows]


def add_comment(tx: Tx, analysis_id: int, text: str, *, turn_index: int | None = None) -> None:
    require_role(tx.me(), UserRole.THERAPIST, UserRole.SUPERVISOR, doing="commenting")
    client, _ = find_analysis(tx, analysis_id)
    _check_turn(turn_index)
    if not text.strip():
        raise RapportInputError("the comment is empty", where="text",
                                fix="write the comment", code="empty")
    tx.db.add(SupervisorComment(analysis_id=analysis_id, turn_index=turn_index,
                                text_enc=tx.encrypt(text, "supervisor_comments.text"),
                                user_id=tx.me().id))
    tx.audit("create", "comment", subject=client.uid, detail=f"analysis={analysis_id}")


def list_comments(tx: Tx, analysis_id: int) -> list[Comment]:
    client, _ = find_analysis(tx, analysis_id)
    rows = tx.db.execute(sa.select(SupervisorComment, User.username)
                         .join(User, User.id == SupervisorComment.user_id)
                         .where(SupervisorComment.analysis_id == analysis_id)
                         .order_by(SupervisorComment.id)).all()
    tx.audit("read", "comment", subject=client.uid, detail=f"analysis={analysis_id}")
    return [Comment(analysis_id=c.analysis_id, turn_index=c.turn_index,
                    text=tx.decrypt(c.text_enc, "supervisor_comments.text"), user=u, at=c.at)
            for c, u in rows]
