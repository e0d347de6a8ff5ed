"""Acknowledgements of safety flags: append-only rows, the note encrypted.

A safety flag is not stored: it is derived from its source each time it is read (a
questionnaire response's risk item by ``rapport.caseload``; a transcript turn by a risk
coder), so nothing can delete or hide it. What is stored is each acknowledgement of a
flag: who, when, what was done and a note. The flag is named by a :class:`FlagRef`:

* ``questionnaire:<response id>:<item id>``
* ``transcript:<stored analysis id>:<turn index>``

The store checks only that the source belongs to the client; whether the source really
raises a flag is the application's rule (``rapport.caseload.safety``). The owning
therapist and their supervisors may acknowledge (a supervisor covering for an absent
therapist must be able to record what they did); every write and read is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.models import (
    Client,
    QuestionnaireResponse,
    SafetyAcknowledgement,
    StoredAnalysis,
    TherapySession,
    User,
)
from rapport.store.permissions import UserRole, not_found, require_role
from rapport.store.tx import Tx

#: Where a flag can come from, and the table its source id points into.
SOURCE_KINDS = ("questionnaire", "transcript")
_REF = re.compile(r"^(questionnaire|transcript):([0-9]{1,12}):([a-z0-9_]{1,64})$")
#: The longest note kept (a few paragraphs; the record is not the clinical notes system).
MAX_NOTE = 4000
_CONTEXT = "safety_acknowledgements.note"


@dataclass(frozen=True, order=True)
class FlagRef:
    """Which flag: its source kind, the source row's id, and the part of it (an item id,
    or a turn index)."""

    kind: str
    source_id: int
    part: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.source_id}:{self.part}"

    @classmethod
    def parse(cls, text: str, *, where: str = "flag") -> FlagRef:
        """``questionnaire:12:phq9_9`` -> FlagRef; anything else is one clear error."""
        match = _REF.match(text.strip())
        if match is None:
            raise RapportInputError(f"{text[:80]!r} does not name a safety flag", where=where,
                                    fix="copy the flag's id as listed, e.g. "
                                    "questionnaire:12:phq9_9 (rapport flags list CODE)",
                                    code="bad_flag")
        return cls(match.group(1), int(match.group(2)), match.group(3))


@dataclass(frozen=True)
class AcknowledgementView:
    id: int
    ref: FlagRef
    action: str
    note: str
    by: str
    role: str
    at: dt.datetime


def _check_source(tx: Tx, client: Client, ref: FlagRef) -> None:
    if ref.kind == "questionnaire":
        owner = tx.db.scalar(sa.select(QuestionnaireResponse.client_id).where(
            QuestionnaireResponse.id == ref.source_id))
    else:  # a transcript flag: the stored analysis the risk coder found it in
        owner = tx.db.scalar(sa.select(TherapySession.client_id).join(
            StoredAnalysis, StoredAnalysis.session_id == TherapySession.id).where(
            StoredAnalysis.id == ref.source_id))
    if owner != client.id:
        raise not_found("safety flag", str(ref))


def add_acknowledgement(tx: Tx, code: str, ref: FlagRef, *, action: str,
                        note: str) -> AcknowledgementView:
    """Append one acknowledgement of ``ref`` (a flag of client ``code``)."""
    me = tx.me()
    require_role(me, UserRole.THERAPIST, UserRole.SUPERVISOR,
                 doing="acknowledging safety flags")
    client = find_client(tx, code)
    _check_source(tx, client, ref)
    text = note.strip()
    if not text:
        raise RapportInputError("the note is empty", where="note",
                                fix="say what was done, e.g. 'risk assessed in session; "
                                "safety plan reviewed'", code="empty")
    if len(text) > MAX_NOTE:
        raise RapportInputError(f"the note has {len(text)} characters; at most {MAX_NOTE}",
                                where="note", fix="shorten the note", code="too_long")
    if not action or len(action) > 32:
        raise RapportInputError("the action is missing or too long", where="action",
                                fix="name what was done", code="bad_input")
    row = SafetyAcknowledgement(client_id=client.id, source_kind=ref.kind,
                                source_id=ref.source_id, source_part=ref.part, action=action,
                                note_enc=tx.encrypt(text, _CONTEXT), acted_by=me.id)
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "safety-ack", subject=client.uid,
             detail=f"flag={ref} action={action} ack={row.id}")
    return AcknowledgementView(id=row.id, ref=ref, action=action, note=text,
                               by=me.username, role=me.role.value, at=row.at)


def list_acknowledgements(tx: Tx, code: str) -> list[AcknowledgementView]:
    """Every acknowledgement of the client's flags, oldest first."""
    client = find_client(tx, code)
    rows = tx.db.execute(
        sa.select(SafetyAcknowledgement, User.username, User.role)
        .join(User, User.id == SafetyAcknowledgement.acted_by)
        .where(SafetyAcknowledgement.client_id == client.id)
        .order_by(SafetyAcknowledgement.at, SafetyAcknowledgement.id)).all()
    tx.audit("read", "safety-ack", subject=client.uid, detail=f"acks={len(rows)}")
    return [AcknowledgementView(
        id=r.id, ref=FlagRef(r.source_kind, r.source_id, r.source_part), action=r.action,
        note=tx.decrypt(r.note_enc, _CONTEXT), by=username, role=role, at=r.at)
        for r, username, role in rows]
