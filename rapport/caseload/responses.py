"""Storing scored questionnaires for a session, marking one entered in error, and the
measures demo clients."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from rapport.errors import RapportInputError
from rapport.measures.catalog import definition_version, get_instrument
from rapport.measures.schema import Instrument
from rapport.measures.scoring import Score, require_answered, score
from rapport.measures.stored import scoring_fingerprint
from rapport.store.clients import add_client, find_client
from rapport.store.responses import (
    ResponseView,
    add_response,
    list_responses,
    mark_entered_in_error,
)
from rapport.store.sessions import Attendance, SessionRecord, add_session, find_session
from rapport.store.tx import Tx


def record_response(tx: Tx, code: str, instrument: Instrument, result: Score, *,
                    session: int) -> int:
    """Store one scored administration for an existing session of ``code``; one per
    instrument and session. Raises before writing anything when either check fails; of
    two simultaneous writers the database's unique index lets one win, and the other is
    told the same (duplicate, 409). An administration with no item answered is refused
    (``no_answers``)."""
    find_session(tx, find_client(tx, code, write=True), session)
    require_answered(instrument, result)
    if session_has(tx, code, instrument, session):
        raise _duplicate(instrument, session)
    try:
        with tx.db.begin_nested():
            return _store(tx, code, instrument, result, session=session)
    except IntegrityError:
        raise _duplicate(instrument, session) from None


def record_or_keep_unfiled(tx: Tx, code: str, instrument: Instrument, result: Score, *,
                           session: int) -> bool:
    """Store a client's answers for ``session``, or, when the session already has this
    questionnaire (stored before, or at the same moment), keep them without a session
    number: a client's answers are never lost. Returns whether they were filed. An
    administration with no item answered is refused (``no_answers``)."""
    find_session(tx, find_client(tx, code, write=True), session)
    require_answered(instrument, result)
    if not session_has(tx, code, instrument, session):
        try:
            with tx.db.begin_nested():
                _store(tx, code, instrument, result, session=session)
            return True
        except IntegrityError:
            pass  # stored by someone else a moment ago: keep these unfiled
    _store(tx, code, instrument, result, session=None)
    return False


def mark_response_entered_in_error(tx: Tx, code: str, response_id: int, *,
                                   reason: str) -> ResponseView:
    """Mark a response stored by mistake (wrong client, session or answers) entered in
    error: it then counts in no score, chart, alert or band, stays in the history with
    who marked it, when and why, and the session may record the right one. A response
    with an open safety flag is refused until the flag is acknowledged: marking must
    never be the way a risk answer leaves the therapist's sight."""
    from rapport.caseload.safety import questionnaire_flags, with_acknowledgements
    from rapport.store.safety import list_acknowledgements

    find_client(tx, code, write=True)  # only the treating therapist, before anything else
    # This response's flags only (not the client's transcripts): one not found, or marked
    # already, has none here and is refused by the store below.
    response = [r for r in list_responses(tx, code) if r.id == response_id]
    found, _ = questionnaire_flags(response)
    flags = with_acknowledgements(found, list_acknowledgements(tx, code)) if found else []
    still_open = [f for f in flags if f.is_open]
    if still_open:
        raise RapportInputError(
            f"response {response_id} has an open safety flag ({still_open[0].message})",
            where="response", fix=f"acknowledge flag {still_open[0].ref} first, saying "
            "what was done (for a mistaken entry: 'other', with a note such as 'entered for "
            "the wrong client'), on the client page's safety flags or with rapport flags "
            "acknowledge; then mark it", code="open_flag")
    return mark_entered_in_error(tx, code, response_id, reason=reason)


def session_has(tx: Tx, code: str, instrument: Instrument, session: int) -> bool:
    return any(r.session_number == session
               for r in list_responses(tx, code, instrument_id=instrument.id))


def _duplicate(instrument: Instrument, session: int) -> RapportInputError:
    return RapportInputError(f"the client already has a {instrument.short_name} for "
                             f"session {session}",
                             where="session", fix="record it for another session",
                             code="duplicate")


def _store(tx: Tx, code: str, instrument: Instrument, result: Score, *,
           session: int | None) -> int:
    return add_response(tx, code, instrument_id=instrument.id,
                        instrument_version=definition_version(instrument),
                        answers=dict(result.answers), session_number=session,
                        scores={"total": result.total, "subscales": dict(result.subscales)},
                        band=result.band, in_clinical_range=result.in_clinical_range,
                        scored_with=scoring_fingerprint(instrument))


def seed_demo_measures(tx: Tx) -> int:
    """Store the made-up demo clients, sessions and responses as the acting therapist,
    and acknowledge one of demo-safety's two safety flags (the other stays open); returns
    the number of responses stored."""
    from rapport.caseload.safety import acknowledge
    from rapport.measures.demo import demo_acknowledgements, demo_records, demo_sessions
    from rapport.store.safety import FlagRef

    sessions = demo_sessions()
    for client in sorted({s.client for s in sessions}):
        add_client(tx, client)
    for row in sessions:
        add_session(tx, row.client, SessionRecord(number=row.number, date=row.date,
                                                  attendance=Attendance(row.attendance)))
    records = demo_records()
    stored: dict[tuple[str, str, int], int] = {}
    for record in records:
        instrument = get_instrument(record.instrument)
        stored[record.client, record.instrument, record.session] = record_response(
            tx, record.client, instrument, score(instrument, record.answers),
            session=record.session)
    for ack in demo_acknowledgements():
        response_id = stored[ack.client, ack.instrument, ack.session]
        acknowledge(tx, ack.client, FlagRef("questionnaire", response_id, ack.item),
                    action=ack.action, note=ack.note)
    return len(records)
