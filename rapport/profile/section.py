"""The relationship profile as a report section: terminal, JSON and HTML.

Besides its own fragment, the section offers two optional hooks the HTML page uses:
``header_html`` (key figures against reference ranges, at the top of the page) and
``turn_marks`` (rupture/repair/moment tags on transcript turns, for the code filter).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rapport.profile.models import MitiSummary, ProfileMetric, ProfileResult, RevisitMoment
from rapport.profile.profile import build_profile
from rapport.report.section import AnalysisContext, ReportSection
from rapport.wording import plural

if TYPE_CHECKING:
    from rich.console import Console

#: Metrics shown as key figures in the report header and first in the terminal.
KEY_FIGURES = ("reflection_to_question", "complex_reflection_share", "open_question_share",
               "empathy", "empathy_estimate", "follow_up_rate", "change_talk_share",
               "therapist_word_share")


_FORMATS = {"ratio": "{:.1f}:1", "share": "{:.0%}", "rate": "{:.0%}", "count": "{:.0f}",
            "seconds": "{:.1f} s", "words": "{:.1f} words", "score": "{:.2f}"}
#: Figures whose scale is not their unit's: EPITOME's 0-6, the retired 0-1 estimate.
_KEY_FORMATS = {"empathy": "{:.1f} of 6", "empathy_estimate": "{:.0%}"}


def format_value(m: ProfileMetric) -> str:
    """A metric's value as people read it ("2.0:1", "45%", "1.3 of 6", "3"), the same in
    the report and on the web pages (``rapport.web.pages.profile_metrics.fmt``)."""
    if m.value is None:
        return "n/a"
    return _KEY_FORMATS.get(m.key, _FORMATS[m.unit]).format(m.value)


#: The parts a metric is made of (``ProfileMetric.detail`` keys), as a therapist reads them.
DETAIL_WORDS = {"er": "emotional reactions", "ip": "interpretations", "ex": "explorations",
                "not_answered": "not answered", "first_third": "first third",
                "middle_third": "middle third", "last_third": "last third",
                "share_over_3s": "share over 3 s", "change": "change talk",
                "sustain": "sustain talk", "open": "open questions",
                "closed": "closed questions", "complex": "complex reflections",
                "simple": "simple reflections"}


def detail_words(key: str) -> str:
    """A metric part's name in words (``first_third`` -> ``first third``, a relationship
    code -> its label, ``speaker:Maya`` -> ``Maya``)."""
    from rapport.coding.relationship.codes import CODE_LABELS

    if key.startswith("speaker:"):
        return key.removeprefix("speaker:")
    return DETAIL_WORDS.get(key) or CODE_LABELS.get(key) or key.replace("_", " ")


_FAMILY_VALUE = re.compile(r"\b([a-z]+(?:_[a-z]+)+)=([a-z]+)\b")
_CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z]+)*\b")


def note_words(note: str) -> str:
    """An evidence note with its code names in words: ``reflection_type=complex`` ->
    ``complex reflection``, ``persuade`` -> its label; other words stay as written."""
    from rapport.coding.relationship.codes import CODE_LABELS
    from rapport.profile.view import LABEL_WORDS

    def family_value(m: re.Match[str]) -> str:
        return LABEL_WORDS.get(m.group(1), {}).get(m.group(2)) or m.group(0).replace("_", " ")

    def code(m: re.Match[str]) -> str:
        return CODE_LABELS.get(m.group(0), m.group(0))

    return _CODE_NAME.sub(code, _FAMILY_VALUE.sub(family_value, note))


def band_text(band: str | None) -> str:
    """A band as people read it ("too_few" is "too few to judge")."""
    return "too few to judge" if band == "too_few" else band or ""


def format_reference(m: ProfileMetric) -> str:
    if m.reference is None:
        return ""
    if m.unit == "ratio":
        return f"fair ≥ {m.reference.fair:.0f}:1, good ≥ {m.reference.good:.0f}:1"
    return f"fair ≥ {m.reference.fair:.0%}, good ≥ {m.reference.good:.0%}"


DIRECTION_WORDS = {"improve": "to improve", "keep": "to keep"}


def precision_text(m: RevisitMoment) -> str:
    """How sure a moment is, in words ("right about 7 times in 10 on real sessions")."""
    if m.precision is None:
        return ""
    tenths = round(m.precision * 10)
    return (f"the codes behind it were right about {tenths} times in 10 on real sessions"
            + (f", {m.precision_basis}" if m.precision_basis else ""))


def _band_suffix(band: str | None) -> str:
    return f" ({band_text(band)})" if band else ""


def miti_lines(mi: MitiSummary) -> list[str]:
    """The MITI summary as short lines, for the terminal and the HTML page."""
    rq = "n/a" if mi.reflection_to_question is None else f"{mi.reflection_to_question:.1f}:1"
    cr = ("n/a" if mi.complex_reflection_share is None
          else f"{mi.complex_reflection_share:.0%}")
    lines = [(f"Reflection-to-question {rq} ({plural(mi.reflections, 'reflection')}, "
              f"{plural(mi.questions, 'question')}){_band_suffix(mi.reflection_to_question_band)}"),
             (f"Complex reflections {cr} ({mi.complex_reflections} of {mi.reflections})"
             f"{_band_suffix(mi.complex_reflection_share_band)}")]
    if mi.adherent is not None and mi.non_adherent is not None:
        adh = ", ".join(f"{k.replace('_', ' ')} {mi.detail.get(k, 0)}"
                        for k in ("affirm", "seek_collaboration", "emphasize_autonomy"))
        non = ", ".join(f"{k} {mi.detail.get(k, 0)}" for k in ("persuade", "confront"))
        lines += [f"MI-adherent {mi.adherent} ({adh})",
                  f"MI-non-adherent {mi.non_adherent} ({non})"]
    if mi.globals:
        lines.append("Global ratings, estimated (1–5): " + ", ".join(
            f"{g.label.lower()} {g.value:.1f}" for g in mi.globals))
    if mi.technical is not None and mi.relational is not None:
        lines.append(f"Technical {mi.technical:.1f}{_band_suffix(mi.technical_band)}, "
                     f"Relational {mi.relational:.1f}{_band_suffix(mi.relational_band)} "
                     "(estimates)")
    if mi.estimate_note:
        lines.append(f"How sure: {mi.estimate_note}")
    lines.append(f"Thresholds: {mi.source}")
    return lines


class ProfileSection(ReportSection[ProfileResult]):
    name = "profile"
    title = "Relationship profile"
    result_model = ProfileResult

    def compute(self, ctx: AnalysisContext) -> ProfileResult:
        return build_profile(ctx.coded)

    def metrics(self, result: ProfileResult) -> dict[str, float | None]:
        return result.flat_metrics()

    def render_miti_terminal(self, result: ProfileResult, console: Console) -> None:
        mi = result.miti
        if mi is None:
            return
        console.print("[bold]MITI 4.2.1 summary[/]")
        for line in miti_lines(mi):
            console.print(f"  {line}", markup=False)

    def render_terminal(self, result: ProfileResult, console: Console) -> None:
        from rich.table import Table
        table = Table(title=self.title, title_justify="left")
        for col in ("metric", "value", "n", "reference", "band / note"):
            table.add_column(col, justify="right" if col in ("value", "n") else "left")
        order = sorted(result.metrics, key=lambda m: (m.key not in KEY_FIGURES,))
        for m in order:
            note: str = band_text(m.band)
            if m.code_precision:
                note = f"{note} ({m.code_precision})"
            if m.reason:
                note = f"{note} ({m.reason})" if note else m.reason
            table.add_row(m.label, format_value(m), str(m.n), format_reference(m), note)
        console.print(table)
        if result.ruptures_measured:
            console.print(f"[bold]Ruptures[/] ({len(result.ruptures)})")
        else:
            why = next((n for n in result.notes if "rupture" in n), "no rupture marker codes")
            console.print(f"[bold]Ruptures[/]: not measured ({why})")
        for r in result.ruptures:
            at = f" at turn {r.repair_turn}" if r.repair_turn is not None else ""
            why = r.strategy or ", ".join(r.how)
            console.print(f"  turn {r.start_turn}–{r.end_turn}: {r.type}, significance "
                          f"{r.strength:.2f} ({', '.join(r.rules)}) → {r.status}{at}"
                          + (f": {why}" if why else ""))
        self.render_miti_terminal(result, console)
        console.print(f"[bold]Moments to revisit[/] ({len(result.moments)})")
        for mo in result.moments:
            sure = f" ({precision_text(mo)})" if mo.precision is not None else ""
            console.print(f"  turn {mo.turn_index} · {DIRECTION_WORDS[mo.direction]}: "
                          f"{mo.title}. {mo.suggestion}{sure}", markup=False)
        for note in result.notes:
            console.print(f"  note: {note}", style="dim")

    def render_html(self, result: ProfileResult, ctx: AnalysisContext) -> str:
        from rapport.report.html import render_fragment
        return render_fragment("profile.html.j2", result=result, fmt=format_value,
                               band_text=band_text, fmt_ref=format_reference,
                               detail_words=detail_words, note_words=note_words,
                               miti_lines=miti_lines, precision_text=precision_text,
                               direction_words=DIRECTION_WORDS)

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
