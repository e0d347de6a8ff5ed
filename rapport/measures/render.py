"""Plain-text rendering of progress, attendance and style consistency for the terminal.

Pure functions of the typed results, so the CLI and tests share one rendering. Nothing here
prints client text: only instrument names, numbers, bands and rule names.
"""

from __future__ import annotations

from rapport.measures.attendance import Attendance
from rapport.measures.consistency import MetricConsistency
from rapport.measures.progress import ProgressReport, chart
from rapport.measures.schema import Instrument

_MARK = {"urgent": "!!", "warning": "! ", "info": "  "}


def _num(value: float | None, fmt: str = "g") -> str:
    return "-" if value is None else format(value, fmt)


def render_progress(instrument: Instrument, report: ProgressReport, *,
                    with_chart: bool = True) -> str:
    """Table of sessions, overall change, alerts and (optionally) the chart."""
    title = f"{instrument.name}"
    if not instrument.validated:
        title += "  -- NOT VALIDATED"
    lines = [title, f"{'session':>7}  {'date':<10}  {'total':>6}  {'band / range':<28} change"]
    for point in report.points:
        where = point.band or ("clinical range" if point.in_clinical_range else
                               "non-clinical range" if point.in_clinical_range is False else "")
        change = ""
        if point.change is not None:
            change = f"{point.change.difference:+g}"
            if point.change.category:
                change += f" ({point.change.category})"
        date = point.date.isoformat() if point.date else "-"
        lines.append(f"{point.session:>7}  {date:<10}  {_num(point.total):>6}  "
                     f"{where[:28]:<28} {change}")
    if report.overall is not None:
        overall = report.overall
        verdict = overall.category or "no reliable-change threshold"
        lines.append(f"Since the first score: {overall.before:g} -> {overall.after:g} "
                     f"({overall.difference:+g}): {verdict}")
    if report.alerts:
        lines.append("Alerts:")
        lines += [f"{_MARK[a.severity]} session {a.session}: {a.message}  [{a.rule}]"
                  for a in report.alerts]
    else:
        lines.append("Alerts: none")
    if with_chart:
        lines += ["", chart(instrument, report)]
    return "\n".join(lines)


def render_attendance(summary: Attendance) -> str:
    if summary.scheduled == 0:
        return "Attendance: no sessions recorded"
    cancelled = (summary.cancelled + summary.cancelled_by_client
                 + summary.cancelled_by_therapist + summary.late_cancel)
    lines = [(f"Attendance: {summary.attended} of {summary.scheduled} attended "
              f"({_num(summary.attendance_rate, '.0%')}), {cancelled} cancelled, "
              f"{summary.no_show} no-show")]
    if summary.mean_gap_days is not None:
        lines.append(f"  gaps between sessions: mean {summary.mean_gap_days:.1f} days, "
                     f"SD {_num(summary.sd_gap_days, '.1f')}, longest "
                     f"{summary.longest_gap_days} days")
    lines += [f"  long gap: {g.days} days after {g.after.isoformat()}"
              for g in summary.long_gaps]
    return "\n".join(lines)


def render_consistency(metrics: dict[str, MetricConsistency]) -> str:
    if not metrics:
        return "Style across sessions: no stored analyses"
    lines = ["Style across sessions (lower CV = steadier):",
             f"  {'metric':<34} {'n':>3} {'mean':>8} {'SD':>8} {'CV':>6}"]
    lines += [f"  {m.metric[:34]:<34} {m.n:>3} {_num(m.mean, '.3g'):>8} "
              f"{_num(m.sd, '.3g'):>8} {_num(m.cv, '.2f'):>6}" for m in metrics.values()]
    return "\n".join(lines)
