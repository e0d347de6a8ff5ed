"""The index page of a multi-session ``rapport analyze``: one line per session, its key
figures, a link to its report.

A corpus run writes one report per session (108 for AnnoMI); without an index a reader
opens them one by one. The rows are assembled by the pipeline (which knows the sections);
this module only renders them, autoescaped like every report page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rapport.report.html import report_css, template_env


@dataclass(frozen=True)
class IndexRow:
    """One session of the index. ``figures`` are (label, value as people read it)."""

    session: str
    href: str
    turns: int
    risk_turns: int = 0
    #: the risk turns by state, in words ("2 urgent, 1 history"); empty when none
    risk_text: str = ""
    #: None when the session's ruptures were not measured (shown as "not measured")
    ruptures: int | None = 0
    figures: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())


def render_index(rows: list[IndexRow], *, title: str = "Sessions") -> str:
    """A self-contained HTML page (inline CSS, no script) listing ``rows`` in order."""
    labels = list(dict.fromkeys(label for row in rows for label, _ in row.figures))
    css = report_css()
    return template_env("rapport.report").get_template("index.html.j2").render(
        title=title, rows=rows, labels=labels, css=css,
        values=[dict(row.figures) for row in rows])
