"""One client's progress and the whole caseload, read through the store.

Safety flags come from every response of every instrument, whatever ``only`` filters:
a view of the GAD-7 still shows an open PHQ-9 item 9 flag, first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapport.caseload.safety import ClientFlag, client_flags
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
    """An alert with the instrument it came from; safety alerts carry their flag."""

    instrument: str
    short_name: str
    alert: Alert
    flag: ClientFlag | None = None

    @property
    def rank(self) -> tuple[int, int, int]:
        """Sort key: open safety flags first, then other alerts by severity, then
        acknowledged safety flags (still shown, with who acknowledged them); the most
        recent session first within each."""
        group = 1 if self.flag is None else (0 if self.flag.is_open else 2)
        return (group, _SEVERITY_RANK[self.alert.severity], -self.alert.session)

    @classmethod
    def of_flag(cls, flag: ClientFlag) -> ClientAlert:
        return cls(flag.instrument, flag.short_name, flag.alert(), flag)


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
    #: every safety flag of every instrument, open first (never filtered)
    flags: list[ClientFlag] = field(default_factory=list)

    @property
    def open_flags(self) -> list[ClientFlag]:
        return [f for f in self.flags if f.is_open]

    def report(self, kind: str) -> ProgressReport | None:
        """The first report whose instrument is of ``kind`` (outcome, alliance, ...)."""
        return next((r for r in self.reports if get_instrument(r.instrument).kind == kind),
                    None)


def client_progress(tx: Tx, code: str, *, only: str | None = None) -> ClientProgress:
    """Everything about ``code``'s progress that the actor may read (audited reads).

    ``only`` limits the reports to one instrument; the safety flags always cover every
    response of every instrument."""
    everything = list_responses(tx, code)  # first: "not found" before anything else
    wanted = get_instrument(only).id if only else None
    flags, flag_warnings = client_flags(tx, code, responses=everything)
    responses = [r for r in everything if wanted is None or r.instrument_id == wanted]
    sessions = list_sessions(tx, code)
    analyses = list_analyses(tx, code)
    grouped, warnings = administrations(responses, {s.number: s.date for s in sessions})
    reports = [progress(get_instrument(i), admins) for i, admins in grouped.items()]
    # Safety alerts come from the flags (with their state), not from the reports.
    alerts = sorted([*(ClientAlert.of_flag(f) for f in flags),
                     *(ClientAlert(r.instrument, r.short_name, a) for r in reports
                       for a in r.alerts if not a.rule.startswith("safety."))],
                    key=lambda a: a.rank)
    appointments = [Appointment(date=s.date, status=_STATUS.get(s.attendance, "cancelled"))
                    for s in sessions if s.date is not None]
    latest = {a.session_number: a.metrics for a in analyses if not a.purged}
    return ClientProgress(code=code, reports=reports, alerts=alerts,
                          attendance=attendance(appointments),
                          consistency=style_consistency([latest[n] for n in sorted(latest)]),
                          sessions=sessions, analyses=analyses, administrations=grouped,
                          warnings=[*flag_warnings, *warnings], flags=flags)


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
        top = self.alerts[0].rank[:2] if self.alerts else (3, 3)
        return (top[0], top[1], self.code)

    @property
    def open_flags(self) -> list[ClientFlag]:
        return [a.flag for a in self.alerts if a.flag is not None and a.flag.is_open]


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
