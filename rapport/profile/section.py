"""The relationship profile as a report section: terminal, JSON and HTML.

Besides its own fragment, the section offers two optional hooks the HTML page uses:
``header_html`` (key figures against reference ranges, at the top of the page) and
``turn_marks`` (rupture/repair/moment tags on transcript turns, for the code filter).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.profile.models import ProfileMetric, ProfileResult
from rapport.profile.profile import build_profile
from rapport.report.section import AnalysisContext, ReportSection

if TYPE_CHECKING:
    from rich.console import Console

#: Metrics shown as key figures in the report header and first in the terminal.
KEY_FIGURES = ("reflection_to_question", "complex_reflection_share", "open_question_share",
               "empathy", "empathy_estimate", "follow_up_rate", "change_talk_share",
               "therapist_word_share")


_FORMATS = {"ratio": "{:.1f}:1", "share": "{:.0%}", "rate": "{:.0%}", "count": "{:.0f}",
            "seconds": "{:.2f} s", "words": "{:.1f}", "score": "{:.2f}"}


def format_value(m: ProfileMetric) -> str:
    """A metric's value as people read it ("2.0:1", "45%", "0.62", "3")."""
    if m.value is None:
        return "n/a"
    return _FORMATS[m.unit].format(m.value)


def band_text(band: str | None) -> str:
    """A band as people read it ("too_few" is "too few to judge")."""
    return "too few to judge" if band == "too_few" else band or ""


def format_reference(m: ProfileMetric) -> str:
    if m.reference is None:
        return ""
    if m.unit == "ratio":
        return f"fair ≥ {m.reference.fair:.0f}:1, good ≥ {m.reference.good:.0f}:1"
    return f"fair ≥ {m.reference.fair:.0%}, good ≥ {m.reference.good:.0%}"


class ProfileSection(ReportSection[ProfileResult]):
    name = "profile"
    title = "Relationship profile"
    result_model = ProfileResult

    def compute(self, ctx: AnalysisContext) -> ProfileResult:
        return build_profile(ctx.coded)

    def metrics(self, result: ProfileResult) -> dict[str, float | None]:
        out: dict[str, float | None] = {f"profile.{m.key}": m.value for m in result.metrics}
        out["profile.ruptures"] = float(len(result.ruptures))
        out["profile.ruptures_repaired"] = float(
            sum(r.status == "repaired" for r in result.ruptures))
        return out

    def render_terminal(self, result: ProfileResult, console: Console) -> None:
        from rich.table import Table
        table = Table(title=self.title, title_justify="left")
        for col in ("metric", "value", "n", "reference", "band / note"):
            table.add_column(col, justify="right" if col in ("value", "n") else "left")
        order = sorted(result.metrics, key=lambda m: (m.key not in KEY_FIGURES,))
        for m in order:
            note: str = band_text(m.band)
            if m.reason:
                note = f"{note} ({m.reason})" if note else m.reason
            table.add_row(m.label, format_value(m), str(m.n), format_reference(m), note)
        console.print(table)
        console.print(f"[bold]Ruptures[/] ({len(result.ruptures)})")
        for r in result.ruptures:
            at = f" at turn {r.repair_turn}" if r.repair_turn is not None else ""
            why = r.strategy or ", ".join(r.how)
            console.print(f"  turn {r.start_turn}–{r.end_turn}: {r.type}, significance "
                          f"{r.strength:.2f} ({', '.join(r.rules)}) → {r.status}{at}"
                          + (f": {why}" if why else ""))
        console.print(f"[bold]Moments to revisit[/] ({len(result.moments)})")
        for mo in result.moments:
            console.print(f"  turn {mo.turn_index}: {mo.title}. {mo.suggestion}")
        for note in result.notes:
            console.print(f"  note: {note}", style="dim")

    def render_html(self, result: ProfileResult, ctx: AnalysisContext) -> str:
        from rapport.report.html import render_fragment
        return render_fragment("profile.html.j2", result=result, fmt=format_value,
                               band_text=band_text,
                               fmt_ref=format_reference)

    def header_html(self, result: ProfileResult, ctx: AnalysisContext) -> str:
        """Key figures against reference ranges, for the top of the report."""
        from rapport.profile.timeline import build_timeline
        from rapport.profile.view import SessionView
        from rapport.report.html import render_fragment
        figures = [m for key in KEY_FIGURES for m in result.metrics if m.key == key]
        timeline = build_timeline(ctx.session, result, SessionView(ctx.coded))
        return render_fragment("profile_header.html.j2", result=result, figures=figures,
                               band_text=band_text,
                               fmt=format_value, fmt_ref=format_reference,
                               timeline=timeline)

    def turn_marks(self, result: ProfileResult) -> dict[int, list[str]]:
        """Filter tags for transcript turns: rupture, repair, missed_repair, moment."""
        marks: dict[int, list[str]] = {}
        for r in result.ruptures:
            for e in r.evidence:
                marks.setdefault(e.turn_index, []).append(f"rupture:{r.type}")
            if r.repair_turn is not None:
                marks.setdefault(r.repair_turn, []).append("repair")
            elif r.status in ("missed", "unrepaired") and any(
                    x.kind == "press_on" for x in r.responses):
                marks.setdefault(r.responses[0].turn_index, []).append("missed_repair")
        for m in result.moments:
            marks.setdefault(m.turn_index, []).append("moment")
        return {i: sorted(set(v)) for i, v in marks.items()}
