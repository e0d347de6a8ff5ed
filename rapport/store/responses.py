"""Questionnaire responses (for ``rapport/measures``): answers encrypted, scores plain.

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


def list_responses(tx: Tx, code: str, *, instrument_id: str | None = None) -> list[ResponseView]:
    client = find_client(tx, code)
    query = (sa.select(QuestionnaireResponse, User.username)
             .join(User, User.id == QuestionnaireResponse.recorded_by)
             .where(QuestionnaireResponse.client_id == client.id)
             .order_by(QuestionnaireResponse.recorded_at, QuestionnaireResponse.id))
    if instrument_id:
        query = query.where(QuestionnaireResponse.instrument_id == instrument_id)
    rows = tx.db.execute(query).all()
    tx.audit("read", "response", subject=client.uid, detail=f"responses={len(rows)}")
    return [response_view(tx, r, u) for r, u in rows]


def response_view(tx: Tx, row: QuestionnaireResponse, recorded_by: str) -> ResponseView:
    """One stored response, its answers decrypted (the caller audits the read)."""
    return ResponseView(id=row.id, session_number=row.session_number,
                        instrument_id=row.instrument_id,
                        instrument_version=row.instrument_version,
                        answers=json.loads(tx.decrypt(row.answers_enc,
                                                      "questionnaire_responses.answers")),
                        scores=dict(row.scores), recorded_at=row.recorded_at,
                        recorded_by=recorded_by, band=row.band,
                        in_clinical_range=row.in_clinical_range, scored_with=row.scored_with)
