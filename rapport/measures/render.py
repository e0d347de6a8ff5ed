"""Plain-text rendering of progress, attendance and style consistency for the terminal.

Pure functions of the typed results, so the CLI and tests share one rendering. Nothing here
prints client text: only instrument names, numbers, bands and rule names.
"""

from __future__ import annotations

from rapport.measures.attendance import Attendance
from rapport.measures.change import change_words
from rapport.measures.consistency import MetricConsistency
from rapport.measures.progress import ProgressReport, chart
from rapport.measures.schema import Instrument
from rapport.measures.scoring import Score, band_or_side, cut_off_title, cut_off_words

_MARK = {"urgent": "!!", "warning": "! ", "info": "  "}


def _num(value: float | None, fmt: str = "g") -> str:
    return "-" if value is None else format(value, fmt)


def render_catalog(instruments: list[Instrument]) -> str:
    """The ``measures list`` table."""
    kinds = {"free": "bundled (free)", "licensed": "text pack needed",
             "project": "bundled (Rapport)"}
    lines = [f"{'id':<9} {'name':<26} {'kind':<9} {'items':>5}  {'text':<22} validated"]
    lines += [f"{i.id:<9} {i.short_name[:26]:<26} {i.kind:<9} {len(i.items):>5}  "
              f"{kinds[i.licence.kind]:<22} {'yes' if i.validated else 'NOT VALIDATED'}"
              for i in instruments]
    return "\n".join(lines)


def options_line(instrument: Instrument) -> str:
    """The response options in one line, e.g. ``0 = Not at all, 1 = Several days``."""
    if instrument.scale is not None:
        scale = instrument.scale
        return f"{scale.min:g} to {scale.max:g} (steps of {scale.step:g})"
    return ", ".join(f"{o.value} = {o.label}" if o.label else str(o.value)
                     for o in instrument.options)


def render_instrument(instrument: Instrument) -> str:
    """Everything ``measures show`` prints: items verbatim, scoring, copyright line."""
    lines = [f"{instrument.name}  [{instrument.id}]"]
    if not instrument.validated:
        lines.append("NOT VALIDATED: written by the Rapport project; no norms, cut-off or "
                     "reliability data.")
    lines += [f"Version: {instrument.version}",
              f"Measures: {instrument.assesses} ({instrument.direction.replace('_', ' ')})",
              f"Licence: {instrument.licence.status}"]
    for text in (instrument.instruction, instrument.stem):
        if text:
            lines += ["", text]
    lines += [f"Answers: {options_line(instrument)}", ""]
    if instrument.needs_text_pack:
        lines.append("Item text is not bundled (licensed instrument). Items to supply in a "
                     "text pack (--text-pack FILE):")
    for number, item in enumerate(instrument.items, 1):
        flags = (" (reverse-keyed)" if item.reverse else "") + (
            " (risk item)" if item.risk_item else "")
        lines.append(f"{number:>3}. [{item.id}] {item.text or '-'}{flags}")
    low, high = instrument.total_range
    lines += ["", f"Scoring: {instrument.scoring} of items, range {low:g}-{high:g}"]
    lines += [f"  {band.min:g}-{band.max:g}: {band.label}" for band in instrument.bands]
    if instrument.cut_off:
        lines.append(f"{cut_off_title(instrument).capitalize()}: "
                     f"{instrument.cut_off.value:g} - {instrument.cut_off.meaning}")
    rc = instrument.reliable_change
    if rc:
        how = ("published threshold" if rc.threshold is not None else
               f"Jacobson-Truax, reliability {rc.reliability:g}, SD {rc.sd:g}")
        lines.append(f"Reliable change: {rc.min_raw_change:.3g} points ({how})")
    if instrument.meaningful_change:
        meaningful = instrument.meaningful_change
        lines.append(f"Clinically meaningful change: {meaningful.points:g} points "
                     f"({meaningful.label})")
    if instrument.copyright.required_line:
        lines += ["", instrument.copyright.required_line]
    if instrument.copyright.citation:
        lines.append(f"Source: {instrument.copyright.citation}")
    return "\n".join(lines)


def render_score(instrument: Instrument, result: Score) -> str:
    """One scored administration; safety flags always come first."""
    lines = [f"!! SAFETY: {flag.message}" for flag in result.safety_flags]
    label = "" if instrument.validated else "  (NOT VALIDATED)"
    if result.total is None:
        lines.append(f"{instrument.short_name}: no total - {result.note}{label}")
    else:
        low, high = instrument.total_range
        line = f"{instrument.short_name}: {result.total:g} (range {low:g}-{high:g})"
        if result.scaled_total is not None and instrument.scaled:
            line += f", {instrument.scaled.label} {result.scaled_total:g}"
        lines.append(line + label)
        if result.note:
            lines.append(f"  note: {result.note}")
        if result.band:
            lines.append(f"  band: {result.band}")
        if instrument.cut_off and result.in_clinical_range is not None:
            side = cut_off_words(instrument, result.in_clinical_range)
            lines.append(f"  {cut_off_title(instrument)} {instrument.cut_off.value:g}: {side}")
    lines += [f"  {name}: {_num(value)}" for name, value in result.subscales.items()]
    if instrument.copyright.required_line:
        lines.append(instrument.copyright.required_line)
    return "\n".join(lines)


def render_progress(instrument: Instrument, report: ProgressReport, *,
                    with_chart: bool = True, safety_shown_above: bool = False) -> str:
    """Table of sessions, overall change, alerts and (optionally) the chart.

    ``safety_shown_above``: the caller printed the safety flags (with their state) first,
    so this instrument's safety alerts are referred to, not repeated."""
    title = f"{instrument.name}"
    if not instrument.validated:
        title += "  -- NOT VALIDATED"
    # The band or side of the cut-off comes last and whole: WHO-5 bands are long.
    lines = [title, f"{'session':>7}  {'date':<10}  {'total':>6}  {'change':<20}  band / range"]
    for point in report.points:
        where = band_or_side(instrument, point.band, point.in_clinical_range) or ""
        change = ""
        if point.change is not None:
            change = f"{point.change.difference:+g}"
            words = change_words(point.change)
            if words:
                change += f" ({words})"
        date = point.date.isoformat() if point.date else "-"
        lines.append(f"{point.session:>7}  {date:<10}  {_num(point.total):>6}  "
                     f"{change:<20}  {where}".rstrip())
    if report.overall is not None:
        overall = report.overall
        verdict = change_words(overall, no_category="no reliable-change threshold")
        lines.append(f"Since the first score: {overall.before:g} -> {overall.after:g} "
                     f"({overall.difference:+g}): {verdict}")
        if overall.meaningful is not None and instrument.meaningful_change:
            lines.append(f"  {instrument.meaningful_change.label}: "
                         f"{'reached' if overall.meaningful else 'not reached'} "
                         f"(>= {overall.meaningful_points:g} points; shown separately from "
                         "reliable change)")
    alerts = report.alerts
    if safety_shown_above:
        n_safety = sum(a.rule.startswith("safety.") for a in alerts)
        alerts = [a for a in alerts if not a.rule.startswith("safety.")]
        if n_safety:
            lines.append(f"Safety flags: {n_safety}, listed at the top with their state")
    if alerts:
        lines.append("Alerts:")
        lines += [f"{_MARK[a.severity]} session {a.session}: {a.message}  [{a.rule}]"
                  for a in alerts]
    else:
        lines.append("Alerts: none" if not safety_shown_above else "Other alerts: none")
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
