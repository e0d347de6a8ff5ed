"""One client's progress and the whole caseload, read through the store.

Safety flags come from every response of every instrument, whatever ``only`` filters:
a view of the GAD-7 still shows an open PHQ-9 item 9 flag, first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rapport.caseload.safety import (
    ClientFlag,
    document_flags,
    questionnaire_flags,
    with_acknowledgements,
)
from rapport.measures.alerts import Administration, Alert
from rapport.measures.attendance import Appointment, Attendance, Status, attendance
from rapport.measures.catalog import get_instrument
from rapport.measures.consistency import MetricConsistency, style_consistency
from rapport.measures.progress import ProgressReport, progress
from rapport.measures.stored import administrations
from rapport.store.analyses import AnalysisView
from rapport.store.overview import ClientOverview, client_overviews
from rapport.store.sessions import SessionView
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
    """Everything about ``code``'s progress that the actor may read (one audited read).

    ``only`` limits the reports to one instrument; the safety flags always cover every
    response of every instrument."""
    (seen,) = client_overviews(tx, codes=[code])  # "not found" before anything else
    return progress_of(seen, only=get_instrument(only).id if only else None)


def overview_flags(seen: ClientOverview) -> tuple[list[ClientFlag], list[str]]:
    """Every safety flag of the client with its acknowledgements, open ones first, and
    warnings, from what :func:`client_overviews` read."""
    flags, warnings = questionnaire_flags([*seen.responses, *seen.entered_in_error])
    return with_acknowledgements(
        [*flags, *document_flags((d.analysis_id, d.session_number, d.created_at, d.document)
                                 for d in seen.urgent_documents)],
        seen.acknowledgements), warnings


def progress_of(seen: ClientOverview, *, only: str | None = None) -> ClientProgress:
    """One client's progress from what :func:`client_overviews` read (no database work);
    ``only`` is an instrument id."""
    flags, flag_warnings = overview_flags(seen)
    responses = [r for r in seen.responses if only is None or r.instrument_id == only]
    sessions, analyses = seen.sessions, seen.analyses
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
    return ClientProgress(code=seen.code, reports=reports, alerts=alerts,
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
    last_session: dt.date | None = None

    @property
    def urgency(self) -> tuple[int, int, str]:
        top = self.alerts[0].rank[:2] if self.alerts else (3, 3)
        return (top[0], top[1], self.code)

    @property
    def open_flags(self) -> list[ClientFlag]:
        return [a.flag for a in self.alerts if a.flag is not None and a.flag.is_open]


def caseload(tx: Tx, *, include_closed: bool = False) -> list[CaseloadRow]:
    """Every client the actor may read, most urgent first (safety flags on top); read
    set-wise, one audit row per client."""
    rows = []
    for seen in client_overviews(tx, include_closed=include_closed):
        state = progress_of(seen)
        rows.append(CaseloadRow(code=seen.code, therapist=seen.therapist,
                                sessions=len(seen.sessions),
                                closed=seen.closed_at is not None,
                                outcome=state.report("outcome"),
                                alliance=state.report("alliance"), alerts=state.alerts,
                                last_session=seen.last_session))
    return sorted(rows, key=lambda row: row.urgency)
