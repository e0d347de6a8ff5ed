"""The session page: the stored report's sections, the annotated transcript, human code
corrections (the treating therapist), comments (therapist and supervisors), and the
de-identified export of corrections for retraining.

Every read and write goes through ``rapport.store``, which decides who may do what: a
supervisor's correction is refused there (and answers 404); the page only leaves out the
controls a reader cannot use.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rapport.errors import RapportInputError
from rapport.store.analyses import AnalysisView, list_analyses, read_analysis
from rapport.store.annotations import (
    Comment,
    Correction,
    add_comment,
    add_correction,
    list_comments,
    list_corrections,
)
from rapport.store.clients import find_client
from rapport.store.overview import ClientOverview
from rapport.store.permissions import UserRole
from rapport.store.recordings import list_recordings
from rapport.store.responses import ResponseView
from rapport.store.sessions import list_sessions
from rapport.store.tx import Tx
from rapport.web.identity import CurrentIdentity, RecordTx
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)

SESSION_PATH = "/clients/{code}/sessions/{number}"


def session_url(code: str, number: int) -> str:
    return f"/clients/{code}/sessions/{number}"


def require_session(tx: Tx, code: str, number: int) -> None:
    """404 unless the client has session ``number`` (listing the sessions is audited)."""
    if not any(s.number == number for s in list_sessions(tx, code)):
        raise RapportInputError(f"client {code} has no session {number}", where="session",
                                fix="choose a session from the client page", code="not_found")


def latest_analysis(tx: Tx, code: str, number: int) -> AnalysisView | None:
    """The newest stored analysis of one session (an upload again adds a newer one)."""
    found = [a for a in list_analyses(tx, code) if a.session_number == number]
    return max(found, key=lambda a: a.id) if found else None


def _analysis_of(tx: Tx, code: str, number: int, analysis_id: int) -> AnalysisView:
    """``analysis_id`` only if it is an analysis of this client's session (else 404)."""
    for view in list_analyses(tx, code):
        if view.id == analysis_id and view.session_number == number:
            return view
    raise RapportInputError(f"no analysis {analysis_id} of session {number}",
                            where="analysis", fix="reload the session page", code="not_found")


def _can_write(tx: Tx, code: str) -> bool:
    try:
        find_client(tx, code, write=True)
    except RapportInputError:
        return False
    return True


def _latest_by_code(corrections: list[Correction]) -> dict[int, dict[str, Correction]]:
    """The newest human value of each code on each turn (older ones stay in the export)."""
    out: dict[int, dict[str, Correction]] = defaultdict(dict)
    for c in corrections:  # oldest first
        out[c.turn_index][c.code_name] = c
    return dict(out)


def _scores_of_session(responses: list[ResponseView], number: int,
                       changes: dict[str, str | None] | None = None) -> list[dict[str, Any]]:
    """This session's questionnaires: total, band (or side of the cut-off, as ``rapport
    progress`` shows it), unanswered items and the change since the first score
    (``changes``: instrument id -> its words, from the client's progress)."""
    from rapport.measures.catalog import get_instrument
    from rapport.measures.scoring import band_of, band_or_side, in_clinical_range
    from rapport.measures.stored import stored_score

    rows = []
    for r in responses:
        if r.session_number != number:
            continue
        total = r.scores.get("total")
        try:
            instrument = get_instrument(r.instrument_id)
            kept = stored_score(instrument, r)  # the band stored with it, while current
            value = total if isinstance(total, int | float) else None
            band = (kept.band if kept is not None else
                    band_of(instrument, value) if value is not None else None)
            side = (kept.in_clinical_range if kept is not None else
                    in_clinical_range(instrument, value) if value is not None else None)
            name, band = instrument.short_name, band_or_side(instrument, band, side)
            items = len(instrument.items)
        except RapportInputError:  # an instrument no longer bundled
            name, band, items = r.instrument_id, None, len(r.answers)
        # Unanswered = items without a value, whether stored as null or left out.
        answered = sum(v is not None for v in r.answers.values())
        rows.append({"id": r.id, "instrument": name, "total": total, "band": band,
                     "missing": items - answered,
                     "change": (changes or {}).get(r.instrument_id)})
    return rows


def _marked_of_session(marked: list[ResponseView], number: int) -> list[dict[str, Any]]:
    """This session's questionnaires marked entered in error, with the mark."""
    from rapport.measures.catalog import get_instrument

    rows = []
    for r in marked:
        if r.session_number != number or r.entered_in_error is None:
            continue
        try:
            name = get_instrument(r.instrument_id).short_name
        except RapportInputError:  # an instrument no longer bundled
            name = r.instrument_id
        rows.append({"instrument": name, "total": r.scores.get("total"),
                     "recorded": f"{r.recorded_by}, {r.recorded_at:%Y-%m-%d %H:%M}",
                     "mark": r.entered_in_error})
    return rows


def _changes_at(seen: ClientOverview, number: int) -> dict[str, str | None]:
    """Instrument id -> the change since the first score at session ``number``, in the
    words of the client page (with a safety caveat where the administration has one)."""
    from rapport.caseload.progress import progress_of
    from rapport.web.pages.clients import change_cell

    return {report.instrument: change_cell(point.change)
            for report in progress_of(seen).reports for point in report.points
            if point.session == number}


@router.get(SESSION_PATH)
def session_page(request: Request, code: str, number: int, identity: CurrentIdentity,
                 tx: RecordTx, *, show: str = "", scored: str = "", marked: str = "",
                 analysis: int | None = None) -> Response:
    """The session's newest analysis, or the earlier version ``analysis`` (when a
    transcript was uploaded again and both versions were kept)."""
    return session_response(request, code, number, identity, tx, show=show, scored=scored,
                            marked=marked, analysis=analysis)


def session_response(request: Request, code: str, number: int, identity: CurrentIdentity,
                     tx: Tx, *, show: str = "", scored: str = "", marked: str = "",
                     analysis: int | None = None,
                     score_error: RapportInputError | None = None,
                     status: int = 200) -> Response:
    """The session page; ``score_error`` is shown at the questionnaires (a refused
    correction of one), with ``status``."""
    from rapport.caseload.progress import overview_flags
    from rapport.store.overview import client_overviews
    from rapport.web.stored_report import correction_choices, load_stored_report, report_css

    # One audited, set-wise read of the client: sessions, analyses, responses, flags.
    (seen,) = client_overviews(tx, codes=[code])
    if not any(s.number == number for s in seen.sessions):
        raise RapportInputError(f"client {code} has no session {number}", where="session",
                                fix="choose a session from the client page", code="not_found")
    versions = sorted((a for a in seen.analyses if a.session_number == number),
                      key=lambda a: a.id, reverse=True)  # newest first
    view = versions[0] if versions else None
    if analysis is not None:
        view = next((a for a in versions if a.id == analysis), None)
        if view is None:
            raise RapportInputError(f"no analysis {analysis} of session {number}",
                                    where="analysis", fix="choose a version from the "
                                    "session page", code="not_found")
    can_write = _can_write(tx, code)
    can_comment = identity.actor.role in (UserRole.THERAPIST, UserRole.SUPERVISOR)
    responses = seen.responses
    flags, _ = overview_flags(seen)
    values: dict[str, Any] = {
        "code": code, "number": number, "view": view, "report": None, "purged": False,
        "can_write": can_write, "can_comment": can_comment, "show": show[:100],
        "scored": scored[:64], "marked": marked[:20], "score_error": score_error,
        "scores": _scores_of_session(responses, number, _changes_at(seen, number)),
        "entered_in_error": _marked_of_session(seen.entered_in_error, number),
        # every open flag of the client first; this session's flags (any state) with
        # its scores
        "open_flags": [f for f in flags if f.is_open],
        "session_flags": [f for f in flags if f.session == number],
        "base_url": session_url(code, number), "report_css": report_css(),
        "versions": versions,
        # kept recordings: the treating therapist's only (a supervisor never gets the voice)
        "recordings": list_recordings(tx, code, number) if can_write else []}
    if view is None:
        return render(request, "session.html", values, status=status)
    if view.purged:
        return render(request, "session.html", values | {"purged": True}, status=status)
    report = load_stored_report(read_analysis(tx, view.id))
    corrections = list_corrections(tx, view.id)
    comments = list_comments(tx, view.id)
    by_turn: dict[int | None, list[Comment]] = defaultdict(list)
    for note in comments:
        by_turn[note.turn_index].append(note)
    human = _latest_by_code(corrections)
    tokens: dict[int, list[str]] = {i: list(t) for i, t in report.parts["tokens"].items()}
    for index in human:
        tokens.setdefault(index, []).append("corrected")
    for at in by_turn:
        if at is not None:
            tokens.setdefault(at, []).append("commented")
    review_names = [n for n, present in (("corrected", bool(human)),
                                         ("commented", any(i is not None for i in by_turn)))
                    if present]
    choices = {role: correction_choices(report.families, role)
               for role in {t.role for t in report.document.turns}} if can_write else {}
    shown = sum(1 for toks in tokens.values() if not show or show in toks)
    return render(request, "session.html", values | {
        "shown": shown, "report": report, "doc": report.document, "parts": report.parts,
        "tokens": tokens,        "review_names": review_names, "human": human, "comments": by_turn,
        "corrections_count": len(corrections), "choices": choices}, status=status)


@router.post(SESSION_PATH + "/corrections")
def correct_code(code: str, number: int, tx: RecordTx,
                 analysis_id: Annotated[int, Form()], turn_index: Annotated[int, Form(ge=0)],
                 correction: Annotated[str, Form(max_length=200)]) -> Response:
    """A human code beside the model's; the store lets only the treating therapist."""
    from rapport.web.stored_report import load_stored_report, parse_correction

    _analysis_of(tx, code, number, analysis_id)
    report = load_stored_report(read_analysis(tx, analysis_id))
    turns = report.document.turns
    if turn_index >= len(turns):
        raise RapportInputError(f"the session has no turn {turn_index}", where="turn_index",
                                fix="reload the session page", code="bad_turn")
    name, value = parse_correction(correction, report.families, turns[turn_index].role)
    add_correction(tx, analysis_id, turn_index, name, value)
    return RedirectResponse(f"{session_url(code, number)}#turn-{turn_index}", status_code=303)


@router.post(SESSION_PATH + "/comments")
def comment(code: str, number: int, tx: RecordTx, analysis_id: Annotated[int, Form()],
            text: Annotated[str, Form(max_length=10_000)],
            turn_index: Annotated[str, Form(max_length=12)] = "") -> Response:
    """A comment on the session (no turn) or on one turn or moment."""
    import json

    _analysis_of(tx, code, number, analysis_id)
    index: int | None = None
    if turn_index.strip():
        turns = len(json.loads(read_analysis(tx, analysis_id)).get("turns", []))
        if not turn_index.strip().isdigit() or int(turn_index) >= turns:
            raise RapportInputError(f"the session has no turn {turn_index.strip()!r}",
                                    where="turn_index", fix=f"give a turn number from 0 to "
                                    f"{turns - 1}, or none for the whole session",
                                    code="bad_turn")
        index = int(turn_index)
    add_comment(tx, analysis_id, text, turn_index=index)
    anchor = f"#turn-{index}" if index is not None else "#comments"
    return RedirectResponse(f"{session_url(code, number)}{anchor}", status_code=303)


@router.get(SESSION_PATH + "/corrections.csv")
def corrections_export(code: str, number: int, tx: RecordTx) -> Response:
    """Human corrections beside the model's values, for retraining; no transcript text."""
    import json

    from rapport.web.corrections_export import corrections_csv

    require_session(tx, code, number)
    rows: list[tuple[int, dict[str, Any], list[Correction]]] = []
    for view in list_analyses(tx, code):
        if view.session_number != number or view.purged:
            continue
        corrections = list_corrections(tx, view.id)
        if corrections:
            rows.append((view.id, json.loads(read_analysis(tx, view.id)), corrections))
    body = corrections_csv(f"{code}/{number}", rows)
    return Response(body, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{code}-session-{number}-'
                               'corrections.csv"'})
