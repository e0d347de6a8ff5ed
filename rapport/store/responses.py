"""Questionnaire responses (for ``rapport/measures``): answers encrypted, scores plain.

A response stored by mistake is never deleted: :func:`mark_entered_in_error` records who
marked it, when and why (the reason encrypted); :func:`list_responses` then leaves it out
of everything a score, chart or alert is built from, and :func:`list_entered_in_error`
keeps it for the history and the safety flags.

>>> # add_response(tx, "C-017", instrument_id="wai-sr", instrument_version="1.0",
>>> #              answers={"1": 4, "2": 5}, scores={"total": 4.5}, session_number=3)
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from rapport.errors import RapportInputError
from rapport.store.clients import find_client
from rapport.store.models import QuestionnaireResponse, User
from rapport.store.tx import Tx


@dataclass(frozen=True)
class ErrorMark:
    """Why a response no longer counts: marked entered in error by ``by`` at ``at``."""

    at: dt.datetime
    by: str
    reason: str


@dataclass(frozen=True)
class ResponseView:
    id: int
    session_number: int | None
    instrument_id: str
    instrument_version: str
    answers: dict[str, Any]
    scores: dict[str, Any]
    recorded_at: dt.datetime
    recorded_by: str
    #: read from the total when recorded, under the definition fingerprinted here
    band: str | None = None
    in_clinical_range: bool | None = None
    scored_with: str | None = None
    #: set when the response was marked entered in error (then it counts in nothing)
    entered_in_error: ErrorMark | None = None


def _finite_numbers(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) and _finite_numbers(v) for k, v in value.items())
    if value is None:
        return True
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def add_response(tx: Tx, code: str, *, instrument_id: str, instrument_version: str,
                 answers: dict[str, Any], scores: dict[str, Any],
                 session_number: int | None = None, band: str | None = None,
                 in_clinical_range: bool | None = None,
                 scored_with: str | None = None) -> int:
    """Store one scored questionnaire; ``scores`` is {"total": x, "subscales": {...}};
    ``band`` and ``in_clinical_range`` as read from the total by the definition that
    ``scored_with`` fingerprints (pages then use them instead of re-scoring)."""
    client = find_client(tx, code, write=True)
    if not instrument_id or not instrument_version:
        raise RapportInputError("instrument id and version are required", where="instrument",
                                fix="pass the instrument's id and version", code="bad_input")
    if not _finite_numbers(scores):
        raise RapportInputError("scores must be finite numbers (or nested objects of them)",
                                where="scores", fix="store the scored totals and subscales",
                                code="bad_scores")
    row = QuestionnaireResponse(
        client_id=client.id, session_number=session_number,
        instrument_id=instrument_id[:64], instrument_version=instrument_version[:32],
        answers_enc=tx.encrypt(json.dumps(answers, ensure_ascii=False),
                               "questionnaire_responses.answers"),
        scores=scores, recorded_by=tx.me().id, band=None if band is None else band[:200],
        in_clinical_range=in_clinical_range,
        scored_with=None if scored_with is None else scored_with[:32])
    tx.db.add(row)
    tx.db.flush()
    tx.audit("create", "response", subject=client.uid,
             detail=f"instrument={instrument_id[:64]} response={row.id}")
    return row.id


def list_responses(tx: Tx, code: str, *, instrument_id: str | None = None
                   ) -> list[ResponseView]:
    """The client's responses that count (oldest first): those marked entered in error
    are left out (:func:`list_entered_in_error` has them)."""
    return _read(tx, code, instrument_id=instrument_id, marked=False)


def list_entered_in_error(tx: Tx, code: str) -> list[ResponseView]:
    """The client's responses marked entered in error, oldest first, each with its mark."""
    return _read(tx, code, instrument_id=None, marked=True)


def _read(tx: Tx, code: str, *, instrument_id: str | None, marked: bool
          ) -> list[ResponseView]:
    client = find_client(tx, code)
    query = (sa.select(QuestionnaireResponse, User.username)
             .join(User, User.id == QuestionnaireResponse.recorded_by)
             .where(QuestionnaireResponse.client_id == client.id,
                    QuestionnaireResponse.error_marked_at.is_not(None) if marked else
                    QuestionnaireResponse.error_marked_at.is_(None))
             .order_by(QuestionnaireResponse.recorded_at, QuestionnaireResponse.id))
    if instrument_id:
        query = query.where(QuestionnaireResponse.instrument_id == instrument_id)
    rows = tx.db.execute(query).all()
    tx.audit("read", "response", subject=client.uid,
             detail=f"{'entered_in_error' if marked else 'responses'}={len(rows)}")
    return [response_view(tx, r, u) for r, u in rows]


def response_view(tx: Tx, row: QuestionnaireResponse, recorded_by: str) -> ResponseView:
    """One stored response, its answers (and any error mark's reason) decrypted (the
    caller audits the read)."""
    return ResponseView(id=row.id, session_number=row.session_number,
                        instrument_id=row.instrument_id,
                        instrument_version=row.instrument_version,
                        answers=json.loads(tx.decrypt(row.answers_enc,
                                                      "questionnaire_responses.answers")),
                        scores=dict(row.scores), recorded_at=row.recorded_at,
                        recorded_by=recorded_by, band=row.band,
                        in_clinical_range=row.in_clinical_range, scored_with=row.scored_with,
                        entered_in_error=_mark(tx, row))


def _mark(tx: Tx, row: QuestionnaireResponse) -> ErrorMark | None:
    if row.error_marked_at is None:
        return None
    by = tx.db.scalar(sa.select(User.username).where(User.id == row.error_marked_by))
    reason = ("" if row.error_reason_enc is None else
              tx.decrypt(row.error_reason_enc, "questionnaire_responses.error_reason"))
    return ErrorMark(at=row.error_marked_at, by=by or "(unknown)", reason=reason)


#: Longest reason kept (a sentence or two, as in a paper record's correction note).
MAX_REASON = 500


def mark_entered_in_error(tx: Tx, code: str, response_id: int, *, reason: str
                          ) -> ResponseView:
    """Mark one of ``code``'s responses entered in error, with the reason (required).
    Only the treating therapist may; a response already marked is refused (``conflict``).
    Checks everything before it writes. Rules about what must happen first (a safety
    flag acknowledged) belong to the caller (``rapport.caseload``)."""
    client = find_client(tx, code, write=True)
    reason = reason.strip()
    if not reason:
        raise RapportInputError("a reason is required to mark a response entered in error",
                                where="reason", fix="say why, e.g. 'entered for the wrong "
                                "client' or 'answers typed wrongly; re-entered'",
                                code="bad_input")
    if len(reason) > MAX_REASON:
        raise RapportInputError(f"the reason is longer than {MAX_REASON} characters",
                                where="reason", fix="shorten it", code="bad_input")
    found = tx.db.execute(
        sa.select(QuestionnaireResponse, User.username)
        .join(User, User.id == QuestionnaireResponse.recorded_by)
        .where(QuestionnaireResponse.id == response_id,
               QuestionnaireResponse.client_id == client.id)).first()
    if found is None:
        raise RapportInputError(f"client {code} has no questionnaire response {response_id}",
                                where="response", fix=f"list them: rapport measures "
                                f"responses {code}", code="not_found")
    row, recorded_by = found
    if row.error_marked_at is not None:
        raise RapportInputError(f"response {response_id} is already marked entered in "
                                "error", where="response", fix="nothing to do",
                                code="conflict")
    row.error_marked_at = dt.datetime.now(dt.UTC)
    row.error_marked_by = tx.me().id
    row.error_reason_enc = tx.encrypt(reason, "questionnaire_responses.error_reason")
    tx.db.flush()
    tx.audit("update", "response", subject=client.uid,
             detail=f"response={row.id} instrument={row.instrument_id} entered_in_error")
    return response_view(tx, row, recorded_by)
