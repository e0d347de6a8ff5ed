"""The start page: the caseload for clinicians, the way in for researchers and admins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.caseload import CaseloadRow, ClientAlert, caseload
from rapport.measures.change import Change, change_words
from rapport.measures.progress import ProgressReport
from rapport.store.permissions import UserRole
from rapport.web.identity import CurrentIdentity, RecordTx
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)

#: Change category -> (arrow, words); the words carry the meaning, the arrow only helps.
TREND = {"recovered": ("↑", "recovered"), "improved": ("↑", "improved"),
         "unchanged": ("→", "no reliable change"), "deteriorated": ("↓", "deteriorated")}
ALERT_LABEL = {"urgent": "Urgent", "warning": "Warning", "info": "Note"}


def trend_of(overall: Change | None) -> tuple[str, str, str] | None:
    """(arrow, words, style) of the change since the first score. A change whose latest
    administration carries an urgent item flag reads as a change on the total with the
    flag named (never "recovered"), and is not styled as good news."""
    if overall is None or overall.category is None:
        return None
    arrow, words = TREND[overall.category]
    if overall.safety_caveat is None:
        return arrow, words, words.replace(" ", "-")
    return arrow, change_words(overall) or words, "caveat"


@dataclass(frozen=True)
class Latest:
    short_name: str
    total: float
    band: str | None
    session: int

    @property
    def shown(self) -> str:
        return f"{self.total:g}"


@dataclass(frozen=True)
class AlertLine:
    label: str  # "Safety", "Urgent", "Warning", "Note": the words say it, not the colour
    css: str
    session: int
    message: str


@dataclass(frozen=True)
class DashboardRow:
    code: str
    therapist: str
    sessions: int
    closed: bool
    last_session: dt.date | None
    outcome: Latest | None
    alliance: Latest | None
    trend: tuple[str, str, str] | None  # arrow, words, style (see trend_of)
    alerts: list[AlertLine]
    open_flags: int = 0


def latest(report: ProgressReport | None) -> Latest | None:
    scored = [p for p in (report.points if report else []) if p.total is not None]
    if report is None or not scored:
        return None
    point = scored[-1]
    assert point.total is not None
    return Latest(report.short_name, point.total, point.band, point.session)


def alert_line(alert: ClientAlert) -> AlertLine:
    a = alert.alert
    if alert.flag is not None:
        latest = alert.flag.latest
        if latest is None:
            return AlertLine("Safety", "alert-safety", a.session, a.message)
        # Acknowledged: still shown, in words, with who and when.
        return AlertLine("Safety — acknowledged", "alert-acknowledged", a.session,
                         f"{a.message} (acknowledged by {latest.by}, "
                         f"{latest.at:%Y-%m-%d})")
    # Most messages name the instrument already; prefix it only where they do not.
    message = (a.message if alert.short_name in a.message
               else f"{alert.short_name}: {a.message}")
    return AlertLine(ALERT_LABEL[a.severity], f"alert-{a.severity}", a.session, message)


def dashboard_row(row: CaseloadRow) -> DashboardRow:
    overall = row.outcome.overall if row.outcome else None
    return DashboardRow(
        code=row.code, therapist=row.therapist, sessions=row.sessions, closed=row.closed,
        last_session=row.last_session, outcome=latest(row.outcome),
        alliance=latest(row.alliance),
        trend=trend_of(overall),
        alerts=[alert_line(a) for a in row.alerts], open_flags=len(row.open_flags))


@router.get("/")
def home(request: Request, identity: CurrentIdentity, tx: RecordTx,
         closed: bool = False) -> Response:
    """The caseload (``?closed=true`` also lists clients whose therapy has ended); a
    trainee, who has no caseload, goes to the practice room."""
    if identity.actor.role is UserRole.TRAINEE:
        return RedirectResponse("/practice", status_code=303)
    rows = ([dashboard_row(r) for r in caseload(tx, include_closed=closed)]
            if identity.actor.role in (UserRole.THERAPIST, UserRole.SUPERVISOR) else [])
    return render(request, "home.html", {"rows": rows, "closed": closed})
