"""One client's progress and the whole caseload, read through the store."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapport.measures.alerts import Administration, Alert
from rapport.measures.attendance import Appointment, Attendance, Status, attendance
from rapport.measures.catalog import get_instrument
from rapport.measures.consistency import MetricConsistency, style_consistency
from rapport.measures.progress import ProgressReport, progress
from rapport.measures.stored import administrations
from rapport.store.analyses import AnalysisView, list_analyses
from rapport.store.clients import list_clients
from rapport.store.responses import list_responses
from rapport.store.sessions import SessionView, list_sessions
from rapport.store.tx import Tx

_SEVERITY_RANK = {"urgent": 0, "warning": 1, "info": 2}
# The record's attendance words -> the measures' appointment statuses.
_STATUS: dict[str, Status] = {"attended": "attended", "cancelled": "cancelled",
                              "no-show": "no_show"}


@dataclass(frozen=True)
class ClientAlert:
    """An alert with the instrument it came from."""

    instrument: str
    short_name: str
    alert: Alert

    @property
    def rank(self) -> tuple[int, int, int]:
        """Sort key: safety first, then severity, then the most recent session."""
        return (0 if self.alert.rule.startswith("safety") else 1,
                _SEVERITY_RANK[self.alert.severity], -self.alert.session)


@dataclass(frozen=True)
class ClientProgress:
    code: str
    reports: list[ProgressReport]
    alerts: list[ClientAlert]
    attendance: Attendance
    consistency: dict[str, MetricConsistency]
    sessions: list[SessionView]
    analyses: list[AnalysisView]
    #: instrument id -> scored administrations the reports were built from
    administrations: dict[str, list[Administration]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def report(self, kind: str) -> ProgressReport | None:
        """The first report whose instrument is of ``kind`` (outcome, alliance, ...)."""
        return next((r for r in self.reports if get_instrument(r.instrument).kind == kind),
                    None)


def client_progress(tx: Tx, code: str, *, only: str | None = None) -> ClientProgress:
    """Everything about ``code``'s progress that the actor may read (audited reads)."""
    wanted = get_instrument(only).id if only else None
    responses = list_responses(tx, code, instrument_id=wanted)
    sessions = list_sessions(tx, code)
    analyses = list_analyses(tx, code)
    grouped, warnings = administrations(responses, {s.number: s.date for s in sessions})
    reports = [progress(get_instrument(i), admins) for i, admins in grouped.items()]
    alerts = sorted((ClientAlert(r.instrument, r.short_name, a)
                     for r in reports for a in r.alerts), key=lambda a: a.rank)
    appointments = [Appointment(date=s.date, status=_STATUS.get(s.attendance, "cancelled"))
                    for s in sessions if s.date is not None]
    latest = {a.session_number: a.metrics for a in analyses if not a.purged}
    return ClientProgress(code=code, reports=reports, alerts=alerts,
                          attendance=attendance(appointments),
                          consistency=style_consistency([latest[n] for n in sorted(latest)]),
                          sessions=sessions, analyses=analyses, administrations=grouped,
                          warnings=warnings)


@dataclass(frozen=True)
class CaseloadRow:
    """One line of the caseload dashboard."""

    code: str
    therapist: str
    sessions: int
    closed: bool
    outcome: ProgressReport | None
    alliance: ProgressReport | None
    alerts: list[ClientAlert]

    @property
    def urgency(self) -> tuple[int, int, str]:
        top = self.alerts[0].rank[:2] if self.alerts else (2, 3)
        return (top[0], top[1], self.code)


def caseload(tx: Tx, *, include_closed: bool = False) -> list[CaseloadRow]:
    """Every client the actor may read, most urgent first (safety flags on top)."""
    rows = []
    for summary in list_clients(tx):
        if summary.closed_at is not None and not include_closed:
            continue
        state = client_progress(tx, summary.code)
        rows.append(CaseloadRow(code=summary.code, therapist=summary.therapist,
                                sessions=summary.sessions, closed=summary.closed_at is not None,
                                outcome=state.report("outcome"),
                                alliance=state.report("alliance"), alerts=state.alerts))
    return sorted(rows, key=lambda row: row.urgency)
