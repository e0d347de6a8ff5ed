"""The report section "nonverbal": timing, movement synchrony, prosody, vocal synchrony.

Reads ``ctx.media`` (``audio``/``video`` paths from ``rapport analyze --audio/--video``),
optional settings in ``ctx.options["nonverbal"]`` (fields of
:class:`~rapport.nonverbal.movement.MovementParams`) and the session's turn times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rapport.nonverbal.analysis import NonverbalResult, analyse_nonverbal
from rapport.nonverbal.movement import MovementParams
from rapport.report.section import AnalysisContext, ReportSection

if TYPE_CHECKING:
    from jinja2 import Environment
    from rich.console import Console


def _env() -> Environment:
    from rapport.report.html import template_env

    return template_env("rapport.nonverbal")


def _fmt(v: float | None, spec: str = ".2f") -> str:
    return "—" if v is None else format(v, spec)


def alt_text(result: NonverbalResult) -> str:
    """One-sentence text alternative of the chart, for screen readers and print."""
    m = result.movement
    if m is None or not m.windows:
        return "Transcript timeline by role."
    vals = [w.synchrony for w in m.windows if w.synchrony is not None]
    peak = max(m.windows, key=lambda w: w.synchrony or -1.0)
    text = (f"Movement synchrony over {len(m.windows)} windows ranges from "
            f"{_fmt(min(vals) if vals else None)} to {_fmt(max(vals) if vals else None)}, "
            f"highest at {peak.start_s:.0f}-{peak.end_s:.0f} s")
    if m.test is not None:
        text += f"; shuffled pseudo-sessions average {m.test.surrogate_mean:.2f}"
    return text + "."


class NonverbalSection(ReportSection[NonverbalResult]):
    name = "nonverbal"
    title = "Nonverbal and vocal signals"
    result_model = NonverbalResult

    def compute(self, ctx: AnalysisContext) -> NonverbalResult | None:
        params = MovementParams(**ctx.options.get("nonverbal", {}))
        result = analyse_nonverbal(ctx.session, audio=ctx.media.get("audio"),
                                   video=ctx.media.get("video"), movement=params)
        if result is not None:
            ctx.warnings.extend(f"nonverbal: {w}" for w in result.warnings)
        return result

    def metrics(self, result: NonverbalResult) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        m = result.movement
        if m is not None and m.summary is not None:
            out["nonverbal.movement_synchrony"] = m.summary.grand_aver
            out["nonverbal.movement_best_lag_s"] = m.summary.best_lag_s
        if m is not None and m.test is not None:
            out["nonverbal.movement_synchrony_es"] = m.test.effect_size
            out["nonverbal.movement_synchrony_p"] = m.test.p_value
        for e in result.vocal_entrainment:
            out[f"nonverbal.{e.feature}_synchrony_r"] = e.synchrony_r
        for lat in result.timing.fto if result.timing else []:
            out[f"nonverbal.fto_{lat.direction.replace('->', '_to_')}_median_s"] = lat.median_s
        return out

    def render_terminal(self, result: NonverbalResult, console: Console) -> None:
        from rich.table import Table
        console.print(f"[bold]{self.title}[/]  [dim]({result.convention})[/]")
        m = result.movement
        if m is not None:
            index = m.summary.grand_aver if m.summary else None
            line = f"  movement: synchrony {_fmt(index, '.3f')}"
            if m.test is not None:
                line += (f" vs {_fmt(m.test.surrogate_mean, '.3f')} shuffled "
                         f"(ES {_fmt(m.test.effect_size, '.1f')}, p {_fmt(m.test.p_value, '.3f')})")
            if m.summary is not None:
                line += f", most synchronous lag {_fmt(m.summary.best_lag_s, '+.1f')} s"
            console.print(line)
            console.print(f"  frames with visible movement: client {m.client_active_share:.0%}"
                          f", therapist {m.therapist_active_share:.0%} "
                          f"({m.duration_s:.0f} s of video at {m.fps:g} fps)")
        if result.prosody is not None:
            table = Table(title="Voice", title_justify="left")
            for col in ("speaker", "turns", "pitch Hz", "dB", "syll/s", "pauses/min"):
                table.add_column(col, justify="left" if col == "speaker" else "right")
            for s in result.prosody.speakers:
                table.add_row(f"{s.speaker} ({s.role.value})", str(s.turns),
                              _fmt(s.f0_median_hz, ".0f"), _fmt(s.intensity_db, ".1f"),
                              _fmt(s.articulation_rate), _fmt(s.pauses_per_min, ".1f"))
            console.print(table)
        for e in result.vocal_entrainment:
            console.print(f"  vocal {e.feature}: synchrony r {_fmt(e.synchrony_r)} "
                          f"(p {_fmt(e.synchrony_p, '.3f')}, {e.exchanges} exchanges)")
        if result.timing is not None:
            for lat in result.timing.fto:
                console.print(f"  floor transfer {lat.direction}: median {lat.median_s:.2f} s, "
                              f"{lat.overlaps} overlaps (n={lat.n})")
            for i in result.timing.interruptions:
                console.print(f"  {i.role} interruptions: {i.interruptions} "
                              f"({i.per_10_min:.1f} per 10 min)")

    def render_html(self, result: NonverbalResult, ctx: AnalysisContext) -> str:
        from rapport.nonverbal.chart import build_chart
        return _env().get_template("nonverbal.html.j2").render(
            result=result, chart=build_chart(result, ctx.coded, ctx.results),
            alt_text=alt_text(result))
