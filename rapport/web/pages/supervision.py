"""Supervision: each supervisee's analysed sessions over time, the relationship-profile
metrics against reference ranges. Read-only.

Only three metrics have a reference range in the literature (MITI, ``docs/metrics.md``);
the others are placed against the spread of every analysis this viewer may read (the
middle half of that distribution), and the page says so. A therapist sees the same page
for their own sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from rapport.caseload import ClientFlag, client_flags
from rapport.profile.models import MIN_BAND_N
from rapport.store.analyses import list_analyses
from rapport.store.clients import list_clients
from rapport.store.permissions import UserRole
from rapport.store.sessions import list_sessions
from rapport.store.tx import Tx
from rapport.store.users import list_users
from rapport.web.charts import sparkline
from rapport.web.identity import CurrentIdentity, RecordTx, require_roles
from rapport.web.pages import profile_metrics as pm
from rapport.web.templating import render

router = APIRouter(include_in_schema=False)
CLINICIANS = require_roles(UserRole.SUPERVISOR, UserRole.THERAPIST)


@dataclass(frozen=True)
class SessionLine:
    code: str
    number: int
    date: dt.date | None
    metrics: dict[str, float | None]
    basis: pm.Basis = pm.UNKNOWN

    @property
    def order(self) -> tuple[dt.date, str, int]:
        return (self.date or dt.date.min, self.code, self.number)

    def value(self, name: str) -> float | None:
        """The figure, or None when the session's analysis did not measure it."""
        return self.basis.measured(name, self.metrics.get(name))


@dataclass(frozen=True)
class Cell:
    text: str
    place: str | None  # "good"/"fair"/"below fair" or the place in the clinic spread


@dataclass(frozen=True)
class MetricSummary:
    label: str
    reference: str
    literature: bool
    spark: Markup
    latest: Cell
    mean: str


@dataclass
class SuperviseeView:
    username: str
    display_name: str
    clients: list[str] = field(default_factory=list)
    sessions: list[SessionLine] = field(default_factory=list)
    cells: list[list[Cell]] = field(default_factory=list)
    summary: list[MetricSummary] = field(default_factory=list)


def session_lines(tx: Tx, code: str) -> list[SessionLine]:
    """The analysed sessions of a client (the latest analysis of each)."""
    dates = {s.number: s.date for s in list_sessions(tx, code)}
    latest = {a.session_number: a for a in list_analyses(tx, code)}
    return [SessionLine(code, n, dates.get(n), latest[n].metrics,
                        pm.stored_basis(tx, latest[n])) for n in sorted(latest)]


def place(name: str, value: float | None, spread: pm.Distribution | None, *,
          n: int | None) -> str | None:
    """The band against the literature (on the ``n`` units behind the figure: "too few
    to judge" under the report's minimum), else the place in the clinic spread."""
    return (pm.reference_band(name, value, n=n) if name in pm.REFERENCES
            else spread.place(value) if spread else None)


def cell(name: str, line: SessionLine, spread: pm.Distribution | None) -> Cell:
    """One session's figure with its place; "not measured" with why where its analysis
    did not measure it."""
    if name in line.basis.not_measured:
        return Cell(pm.NOT_MEASURED, line.basis.not_measured[name])
    value = line.metrics.get(name)
    return Cell(pm.fmt(name, value), place(name, value, spread, n=line.basis.n.get(name)))


def reference_of(name: str, spread: pm.Distribution | None) -> tuple[str, bool]:
    text = pm.reference_text(name)
    if text is not None:
        return text, True
    if spread is None:
        return "too few sessions for a clinic range", False
    text = (f"clinic middle half {pm.fmt(name, spread.q1)}–{pm.fmt(name, spread.q3)} "
            f"(median {pm.fmt(name, spread.median)}, {spread.n} sessions)")
    return text, False


def open_flags_of(tx: Tx, codes: list[str]) -> list[tuple[str, ClientFlag]]:
    """The open safety flags of these clients (every questionnaire), for the top of the
    page: a metrics page is still a clinician's view, and safety comes first."""
    found = []
    for code in codes:
        flags, _ = client_flags(tx, code)
        found += [(code, f) for f in flags if f.is_open]
    return found


def build(tx: Tx, me: str, role: UserRole) -> tuple[list[SuperviseeView], list[str]]:
    people = ({u.username: u.display_name for u in list_users(tx)
               if u.role == UserRole.THERAPIST.value and u.username != me}
              if role is UserRole.SUPERVISOR else
              {u.username: u.display_name for u in list_users(tx) if u.username == me})
    views = {name: SuperviseeView(name, display) for name, display in sorted(people.items())}
    for summary in list_clients(tx):
        view = views.get(summary.therapist)
        if view is None:
            continue
        view.clients.append(summary.code)
        view.sessions.extend(session_lines(tx, summary.code))
    everything = [s for v in views.values() for s in v.sessions]
    names = [n for n in pm.KEY_METRICS if any(n in s.metrics for s in everything)]
    spreads = {n: pm.distribution([s.value(n) for s in everything]) for n in names}
    for view in views.values():
        view.sessions.sort(key=lambda s: s.order)
        view.cells = [[cell(n, s, spreads[n]) for n in names] for s in view.sessions]
        for n in names:
            series = [s.value(n) for s in view.sessions]
            known = [v for v in series if v is not None]
            last = next((s for s in reversed(view.sessions) if s.value(n) is not None), None)
            unmeasured = [s for s in view.sessions if n in s.basis.not_measured]
            reference, literature = reference_of(n, spreads[n])
            view.summary.append(MetricSummary(
                label=pm.label(n), reference=reference, literature=literature,
                spark=sparkline(series, label=f"{pm.label(n)}, {view.username}'s sessions "
                                "in date order"),
                latest=(cell(n, last, spreads[n]) if last is not None
                        else cell(n, unmeasured[-1], spreads[n]) if unmeasured
                        else Cell(pm.fmt(n, None), None)),
                mean=pm.fmt(n, sum(known) / len(known) if known else None)))
    return list(views.values()), [pm.label(n) for n in names]


@router.get("/supervision", dependencies=[CLINICIANS])
def supervision(request: Request, identity: CurrentIdentity, tx: RecordTx) -> Response:
    views, labels = build(tx, identity.actor.username, identity.actor.role)
    flags = open_flags_of(tx, [code for view in views for code in view.clients])
    return render(request, "supervision.html", {"views": views, "labels": labels,
                                                "open_flags": flags,
                                                "min_band_n": MIN_BAND_N})
